"""Ticket jobs: `ticket_escalations` to the managers and `satisfaction_requests` to owners.

Status changes themselves are pushed as they happen (tickets_core.transition → notify);
these jobs handle what only the clock notices: nobody took a ticket, a deadline passed, a
resolved ticket was never rated.
"""

from __future__ import annotations

from datetime import datetime

import handlers.texts.jobs  # noqa: F401 - registers the texts used here
import handlers.texts.staff  # noqa: F401 - the staff card of the escalation push
from handlers import notify, tickets_core
from handlers.deps import Deps
from handlers.jobs_common import JobReport, in_quiet_hours
from handlers.texts import t
from storage.models import Ticket
from storage.repositories.jobs import JobQueries
from storage.uow import UnitOfWork

# Escalation levels, lowest first. A ticket is escalated once per level, and a run only
# ever sends its highest due level (a late unassigned ticket gets one push, not two).
LEVELS = ("unassigned", "overdue")


def ticket_escalations(deps: Deps, now: datetime) -> JobReport:
    """Tell the managers about tickets nobody took in time or past their SLA deadline."""
    settings = deps.settings.jobs
    with deps.uow() as uow:
        queries = JobQueries(uow.session)
        late = now - settings.escalate_unassigned_after
        found = {ticket.id: "unassigned" for ticket in queries.unassigned_open(late)}
        found.update({ticket.id: "overdue" for ticket in queries.past_due_open(now)})
    queued = changed = 0
    for ticket_id, level in sorted(found.items()):
        with deps.uow() as uow:
            sent = escalate(uow, ticket_id, level, now)
            uow.commit()
        if sent is not None:
            queued, changed = queued + sent, changed + 1
    return JobReport("ticket_escalations", now, queued=queued, considered=len(found), changed=changed)


def escalate(uow: UnitOfWork, ticket_id: int, level: str, now: datetime) -> int | None:
    """Record level `level` on the ticket and push it; None when it was already done."""
    ticket = uow.tickets.get(ticket_id)
    if ticket is None or not tickets_core.is_open(ticket) or not _still_due(ticket, level, now):
        return None
    done = JobQueries(uow.session).escalation_levels(ticket.id)
    if any(LEVELS.index(d) >= LEVELS.index(level) for d in done if d in LEVELS):
        return None
    ticket.escalated_at = now
    event = tickets_core.add_event(uow, ticket, "escalated", "system", level, now)
    pushes = notify.notify_managers(uow, ticket, event, now, f"staff_push_escalated_{level}")
    if level == "overdue":  # the owner hears that their late ticket went up the chain
        pushes += notify.notify_ticket_update(uow, ticket, event, now)
    return len(pushes)


def _still_due(ticket: Ticket, level: str, now: datetime) -> bool:
    if level == "unassigned":
        return ticket.assignee_staff_id is None
    return ticket.sla_due_at is not None and ticket.sla_due_at < now


def satisfaction_requests(deps: Deps, now: datetime) -> JobReport:
    """Ask owners to rate tickets resolved a while ago and still unrated, once per ticket."""
    settings, tz = deps.settings.jobs, deps.settings.timezone
    if in_quiet_hours(now, settings, tz):
        return JobReport("satisfaction_requests", now, skipped="quiet_hours")
    queued = 0
    with deps.uow() as uow:
        tickets = JobQueries(uow.session).resolved_unrated(
            now - settings.satisfaction_max_age, now - settings.satisfaction_after
        )
        for ticket in tickets:
            queued += ask_rating(uow, ticket, now)
        uow.commit()
    return JobReport("satisfaction_requests", now, queued=queued, considered=len(tickets))


def ask_rating(uow: UnitOfWork, ticket: Ticket, now: datetime) -> int:
    """The rating request with ⭐ buttons to each verified account of the ticket's owner."""
    if ticket.owner_id is None:
        return 0
    queued = 0
    for identity in uow.identities.for_owner(ticket.owner_id):
        if not identity.verified:
            continue
        locale = identity.locale or "zh"
        text = t("job_satisfaction", locale, number=ticket.number,
                 what=notify.ticket_title(ticket, locale))
        msg = notify.push(
            uow, identity, "ticket_update", text, notify.rating_buttons(ticket.number, locale),
            dedupe_key=f"satisfaction:{ticket.id}:{identity.id}", now=now,
        )
        queued += msg is not None
    return queued
