"""Tickets with known outcomes, built through the real ticket functions at chosen times."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers import tickets_core
from handlers.deps import HandlerSettings
from handlers.supervision import return_visits
from handlers.tickets_core import TicketDraft
from storage.models import Ticket
from storage.uow import UnitOfWork

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """`2026-11-02 10:00` in Beijing time."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def make_ticket(
    uow: UnitOfWork, *, community_id: int, home_id: int | None, owner_id: int | None,
    kind: str = "repair", urgency: str = "normal", created: str, accepted: str | None = None,
    resolved: str | None = None, rating: int | None = None, reopened: str | None = None,
    cancelled: str | None = None, source: str = "owner", category: str = "",
) -> Ticket:
    """Open a ticket at `created`, then accept / resolve / rate / reopen / cancel at the times given."""
    draft = TicketDraft(kind=kind, community_id=community_id, description=f"{kind} {created}",
                        home_id=home_id, owner_id=owner_id, urgency=urgency, category=category)
    ticket = tickets_core.open_ticket(uow, draft, now=at(created), actor="test",
                                      settings=HandlerSettings())
    ticket.source = source
    if cancelled:
        tickets_core.transition(uow, ticket, "cancelled", "test", "", at(cancelled))
        return ticket
    if accepted:
        if ticket.status == "new":
            staff = tickets_core.pick_assignee(uow, ticket)
            tickets_core.transition(uow, ticket, "assigned", "system", "", at(accepted), assignee=staff)
        tickets_core.transition(uow, ticket, "in_progress", "staff:1", "", at(accepted))
    if resolved:
        tickets_core.transition(uow, ticket, "resolved", "staff:1", "", at(resolved))
    if rating:
        when = at(resolved or created)
        ticket.rating = rating
        return_visits.record_rating(uow, ticket, rating, "owner:test", when)
        tickets_core.transition(uow, ticket, "closed", "owner:test", f"{rating}★", when,
                                event_kind="rated")
    if reopened:
        tickets_core.reopen(uow, ticket, "owner:test", "没修好", at(reopened))
    uow.flush()
    return ticket
