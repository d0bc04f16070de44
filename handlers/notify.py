"""The only place a push is born: outbox rows, written in the caller's unit of work.

Nothing here sends. A push is a row in `outbox` that commits (or rolls back) with the change
that caused it; `bot/sender.py` drains the table later.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.messages import Button
from handlers.office import rota
from handlers.texts import TEXTS, t
from handlers.texts import emergencies as _emergency_texts  # noqa: F401 - registers the texts used here
from handlers.texts import tickets as _ticket_texts  # noqa: F401 - registers the texts used here
from handlers.util import mask_phones
from storage.models import ChannelIdentity, OutboxMessage, Staff, Ticket, TicketEvent
from storage.uow import UnitOfWork

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The preference each push kind obeys; kinds not listed (staff work, replies) always go.
PREFERENCE_BY_KIND = {
    "ticket_update": "notify_tickets",
    "bill_reminder": "notify_bills",
    "notice": "notify_notices",
}
DESCRIPTION_CHARS = 60
OWNER_EVENTS = frozenset({
    "assigned", "accepted", "transferred", "resolved", "closed", "cancelled", "reopened",
    "escalated", "rated",
})


def push(
    uow: UnitOfWork,
    identity: ChannelIdentity,
    kind: str,
    text: str,
    buttons: Sequence[Button] = (),
    dedupe_key: str | None = None,
    now: datetime | None = None,
    *,
    safety: bool = False,
) -> OutboxMessage | None:
    """Queue one push to `identity`; None when unreachable, opted out, or already queued.

    `safety` lets a safety notice through a turned-off preference (never an unreachable one).
    """
    if now is None:
        raise TypeError("push() needs now")
    if not identity.reachable:
        return None
    preference = PREFERENCE_BY_KIND.get(kind)
    if preference and not safety and not getattr(identity, preference, True):
        return None
    if dedupe_key and uow.outbox.has_dedupe_key(dedupe_key):
        return None
    payload = {
        "text": text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in buttons],
    }
    return uow.outbox.add(OutboxMessage(
        identity_id=identity.id, channel=identity.channel, kind=kind,
        payload=json.dumps(payload, ensure_ascii=False), dedupe_key=dedupe_key,
        status="pending", attempts=0, next_attempt_at=now, created_at=now,
    ))


def payload(name: str, **entities: object) -> str:
    """A button payload `/name{"key": "value"}` as dispatch parses it."""
    if not entities:
        return f"/{name}"
    return f"/{name}" + json.dumps({k: str(v) for k, v in entities.items()}, ensure_ascii=False)


# -- owners -------------------------------------------------------------------------------


def notify_ticket_update(
    uow: UnitOfWork,
    ticket: Ticket,
    event: TicketEvent,
    now: datetime,
    *,
    exclude_identity_id: int | None = None,
) -> list[OutboxMessage]:
    """Tell every verified chat account of the ticket's owner what just happened.

    The account that caused the change already has the answer as a reply: it is skipped.
    """
    if event.kind not in OWNER_EVENTS:
        return []
    queued = []
    owners = uow.identities.for_owner(ticket.owner_id) if ticket.owner_id else []
    followers = _incident_followers(uow, ticket, {i.id for i in owners})
    for identity in [*owners, *followers]:
        if identity.id == exclude_identity_id or (identity in owners and not identity.verified):
            continue
        locale = identity.locale or "zh"
        text, buttons = owner_update(uow, ticket, event, locale)
        msg = push(
            uow, identity, "ticket_update", text, buttons,
            dedupe_key=f"ticket-event:{event.id}:{identity.id}", now=now,
        )
        if msg is not None:
            queued.append(msg)
    return queued


def _incident_followers(uow: UnitOfWork, ticket: Ticket, skip: set[int]) -> list[ChannelIdentity]:
    """Who else reported this emergency (and an unbound first reporter): they hear its updates."""
    ids = [r.identity_id for r in uow.safety.reporters(ticket.id)]
    if ticket.reporter_identity_id and ticket.urgency == "emergency":
        ids.insert(0, ticket.reporter_identity_id)
    found = [uow.identities.get(i) for i in dict.fromkeys(ids) if i not in skip]
    return [i for i in found if i is not None]


def owner_update(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, locale: str
) -> tuple[str, tuple[Button, ...]]:
    """The text and buttons of an owner's ticket push for `event`."""
    staff = uow.org.staff(ticket.assignee_staff_id) if ticket.assignee_staff_id else None
    params = {
        "number": ticket.number,
        "what": ticket_title(ticket, locale),
        "staff": staff_contact(staff),
        "note": f"（{event.note}）" if event.note and event.kind in ("resolved", "cancelled") else "",
        "due": local_time(ticket.sla_due_at, locale),
    }
    text = t(f"push_ticket_{event.kind}", locale, **params)
    buttons: tuple[Button, ...] = ()
    if event.kind == "resolved":
        buttons = rating_buttons(ticket.number, locale)
    return text, buttons


def rating_buttons(number: str, locale: str) -> tuple[Button, ...]:
    """⭐1 … ⭐5 and "not fixed" for a resolved ticket."""
    stars = tuple(
        Button(f"⭐{n}", payload("rate_service", ticket_id=number, rating=n)) for n in range(1, 6)
    )
    return (*stars, Button(t("btn_not_fixed", locale), payload("reopen_ticket", ticket_id=number)))


# -- staff --------------------------------------------------------------------------------


def notify_staff_new_ticket(uow: UnitOfWork, ticket: Ticket, now: datetime) -> list[OutboxMessage]:
    """Put a new ticket on the assignee's phone, or on the managers' when nobody took it."""
    events = uow.tickets.events(ticket.id, limit=1)
    if not events:
        return []
    if ticket.urgency != "emergency":
        return notify_staff_ticket(uow, ticket, events[-1], now, intro="staff_push_new")
    queued = notify_staff_ticket(uow, ticket, events[-1], now, intro="staff_push_emergency")
    if ticket.assignee_staff_id:  # an emergency is the managers' business too
        queued += notify_managers(uow, ticket, events[-1], now, "staff_push_emergency")
    return queued


def notify_staff_ticket(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, now: datetime,
    intro: str | None = None,
) -> list[OutboxMessage]:
    """The ticket card with action buttons to its assignee (or the managers), once per event."""
    intro = intro or f"staff_push_{event.kind}"
    staff = [uow.org.staff(ticket.assignee_staff_id)] if ticket.assignee_staff_id else []
    recipients = [s for s in staff if s is not None and s.active] or managers(uow, ticket, now)
    # A cancelled or finished ticket's card keeps no 接单/完成 buttons: there is nothing to press.
    open_now = ticket.status in ("new", "assigned", "in_progress")
    return _to_staff(uow, recipients, ticket, event, now, intro, with_buttons=open_now)


def notify_managers(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, now: datetime, intro: str
) -> list[OutboxMessage]:
    """The ticket card to the community's managers (low ratings, repeated urging)."""
    return _to_staff(uow, managers(uow, ticket, now), ticket, event, now, intro, with_buttons=False)


def managers(uow: UnitOfWork, ticket: Ticket, now: datetime | None = None) -> list[Staff]:
    """The managers on duty for the ticket's community (the duty rota), else every active one.

    `now` defaults to the ticket's last change, which is when a push about it is born.
    """
    community = uow.org.community(ticket.community_id)
    if community is None or community.company_id is None:
        return []
    moment = now or ticket.updated_at or ticket.created_at
    found = [s for s in uow.org.staff_by_role(community.company_id, "manager") if s.active]
    # A gap in the rota must not swallow an emergency: then every active manager hears it.
    return rota.on_duty(uow, community, "manager", moment) or found


def _to_staff(
    uow: UnitOfWork, recipients: Sequence[Staff], ticket: Ticket, event: TicketEvent,
    now: datetime, intro: str, *, with_buttons: bool,
) -> list[OutboxMessage]:
    queued = []
    for member in recipients:
        for identity in uow.identities.for_staff(member.id):
            locale = identity.locale or "zh"
            text = t(intro, locale, number=ticket.number, note=event.note) + "\n" + staff_card(
                uow, ticket, locale, viewer=member
            )
            buttons = staff_buttons(ticket.number, locale) if with_buttons else ()
            msg = push(
                uow, identity, "staff_ticket", text, buttons,
                dedupe_key=f"staff-event:{event.id}:{identity.id}:{intro}", now=now,
            )
            if msg is not None:
                queued.append(msg)
    return queued


def staff_card(
    uow: UnitOfWork, ticket: Ticket, locale: str, viewer: Staff | None = None
) -> str:
    """Number, category, location, urgency and deadline, description, owner's phone.

    Phones (the owner's, any in the description) are in full only for `viewer` of the
    ticket's own company, who must call the owner; anybody else sees them masked.
    """
    owner = uow.identities.owner(ticket.owner_id) if ticket.owner_id else None
    description = ticket.description
    if len(description) > DESCRIPTION_CHARS:
        description = description[:DESCRIPTION_CHARS] + "…"
    full = serves_ticket(uow, viewer, ticket)
    if not full:
        description = mask_phones(description)
    owner_line = "-"
    if owner is not None:
        phone = owner.phone or "-"
        owner_line = f"{owner.name[:1]}** {phone if full else mask_phones(phone)}"
    return t(
        "staff_card", locale,
        number=ticket.number, what=ticket_title(ticket, locale),
        where=ticket_location(uow, ticket, locale),
        urgency=t(f"urgency_{ticket.urgency}", locale),
        due=local_time(ticket.sla_due_at, locale),
        description=description or "-", owner=owner_line,
    )


def serves_ticket(uow: UnitOfWork, staff: Staff | None, ticket: Ticket) -> bool:
    """Whether `staff` is active staff of the company that runs the ticket's community."""
    community = uow.org.community(ticket.community_id)
    return (
        staff is not None and staff.active and community is not None
        and community.company_id is not None and staff.company_id == community.company_id
    )


def staff_buttons(number: str, locale: str) -> tuple[Button, ...]:
    """接单 / 转派 / 完成 for one ticket."""
    return (
        Button(t("btn_staff_accept", locale), payload("staff_accept", ticket=number)),
        Button(t("btn_staff_transfer", locale), payload("staff_transfer", ticket=number)),
        Button(t("btn_staff_done", locale), payload("staff_done", ticket=number)),
    )


# -- shared wording -----------------------------------------------------------------------


def ticket_title(ticket: Ticket, locale: str) -> str:
    """`报修·水管漏水` — the kind and, when known, its category."""
    kind = t(f"kind_{ticket.kind}", locale)
    key = f"cat_{ticket.category}"
    if ticket.category and key in TEXTS:
        return f"{kind}·{t(key, locale)}"
    return kind


def ticket_location(uow: UnitOfWork, ticket: Ticket, locale: str) -> str:
    """`望京花园 3-2-501`, or `望京花园 公共区域（楼道）`."""
    community = uow.org.community(ticket.community_id)
    name = community.name if community else ""
    home = uow.org.home(ticket.home_id) if ticket.home_id else None
    if ticket.location == "public" or home is None:
        detail = f"（{ticket.location_detail}）" if ticket.location_detail else ""
        place = _building_of(uow, ticket, locale)  # an emergency says which building
        return f"{name} {place}{t('location_public', locale)}{detail}".strip()
    return f"{name} {home.label}".strip()


def _building_of(uow: UnitOfWork, ticket: Ticket, locale: str) -> str:
    """`3号楼2单元 ` when the ticket carries its building, else ""."""
    building = uow.org.building(ticket.building_id) if ticket.building_id else None
    if building is None:
        return ""
    text = t("emg_where_building", locale, building=building.name)
    return text + (t("emg_where_unit", locale, unit=ticket.unit) if ticket.unit else "") + " "


def staff_contact(staff: Staff | None) -> str:
    """`张师傅 137****0001`, or an empty string."""
    if staff is None:
        return ""
    return f"{staff.name} {mask_phones(staff.phone)}".strip()


def local_time(moment: datetime | None, locale: str, tz: ZoneInfo = SHANGHAI) -> str:
    """`11月27日 14:30` (or `Nov 27 14:30`) in Beijing time."""
    if moment is None:
        return "-"
    local = moment.astimezone(tz)
    if locale == "en":
        return local.strftime("%b %d %H:%M")
    return f"{local.month}月{local.day}日 {local:%H:%M}"


# -- notices (appended for the notice_reminders job and broadcasts) -------------------------


def notice_dedupe_key(notice_id: int, stage: str, identity_id: int) -> str:
    """`notice:12:published:34` — one push per notice, stage and chat account.

    Stages: `published`, `before_start`, `restored`. A broadcast that pushes a notice at
    publish time uses the `published` key too, so the notice_reminders job never repeats it.
    """
    return f"notice:{notice_id}:{stage}:{identity_id}"
