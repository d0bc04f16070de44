"""Who may see what: the bound owner, the home in focus, staff. An owner sees only their own homes."""

from __future__ import annotations

import handlers.texts.binding  # noqa: F401 - registers the texts these errors name
from handlers.errors import DomainError, Forbidden, NotBound
from handlers.turn import Turn
from storage.models import Community, Home, Owner, Staff


class ChooseHome(DomainError):  # noqa: N818 - named like NotBound, Forbidden
    """The owner holds several homes and none is in focus: they must name one."""

    text_key = "access_choose_home"


def require_owner(turn: Turn) -> Owner:
    """The owner this chat speaks for; NotBound when the account is not bound to one."""
    owner_id = turn.identity.owner_id
    owner = turn.uow.identities.owner(owner_id) if owner_id else None
    if owner is None:
        raise NotBound()
    return owner


def owner_homes(turn: Turn) -> list[Home]:
    """The homes of the bound owner (NotBound when unbound or when they hold none)."""
    owner = require_owner(turn)
    homes = turn.uow.identities.homes_of(owner.id)
    if not homes:
        raise NotBound()
    return homes


def current_home(turn: Turn) -> Home:
    """The home this turn is about: a named own home, the one in focus, or the only one.

    A `unit` entity naming anybody else's home is Forbidden whether or not it exists, so
    nothing about other households can be learnt from the answer.
    """
    homes = owner_homes(turn)
    label = turn.entity("unit")
    if label:
        named = [h for h in homes if h.label == label.strip()]
        if not named:
            raise Forbidden()
        return named[0]
    focus = next((h for h in homes if h.id == turn.identity.home_id), None)
    if focus is not None:
        return focus
    if len(homes) == 1:
        turn.identity.home_id = homes[0].id
        return homes[0]
    raise ChooseHome(homes="、".join(h.label for h in homes), example=homes[-1].label)


def community_of_turn(turn: Turn) -> Community:
    """The community of the home in focus (needs a bound home)."""
    return current_home(turn).building.community


def optional_community(turn: Turn) -> Community | None:
    """The community of a bound owner's home in focus, else None (public answers only)."""
    if not turn.identity.owner_id:
        return None
    try:
        return community_of_turn(turn)
    except DomainError:
        return None


def require_staff(turn: Turn) -> Staff:
    """The active staff member this chat speaks for; Forbidden for anybody else."""
    staff_id = turn.identity.staff_id
    staff = turn.uow.org.staff(staff_id) if staff_id else None
    if staff is None or not staff.active:
        raise Forbidden("access_staff_only")
    return staff
