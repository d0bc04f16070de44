"""Tickets for every kind: creation, numbering, SLA, routing to staff, status transitions.

Repairs, complaints, suggestions, fee questions and handoffs all open tickets here, and every
status change goes through `transition`, which writes the timeline and the owner's push.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers import notify
from handlers.access import current_home, require_owner
from handlers.deps import HandlerSettings
from handlers.errors import DomainError, Invalid
from handlers.office import rota
from handlers.supervision import return_visits
from handlers.turn import Turn
from storage.models import OPEN_STATUSES, Home, Staff, Ticket, TicketEvent
from storage.uow import UnitOfWork

KIND_LETTERS = {
    "repair": "R", "complaint": "C", "suggestion": "S", "fee_question": "F", "handoff": "H",
}
URGENCIES = ("emergency", "high", "normal", "low")
SLA_BY_URGENCY = {
    "emergency": timedelta(minutes=30),
    "high": timedelta(hours=4),
    "normal": timedelta(hours=24),
    "low": timedelta(hours=72),
}
REOPEN_WINDOW = timedelta(days=7)
# Photos sent before a report belong to it only if recent: an old stray photo is not evidence.
ATTACHMENT_WINDOW = timedelta(hours=24)

# Who may be handed a ticket, by kind; complaints by their target (a cleaning complaint to
# the cleaning team). Nobody matching → unassigned, and the managers are told.
ROUTE_ROLES: dict[str, tuple[str, ...]] = {
    "repair": ("repair",),
    "complaint": ("manager",),
    "suggestion": ("manager",),
    "fee_question": ("finance",),
    "handoff": ("front_desk",),
}
COMPLAINT_ROLES: dict[str, tuple[str, ...]] = {
    "cleaning": ("cleaning",),
    "security": ("security",),
}

# The state machine. `assigned → assigned` is a transfer; resolved/closed → assigned/new is
# a reopen (checked against REOPEN_WINDOW by `reopen`).
ALLOWED: dict[str, frozenset[str]] = {
    "new": frozenset({"assigned", "cancelled"}),
    "assigned": frozenset({"assigned", "in_progress", "cancelled"}),
    "in_progress": frozenset({"assigned", "resolved", "cancelled"}),
    "resolved": frozenset({"closed", "assigned", "new"}),
    "closed": frozenset({"assigned", "new"}),
    "cancelled": frozenset(),
}
DEFAULT_EVENT = {
    "assigned": "assigned", "in_progress": "accepted", "resolved": "resolved",
    "closed": "closed", "cancelled": "cancelled", "new": "reopened",
}


class DailyCapError(DomainError):
    """The owner opened max_tickets_per_day tickets today; nothing is written."""

    text_key = "ticket_daily_cap"


class InvalidTransitionError(DomainError):
    """A status change the state machine does not allow (e.g. rating an open ticket)."""

    text_key = "ticket_bad_transition"


@dataclass(frozen=True)
class TicketDraft:
    """What a new ticket needs; the rest (number, SLA, assignee) is derived."""

    kind: str
    community_id: int
    description: str
    home_id: int | None = None
    owner_id: int | None = None
    reporter_identity_id: int | None = None
    category: str = ""
    location: str = "home"  # home/public
    location_detail: str = ""
    urgency: str = "normal"
    building_id: int | None = None  # where an emergency is, even in a public area
    unit: str = ""


def create_ticket(
    turn: Turn,
    kind: str,
    *,
    description: str,
    category: str = "",
    location: str = "home",
    location_detail: str = "",
    urgency: str = "normal",
    home: Home | None = None,
) -> Ticket:
    """Open a ticket for the bound owner of `turn` (their home in focus unless `home` is given)."""
    owner = require_owner(turn)
    home = home or current_home(turn)
    draft = TicketDraft(
        kind=kind, community_id=home.building.community_id, description=description,
        home_id=home.id, owner_id=owner.id, reporter_identity_id=turn.identity.id,
        category=category, location=location, location_detail=location_detail,
        urgency=urgency,
    )
    return open_ticket(
        turn.uow, draft, now=turn.now, actor=turn.actor, settings=turn.deps.settings,
        source_identity_id=turn.identity.id,
    )


def open_ticket(
    uow: UnitOfWork,
    draft: TicketDraft,
    *,
    now: datetime,
    actor: str,
    settings: HandlerSettings,
    source_identity_id: int | None = None,
) -> Ticket:
    """Number, store, route and announce a ticket; DailyCapError before writing anything."""
    if draft.kind not in KIND_LETTERS:
        raise Invalid(reason=f"ticket kind {draft.kind}")
    urgency = draft.urgency if draft.urgency in SLA_BY_URGENCY else "normal"
    # An emergency is never refused: the cap is against spam, not against gas leaks.
    if draft.owner_id and urgency != "emergency":
        check_daily_cap(uow, draft.owner_id, now, settings, community_id=draft.community_id)
    ticket = uow.tickets.add(Ticket(
        number=next_number(uow, draft.kind, now, settings.timezone),
        kind=draft.kind, community_id=draft.community_id, home_id=draft.home_id,
        owner_id=draft.owner_id, reporter_identity_id=draft.reporter_identity_id,
        category=draft.category[:30], location=draft.location,
        location_detail=draft.location_detail[:200], urgency=urgency,
        building_id=draft.building_id, unit=draft.unit[:20],
        description=draft.description.strip()[:4000], status="new",
        sla_due_at=now + SLA_BY_URGENCY[urgency], created_at=now, updated_at=now,
        urge_count=0, reopen_count=0,
    ))
    add_event(uow, ticket, "created", actor, "", now)
    if draft.reporter_identity_id:
        for attachment in uow.tickets.pending_attachments(
            draft.reporter_identity_id, now - ATTACHMENT_WINDOW
        ):
            attachment.ticket_id = ticket.id
    assignee = pick_assignee(uow, ticket)
    if assignee is not None:
        transition(
            uow, ticket, "assigned", "system", assignee.name, now,
            assignee=assignee, source_identity_id=source_identity_id,
        )
    notify.notify_staff_new_ticket(uow, ticket, now)
    return ticket


def check_daily_cap(
    uow: UnitOfWork, owner_id: int, now: datetime, settings: HandlerSettings,
    *, community_id: int | None = None,
) -> None:
    """Raise DailyCapError when the owner already opened today's allowance of tickets.

    The refusal sends the owner to the phone, so it names the community's numbers.
    """
    local = now.astimezone(settings.timezone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    limit = settings.max_tickets_per_day
    if uow.tickets.count_created_by_owner(owner_id, midnight) < limit:
        return
    community = uow.org.community(community_id) if community_id else None
    phone = (community.service_phone or community.emergency_phone) if community else ""
    if community is None or not phone:
        raise DailyCapError("ticket_daily_cap_no_phone", limit=limit)
    raise DailyCapError(limit=limit, phone=phone, emergency=community.emergency_phone or phone)


def next_number(uow: UnitOfWork, kind: str, now: datetime, tz: ZoneInfo) -> str:
    """`R20261127001`: kind letter, the local date, the day's sequence for that kind."""
    key = KIND_LETTERS[kind] + now.astimezone(tz).strftime("%Y%m%d")
    while True:
        number = f"{key}{uow.tickets.next_sequence(key):03d}"
        if not uow.tickets.number_taken(number):
            return number


def pick_assignee(uow: UnitOfWork, ticket: Ticket) -> Staff | None:
    """The least-loaded on-duty staff of the company who handles this category and building."""
    community = uow.org.community(ticket.community_id)
    if community is None or community.company_id is None:
        return None
    roles = route_roles(ticket)
    home = uow.org.home(ticket.home_id) if ticket.home_id and ticket.location == "home" else None
    building = (community.name, home.building.name) if home is not None else None
    # Where the community keeps a duty rota for these roles, only those on shift take it.
    rostered = rota.on_duty_ids(uow, community, roles, ticket.created_at)
    candidates = [
        s for s in uow.tickets.on_duty_staff(community.company_id, roles)
        if handles(s, ticket.category, building) and (rostered is None or s.id in rostered)
    ]
    if not candidates:
        return None
    load = uow.tickets.open_load([s.id for s in candidates])
    return min(candidates, key=lambda s: (load.get(s.id, 0), s.id))


def route_roles(ticket: Ticket) -> tuple[str, ...]:
    """Which staff roles take this ticket."""
    if ticket.kind == "complaint":
        return COMPLAINT_ROLES.get(ticket.category, ROUTE_ROLES["complaint"])
    return ROUTE_ROLES.get(ticket.kind, ("manager",))


def handles(staff: Staff, category: str, building: tuple[str, str] | None) -> bool:
    """Whether `staff` covers the category and the building (`(community, building)`)."""
    categories = _comma_set(staff.categories)
    if categories and category and category not in categories:
        return False
    buildings = _comma_set(staff.buildings)
    if not buildings or building is None:
        return True
    community_name, building_name = building
    return f"{community_name}/{building_name}" in buildings or building_name in buildings


def _comma_set(raw: str) -> set[str]:
    return {part.strip() for part in raw.replace("，", ",").split(",") if part.strip()}


def add_event(
    uow: UnitOfWork, ticket: Ticket, kind: str, actor: str, note: str, now: datetime
) -> TicketEvent:
    """Append one step to the timeline without changing the status (urged, rated, note)."""
    ticket.updated_at = now
    return uow.tickets.add_event(TicketEvent(
        ticket_id=ticket.id, at=now, kind=kind, actor=actor[:40],
        status_after=ticket.status, note=note[:2000],
    ))


def transition(
    uow: UnitOfWork,
    ticket: Ticket,
    to_status: str,
    actor: str,
    note: str,
    now: datetime,
    *,
    event_kind: str | None = None,
    assignee: Staff | None = None,
    source_identity_id: int | None = None,
) -> TicketEvent:
    """Move a ticket to `to_status` if the state machine allows it; timeline + owner push."""
    if to_status not in ALLOWED.get(ticket.status, frozenset()):
        raise InvalidTransitionError(number=ticket.number)
    if assignee is not None:
        ticket.assignee_staff_id = assignee.id
    ticket.status = to_status
    if to_status == "resolved":
        ticket.resolved_at = now
    kind = event_kind or DEFAULT_EVENT[to_status]
    event = add_event(uow, ticket, kind, actor, note, now)
    notify.notify_ticket_update(uow, ticket, event, now, exclude_identity_id=source_identity_id)
    return event


def reopen(
    uow: UnitOfWork, ticket: Ticket, actor: str, note: str, now: datetime,
    source_identity_id: int | None = None,
) -> TicketEvent:
    """Send a resolved/closed ticket back within REOPEN_WINDOW, to its assignee if it had one."""
    resolved_at = ticket.resolved_at or ticket.updated_at
    if ticket.status not in ("resolved", "closed") or now - resolved_at > REOPEN_WINDOW:
        raise InvalidTransitionError("ticket_reopen_too_late", number=ticket.number)
    ticket.reopen_count = (ticket.reopen_count or 0) + 1
    return_visits.record_not_solved(uow, ticket, actor, now)  # the return visit's 未解决
    ticket.resolved_at = None
    ticket.sla_due_at = now + SLA_BY_URGENCY.get(ticket.urgency, SLA_BY_URGENCY["normal"])
    to_status = "assigned" if ticket.assignee_staff_id else "new"
    event = transition(
        uow, ticket, to_status, actor, note, now,
        event_kind="reopened", source_identity_id=source_identity_id,
    )
    notify.notify_staff_ticket(uow, ticket, event, now)
    return event


def is_open(ticket: Ticket) -> bool:
    """Still being worked on (new, assigned, in progress)."""
    return ticket.status in OPEN_STATUSES


def owner_ticket(uow: UnitOfWork, owner_id: int, number: str) -> Ticket | None:
    """The owner's own ticket with this number; anybody else's is None (as if missing).

    Owners often drop the kind letter (20261127001): then any kind's letter is tried.
    """
    numbers = [number]
    if number.isdigit():
        numbers += [letter + number for letter in KIND_LETTERS.values()]
    for candidate in numbers:
        ticket = uow.tickets.by_number(candidate, for_update=True)
        if ticket is not None and ticket.owner_id == owner_id:
            return ticket
    return None


def latest_of_owner(
    uow: UnitOfWork, owner_id: int, statuses: Sequence[str], limit: int = 5
) -> list[Ticket]:
    """The owner's newest tickets in `statuses`."""
    return uow.tickets.of_owner(owner_id, statuses, limit)
