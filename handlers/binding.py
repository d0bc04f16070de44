"""Binding a chat account to a home and choosing a home.

An invite code binds at once (the office's for the registered owner, an owner's for a family
member or tenant); home + registered phone becomes a request the office approves
(`handlers.owners.binding_requests`). A bound chat is never switched to somebody else's home.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import datetime, timedelta

import handlers.texts.binding  # noqa: F401 - registers this capability's texts
from handlers.access import owner_homes, require_owner
from handlers.errors import Forbidden, NotFound
from handlers.messages import Button, Outcome, Reply
from handlers.owners import binding_requests, household
from handlers.texts import t
from handlers.turn import Turn
from storage.models import Home, InviteCode, Owner
from storage.uow import UnitOfWork

# No 0/O/1/I: codes are read off paper and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_FAILURES_PER_HOUR = 5
_TOKEN = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]{8})(?![A-Za-z0-9])")
_PHONE = re.compile(r"(?<![\d-])(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
# A fallback for when the NLU gives no `unit` entity: 3号楼2单元501 / 3-2-501 / 12栋1102.
_UNIT = re.compile(
    r"(?<!\d)(\d{1,3})\s*(?:号楼|号|栋|幢|座|-)\s*(?:(\d{1,2})\s*(?:单元|门|-)\s*)?(\d{3,4})(?!\d)"
)
# An owner of several homes asking to change the one in focus.
_SWITCH_WORDS = ("切换", "换房", "换一套", "另一套", "switch")
_BARE = re.compile(r"^\s*(?:/start\s+)?([A-Za-z0-9]{8})\s*$", re.IGNORECASE)


def extract_code(text: str) -> str | None:
    """The invite code in a message (`绑定 AB12CD34`, `/start ab12cd34`), upper-cased, or None."""
    for match in _TOKEN.finditer(text or ""):
        token = match.group(1).upper()
        if _is_code(token):
            return token
    return None


def is_bare_code(text: str) -> bool:
    """A message that is nothing but a code (or Telegram's `/start CODE`)."""
    match = _BARE.match(text or "")
    return bool(match and _is_code(match.group(1).upper()))


def _is_code(token: str) -> bool:
    # Issued codes always mix letters and digits, so plain words are never taken for codes.
    return (
        len(token) == CODE_LENGTH
        and all(c in CODE_ALPHABET for c in token)
        and any(c.isdigit() for c in token)
        and any(c.isalpha() for c in token)
    )


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if _is_code(code):
            return code


def issue_invite(
    uow: UnitOfWork,
    now: datetime,
    home_id: int | None = None,
    staff_id: int | None = None,
    ttl_days: int = 90,
) -> str:
    """Create a single-use invite code for a home's owner or for a staff member."""
    if (home_id is None) == (staff_id is None):
        raise ValueError("an invite is for exactly one of home_id, staff_id")
    code = new_unique_code(uow)
    uow.identities.add_invite(InviteCode(
        code=code, home_id=home_id, staff_id=staff_id, created_at=now,
        expires_at=now + timedelta(days=ttl_days),
    ))
    return code


def new_unique_code(uow: UnitOfWork) -> str:
    """A fresh code no invite uses yet."""
    code = _new_code()
    while uow.identities.invite(code) is not None:
        code = _new_code()
    return code


def issue_invites_for_community(
    uow: UnitOfWork, community_name: str, now: datetime, ttl_days: int = 90
) -> list[tuple[str, str]]:
    """A fresh code per home of a community, as (home label, code); older unused codes expire."""
    community = uow.org.community_by_name(community_name)
    if community is None:
        raise NotFound()
    issued: list[tuple[str, str]] = []
    for home in uow.org.homes_in_community(community.id):
        # Only the newest printed letter works: a lost older one can no longer be used.
        for old in uow.identities.open_invites_for_home(home.id, now):
            old.expires_at = now
        issued.append((home.label, issue_invite(uow, now, home_id=home.id, ttl_days=ttl_days)))
    uow.audit.record(now, "cli", "invites_issued", f"community:{community.id}",
                     {"count": len(issued)})
    return issued


def bind_account(turn: Turn) -> Outcome:
    """Start binding: a code binds at once; home + phone are asked for one at a time."""
    ongoing = turn.state.get("flow") == "bind_account"
    # A bare code keeps the account's language: detect_locale reads no language in a code.
    return _advance(turn, dict(turn.state) if ongoing else {})


def continue_binding(turn: Turn) -> Outcome:
    """The next message of a binding flow: fill in the home or the phone."""
    return _advance(turn, dict(turn.state))


def _advance(turn: Turn, state: dict[str, object]) -> Outcome:
    button = turn.incoming.button or ""
    # Telegram's deep link may arrive as a `/start CODE` command rather than as text.
    text = " ".join(x for x in (turn.text, button if button.startswith("/start") else "") if x)
    code = turn.entity("invite_code") or extract_code(text)
    unit = turn.entity("unit") or _unit_in(text) or state.get("unit")
    phone = _full_phone(turn, text) or state.get("phone")
    if not code and not unit and not phone and not state and turn.identity.owner_id:
        if any(w in text.lower() for w in _SWITCH_WORDS) and len(owner_homes(turn)) > 1:
            return select_home(turn)  # "切换房屋": the choice itself, not "you are bound"
        return _already_bound(turn)
    if (code or (unit and phone)) and _locked(turn):
        return _reply(t("bind_locked", turn.locale))
    if code:
        return _bind_with_code(turn, code.upper())
    if turn.identity.owner_id and (unit or phone):
        return _bound_names_home(turn, str(unit or ""))
    if unit and phone:
        # No SMS provider: home + phone is a request the property office approves.
        return binding_requests.request_binding(turn, str(unit), str(phone))
    flow: dict[str, object] = {"flow": "bind_account", "unit": unit, "phone": phone}
    if not unit and not phone and not state:
        return Outcome((Reply(t("bind_ask", turn.locale)),), flow)
    if not unit:
        return Outcome((Reply(t("bind_ask_home", turn.locale)),), flow)
    tail = any(len(p) < 11 for p in turn.entities("phone")) or "尾号" in (turn.text or "")
    key = "bind_phone_full" if tail else "bind_ask_phone"
    return Outcome((Reply(t(key, turn.locale)),), flow)


def _unit_in(text: str) -> str | None:
    match = _UNIT.search(text or "")
    if not match:
        return None
    building, unit, room = match.groups()
    return f"{building}-{unit}-{room}" if unit else f"{building}-{room}"


def _full_phone(turn: Turn, text: str) -> str | None:
    for value in [*turn.entities("phone"), text]:
        match = _PHONE.search(value)
        if match:
            return "".join(match.groups())
    return None


def _fail_actor(turn: Turn) -> str:
    # Keyed on the chat account, not the owner: it is the unverified account that guesses.
    return f"identity:{turn.identity.id}"


def _locked(turn: Turn) -> bool:
    since = turn.now - timedelta(hours=1)
    return turn.uow.audit.count_since(_fail_actor(turn), "bind_failed", since) >= MAX_FAILURES_PER_HOUR


def _failed(turn: Turn, text_key: str, detail: dict[str, object]) -> Outcome:
    turn.uow.audit.record(turn.now, _fail_actor(turn), "bind_failed", detail=detail)
    return _reply(t(text_key, turn.locale))


def _bind_with_code(turn: Turn, code: str) -> Outcome:
    invite = turn.uow.identities.invite(code, for_update=True)
    usable = invite is not None and invite.used_at is None and invite.expires_at > turn.now
    if invite is None or not usable:
        return _failed(turn, "bind_code_invalid", {"method": "code", "code": code[:2] + "******"})
    if invite.role in household.MEMBER_ROLES:
        return household.redeem(turn, invite)
    if invite.staff_id is not None:
        staff = turn.uow.org.staff(invite.staff_id)
        if staff is None or not staff.active:
            return _failed(turn, "bind_code_invalid", {"method": "code", "invite": invite.id})
        _mark_used(turn, invite)
        turn.identity.staff_id, turn.identity.verified = staff.id, True
        turn.uow.audit.record(turn.now, f"staff:{staff.id}", "bind", f"identity:{turn.identity.id}",
                              {"method": "code", "invite": invite.id})
        return _reply(t("bind_done_staff", turn.locale, name=staff.name))
    home = turn.uow.org.home(invite.home_id) if invite.home_id else None
    owner = turn.uow.identities.registered_owner(home.id) if home else None
    if home is None or owner is None:
        return _reply(t("bind_code_unusable", turn.locale))
    if turn.identity.owner_id not in (None, owner.id):
        # Another person's home: never switch a bound chat silently to it.
        return binding_requests.refuse_other_home(turn)
    _mark_used(turn, invite)
    return _bound(turn, owner, home, {"method": "code", "invite": invite.id})


def _mark_used(turn: Turn, invite: InviteCode) -> None:
    invite.used_at, invite.used_by_identity_id = turn.now, turn.identity.id


def _bound_names_home(turn: Turn, unit: str) -> Outcome:
    """A bound account naming a home: its own one comes into focus; anybody else's is refused."""
    own = [h for h in owner_homes(turn) if h.label == unit]
    if own:
        turn.identity.home_id = own[0].id
        community = own[0].building.community.name
        return _reply(t("home_selected", turn.locale, community=community, home=own[0].label))
    return binding_requests.refuse_other_home(turn)


def _bound(turn: Turn, owner: Owner, home: Home, detail: dict[str, object]) -> Outcome:
    previous = turn.identity.owner_id
    turn.identity.owner_id, turn.identity.home_id, turn.identity.verified = owner.id, home.id, True
    detail = {**detail, "identity": turn.identity.id, "previous_owner": previous}
    turn.uow.audit.record(turn.now, f"owner:{owner.id}", "bind", f"home:{home.id}", detail)
    community = home.building.community
    text = t("bind_done", turn.locale, name=owner.name, community=community.name, home=home.label)
    buttons = _menu_buttons(turn, len(turn.uow.identities.homes_of(owner.id)) > 1)
    return Outcome((Reply(text, buttons),))


def _menu_buttons(turn: Turn, several_homes: bool) -> tuple[Button, ...]:
    from handlers.smalltalk import menu_buttons  # smalltalk imports binding: import late

    buttons = menu_buttons(turn.locale, bound=True)
    if several_homes:
        buttons += (Button(t("bind_switch_button", turn.locale), "/select_home"),)
    return buttons


def _already_bound(turn: Turn) -> Outcome:
    owner = require_owner(turn)
    homes = owner_homes(turn)
    home = next((h for h in homes if h.id == turn.identity.home_id), homes[0])
    text = t("bind_already", turn.locale, community=home.building.community.name,
             home=home.label, name=owner.name)
    buttons = (Button(t("bind_switch_button", turn.locale), "/select_home"),) if len(homes) > 1 else ()
    return Outcome((Reply(text, buttons),))


def select_home(turn: Turn) -> Outcome:
    """Switch the home in focus among the owner's own homes (button `/select_home{"home_id": "12"}`)."""
    homes = owner_homes(turn)
    wanted_id, label = turn.entity("home_id"), turn.entity("unit")
    if wanted_id or label:
        chosen = [h for h in homes if str(h.id) == wanted_id or h.label == label]
        if not chosen:
            raise Forbidden()
        turn.identity.home_id = chosen[0].id
        community = chosen[0].building.community.name
        return _reply(t("home_selected", turn.locale, community=community, home=chosen[0].label))
    buttons = tuple(
        Button(f"{h.building.community.name} {h.label}",
               "/select_home" + json.dumps({"home_id": str(h.id)}))
        for h in homes
    )
    return Outcome((Reply(t("home_select_prompt", turn.locale), buttons),))


def _reply(text: str) -> Outcome:
    return Outcome((Reply(text),))
