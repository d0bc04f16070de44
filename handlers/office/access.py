"""The console's one idea of who acts: an `Actor` with a role and a `Scope`.

Every office use case takes the actor explicitly, calls `require` for the permission, and
filters or checks rows through `actor.scope`. Another tenant's row is `NotFound` (404),
never `Forbidden`: a console user cannot even learn that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import handlers.texts.console  # noqa: F401 - registers the console texts
from handlers.errors import Forbidden, NotFound
from handlers.office.permissions import PERMISSIONS, ROLES, roles_with
from handlers.util import mask_phones
from storage.models import Community, ConsoleAccount, Staff
from storage.repositories.scope import Scope
from storage.uow import UnitOfWork

__all__ = ["Actor", "Scope", "actor_for_account", "require", "in_scope", "show_phone"]


@dataclass(frozen=True)
class Actor:
    """A logged-in console user: staff of one company, or a regulator of a district/street."""

    account_id: int
    kind: str  # "staff" or "regulator"
    role: str  # a key of ROLES
    name: str
    scope: Scope = field(default_factory=Scope)
    staff_id: int | None = None

    @property
    def audit_name(self) -> str:
        """The audit log's `actor` column."""
        return f"console:{self.account_id}"

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def can(self, permission: str) -> bool:
        """True when the actor's role holds `permission` (see handlers.office.permissions)."""
        return self.role in roles_with(permission)


def require(actor: Actor, permission: str) -> None:
    """Raise Forbidden unless the actor's role holds `permission`."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if not actor.can(permission):
        raise Forbidden("console_forbidden")


def in_scope(actor: Actor, community: Community | None, building_id: int | None = None) -> None:
    """Raise NotFound when the community (building) is outside the actor's scope."""
    if community is None or not actor.scope.holds_building(building_id, community):
        raise NotFound("console_not_found")


def show_phone(actor: Actor, phone: str) -> str:
    """The full phone for roles that need it (owners.phone), else 138****5678."""
    return phone if actor.can("owners.phone") else mask_phones(phone)


def actor_for_account(uow: UnitOfWork, account: ConsoleAccount) -> Actor | None:
    """The actor an active account logs in as; None when it may no longer log in."""
    if not account.active:
        return None
    if account.kind == "regulator":
        if not account.district:
            return None
        scope = Scope(district=account.district, street=account.street)
        return Actor(account.id, "regulator", "regulator", _regulator_name(uow, account), scope)
    staff = uow.session.get(Staff, account.staff_id) if account.staff_id else None
    if staff is None or not staff.active or staff.company_id != account.company_id:
        return None
    role = "admin" if account.role == "admin" else staff.role
    scope = Scope(company_id=staff.company_id,
                  building_ids=frozenset(uow.console.building_ids(staff.company_id, staff.buildings)))
    return Actor(account.id, "staff", role, staff.name, scope, staff_id=staff.id)


def _regulator_name(uow: UnitOfWork, account: ConsoleAccount) -> str:
    from storage.models import Regulator

    person = uow.session.get(Regulator, account.regulator_id) if account.regulator_id else None
    return person.name if person is not None else mask_phones(account.phone)
