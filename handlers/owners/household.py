"""Family members and tenants: an owner adds them with a one-time code, lists and removes them.

Roles: `resident` (家人) sees what the owner sees of the home; `tenant` (租户) sees bills,
repairs and notices but not the owner's payment history. Only a registered owner (role
`owner`) of the home adds or removes people. Typed as "添加家人 妈妈", "添加租户",
"我家绑定了哪些人", "删除家人 妈妈" (no NLU label is involved: see `typed_command`).
"""

from __future__ import annotations

import re
from datetime import timedelta

import handlers.texts.safety  # noqa: F401 - registers the texts used here
from handlers import notify
from handlers.access import current_home, require_owner
from handlers.errors import Forbidden
from handlers.messages import Button, Outcome, Reply
from handlers.notify import local_time, payload
from handlers.texts import t
from handlers.turn import Turn
from nlu.normalize import canonical
from storage.models import Home, HomeMember, InviteCode, Owner

MEMBER_ROLES = ("resident", "tenant")
CODE_TTL = timedelta(days=7)  # a code handed to one person: short-lived
_ADD = re.compile(r"^\s*(?:添加|增加|新增|绑定|加)(家人|家属|家庭成员|租户|租客)\s*[:：]?\s*(.{0,20}?)\s*$")
_ADD_EN = re.compile(r"^\s*add (?:a )?(family member|family|tenant)\s*(.{0,20}?)\s*$", re.I)
_REMOVE = re.compile(r"^\s*(?:删除|删掉|移除|解绑|去掉)(?:家人|家属|家庭成员|租户|租客)\s*[:：]?\s*(.{1,20}?)\s*$")
_LIST = re.compile(
    r"(我家|家里|这套房).{0,4}(绑定|关联)了?(哪些|几个|谁)|家庭成员|家人列表|绑定了哪些人|who is linked", re.I
)
_ROLE_WORDS = {"家人": "resident", "家属": "resident", "家庭成员": "resident", "family": "resident",
               "family member": "resident", "租户": "tenant", "租客": "tenant", "tenant": "tenant"}


def typed_command(turn: Turn) -> str | None:
    """"添加家人 妈妈" / "我家绑定了哪些人" / "删除家人 妈妈" as a button payload; else None."""
    if not turn.identity.owner_id or turn.identity.staff_id:
        return None
    text = canonical(turn.text or "")
    match = _ADD.match(text) or _ADD_EN.match(text)
    if match:
        role = _ROLE_WORDS[match.group(1).lower()]
        return payload("household_add", role=role, label=match.group(2).strip())
    if _LIST.search(text):
        return payload("household_list")
    match = _REMOVE.match(text)
    if match:
        return payload("household_remove", who=match.group(1).strip())
    return None


def household_add(turn: Turn) -> Outcome:
    """A one-time code for a family member or tenant of the home in focus."""
    owner, home = _registered_owner_of_home(turn)
    role = turn.entity("role") if turn.entity("role") in MEMBER_ROLES else "resident"
    label = (turn.entity("label") or "").strip()[:60]
    from handlers.binding import new_unique_code  # binding imports this module: import late

    invite = turn.uow.identities.add_invite(InviteCode(
        code=new_unique_code(turn.uow), home_id=home.id, created_at=turn.now,
        expires_at=turn.now + CODE_TTL, role=role, issued_by_owner_id=owner.id, label=label,
    ))
    turn.uow.audit.record(turn.now, turn.actor, "household_code", f"home:{home.id}",
                          {"role": role, "invite": invite.id})
    loc = turn.locale
    text = t("household_code", loc, role=t(f"household_role_{role}", loc), home=home.label,
             code=invite.code, may=t(f"household_may_{role}", loc),
             until=local_time(invite.expires_at, loc, turn.deps.settings.timezone))
    return Outcome((Reply(text),))


def household_list(turn: Turn) -> Outcome:
    """Who is bound to the home in focus, and the codes not used yet, with remove buttons."""
    require_owner(turn)
    home = current_home(turn)
    loc = turn.locale
    lines = [t("household_list_head", loc, home=home.label)]
    buttons: list[Button] = []
    for member in turn.uow.identities.members_of(home.id):
        person = member.owner
        accounts = sum(1 for i in turn.uow.identities.for_owner(person.id) if i.verified)
        lines.append(t("household_list_line", loc, name=person.name,
                       role=t(f"household_role_{member.role}", loc), accounts=accounts))
        if member.role in MEMBER_ROLES and _is_registered_owner(turn, home):
            buttons.append(Button(t("household_btn_remove", loc, name=person.name),
                                  payload("household_remove", member=member.id)))
    for invite in turn.uow.safety.member_codes(home.id, turn.now):
        lines.append(t("household_list_code", loc, label=invite.label or "-",
                       role=t(f"household_role_{invite.role}", loc),
                       until=local_time(invite.expires_at, loc, turn.deps.settings.timezone)))
        buttons.append(Button(t("household_btn_revoke", loc, label=invite.label or invite.code[:2] + "…"),
                              payload("household_remove", code=invite.id)))
    if _is_registered_owner(turn, home):
        lines.append(t("household_list_hint", loc))
    return Outcome((Reply("\n".join(lines), tuple(buttons[:8])),))


def household_remove(turn: Turn) -> Outcome:
    """Remove a family member or tenant (or revoke an unused code) of the home in focus."""
    _owner, home = _registered_owner_of_home(turn)
    loc = turn.locale
    code_id, member_id, who = turn.entity("code"), turn.entity("member"), turn.entity("who")
    if code_id and code_id.isdigit():
        for invite in turn.uow.safety.member_codes(home.id, turn.now):
            if invite.id == int(code_id):
                invite.expires_at = turn.now
                return Outcome((Reply(t("household_code_revoked", loc, label=invite.label or "-")),))
        return household_list(turn)
    members = [m for m in turn.uow.identities.members_of(home.id) if m.role in MEMBER_ROLES]
    chosen = [m for m in members if (member_id and str(m.id) == member_id)
              or (who and who in (m.owner.name, _label_of(turn, m)))]
    if len(chosen) != 1:
        return household_list(turn)
    return _remove(turn, home, chosen[0])


def redeem(turn: Turn, invite: InviteCode) -> Outcome:
    """A family/tenant code typed by the person it was made for: add them to the home."""
    home = turn.uow.org.home(invite.home_id) if invite.home_id else None
    if home is None or turn.identity.staff_id:
        return Outcome((Reply(t("bind_code_unusable", turn.locale)),))
    person = turn.uow.identities.owner(turn.identity.owner_id) if turn.identity.owner_id else None
    if person is not None and turn.uow.identities.membership(person.id, home.id) is not None:
        return Outcome((Reply(t("household_already_member", turn.locale, home=home.label)),))
    if person is None:
        name = invite.label or turn.incoming.display_name or t(f"household_role_{invite.role}", "zh")
        person = Owner(name=name[:60], phone=None)
        turn.uow.session.add(person)
        turn.uow.session.flush()
    turn.uow.session.add(HomeMember(home_id=home.id, owner_id=person.id, role=invite.role))
    invite.used_at, invite.used_by_identity_id = turn.now, turn.identity.id
    first_home = turn.identity.owner_id is None
    turn.identity.owner_id, turn.identity.verified = person.id, True
    if first_home:
        turn.identity.home_id = home.id
    turn.uow.audit.record(turn.now, f"owner:{person.id}", "bind", f"home:{home.id}",
                          {"method": "household_code", "invite": invite.id, "role": invite.role})
    _tell_issuer(turn, invite, home)
    loc = turn.locale
    key = "household_joined" if first_home else "household_joined_second"
    text = t(key, loc, home=home.label, community=home.building.community.name,
             role=t(f"household_role_{invite.role}", loc), may=t(f"household_may_{invite.role}", loc))
    return Outcome((Reply(text),))


def is_tenant(turn: Turn, home: Home) -> bool:
    """Whether the bound person is only a tenant of `home`."""
    member = turn.uow.identities.membership(turn.identity.owner_id or 0, home.id)
    return member is not None and member.role == "tenant"


def _remove(turn: Turn, home: Home, member: HomeMember) -> Outcome:
    person = member.owner
    turn.uow.session.delete(member)
    turn.uow.session.flush()
    still_member_elsewhere = bool(turn.uow.identities.homes_of(person.id))
    for identity in turn.uow.identities.for_owner(person.id):
        if identity.home_id == home.id:
            identity.home_id = None
        if not still_member_elsewhere:
            identity.owner_id, identity.verified = None, False
        notify.push(turn.uow, identity, "binding",
                    t("household_removed_push", identity.locale or "zh", home=home.label),
                    dedupe_key=f"household-removed:{member.id}:{identity.id}", now=turn.now)
    turn.uow.audit.record(turn.now, turn.actor, "household_removed", f"home:{home.id}",
                          {"owner": person.id, "role": member.role})
    return Outcome((Reply(t("household_removed", turn.locale, name=person.name, home=home.label)),))


def _registered_owner_of_home(turn: Turn) -> tuple[Owner, Home]:
    owner = require_owner(turn)
    home = current_home(turn)
    if not _is_registered_owner(turn, home):
        raise Forbidden("household_owner_only")
    return owner, home


def _is_registered_owner(turn: Turn, home: Home) -> bool:
    member = turn.uow.identities.membership(turn.identity.owner_id or 0, home.id)
    return member is not None and member.role == "owner"


def _label_of(turn: Turn, member: HomeMember) -> str:
    """The label the owner gave the code this member joined with ("妈妈"), if any."""
    ids = [i.id for i in turn.uow.identities.for_owner(member.owner_id)]
    invite = turn.uow.safety.code_used_by(ids, member.home_id)
    return invite.label if invite is not None else ""


def _tell_issuer(turn: Turn, invite: InviteCode, home: Home) -> None:
    if invite.issued_by_owner_id is None:
        return
    for identity in turn.uow.identities.for_owner(invite.issued_by_owner_id):
        if identity.verified:
            text = t("household_joined_push", identity.locale or "zh", home=home.label,
                     label=invite.label or t(f"household_role_{invite.role}", identity.locale or "zh"))
            notify.push(turn.uow, identity, "binding", text,
                        dedupe_key=f"household-joined:{invite.id}:{identity.id}", now=turn.now)
