"""Human handoff: a ticket for the front desk with what the owner was doing, and the desk's
hours and phone. One open handoff at a time: asking again does not open another."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import handlers.texts.tickets  # noqa: F401 - registers the texts used here
from handlers import history, tickets_core
from handlers.access import current_home
from handlers.errors import DomainError
from handlers.messages import Outcome, Reply
from handlers.office import relay
from handlers.owners import office_contacts
from handlers.texts import t
from handlers.turn import Turn
from storage.models import Community, Home, Ticket

_HOURS = re.compile(r"(\d{1,2})[:：](\d{2})\s*[-–~至到]\s*(\d{1,2})[:：](\d{2})")
RECENT_HANDOFF = timedelta(hours=2)


def human_handoff(turn: Turn) -> Outcome:
    """Open (or reuse) a front-desk ticket and tell the owner when and how a person answers."""
    loc = turn.locale
    home = _home(turn)
    if home is None:  # no desk to pass it to: the office's own phone and hours instead
        return office_contacts.for_unbound(turn, "handoff_unbound_contacts")
    community = home.building.community
    ticket = _recent_handoff(turn)
    if ticket is not None:
        # Asking again adds the new words to the same ticket, so the desk reads them too.
        if turn.text.strip():
            tickets_core.add_event(turn.uow, ticket, "note", turn.actor, turn.text.strip(), turn.now)
        relay.start(turn, home, ticket)  # back in the console inbox if it had been closed
        phone = community.service_phone or community.emergency_phone or "-"
        text = t("handoff_already", loc, number=ticket.number,
                 hours=community.front_desk_hours or "-", phone=phone)
        return Outcome((Reply(text),))
    try:
        ticket = tickets_core.create_ticket(
            turn, "handoff", description=_context(turn), category="front_desk", home=home,
        )
    except tickets_core.DailyCapError:
        relay.start(turn, home, None)
        return Outcome((Reply(_contact(community, turn.now, turn, None)),))
    relay.start(turn, home, ticket)  # the console inbox; the desk is pushed with a link
    return Outcome((Reply(_contact(community, turn.now, turn, ticket.number)),))


def _home(turn: Turn) -> Home | None:
    if not turn.identity.owner_id:
        return None
    try:
        return current_home(turn)
    except DomainError:  # a person will ask which home; don't make them pick first
        homes = turn.uow.identities.homes_of(turn.identity.owner_id)
        return homes[0] if homes else None


def _recent_handoff(turn: Turn) -> Ticket | None:
    open_ones = tickets_core.latest_of_owner(
        turn.uow, turn.identity.owner_id or 0, ("new", "assigned", "in_progress"), limit=5
    )
    return next(
        (x for x in open_ones if x.kind == "handoff" and turn.now - x.created_at < RECENT_HANDOFF),
        None,
    )


def _context(turn: Turn) -> str:
    """What the front desk needs to pick up where the bot stopped: the words, the open flow."""
    parts = [t("handoff_ctx_text", turn.locale, text=turn.text.strip() or "-")]
    earlier = history.recent(turn.deps, turn.identity.id)
    if earlier:
        parts.append(t("handoff_ctx_recent", turn.locale, texts=" / ".join(earlier)))
    flow = turn.state.get("flow")
    if flow:
        slots = turn.state.get("slots") or {}
        filled = "，".join(f"{k}={v}" for k, v in slots.items() if v and k != "home_id")
        parts.append(t("handoff_ctx_flow", turn.locale, flow=flow, slots=filled or "-"))
    open_ones = tickets_core.latest_of_owner(
        turn.uow, turn.identity.owner_id or 0, ("new", "assigned", "in_progress"), limit=3
    )
    if open_ones:
        numbers = "、".join(x.number for x in open_ones)
        parts.append(t("handoff_ctx_tickets", turn.locale, numbers=numbers))
    return "\n".join(parts)


def _contact(community: Community, now: datetime, turn: Turn, number: str | None) -> str:
    loc = turn.locale
    hours = community.front_desk_hours or "-"
    phone = community.service_phone or community.emergency_phone or "-"
    within = _within_hours(hours, now.astimezone(turn.deps.settings.timezone).time())
    key = "handoff_done" if within is not False else "handoff_done_closed"
    if number is None:
        return t("handoff_no_ticket", loc, hours=hours, phone=phone)
    return t(key, loc, number=number, hours=hours, phone=phone)


def _within_hours(hours: str, now: time) -> bool | None:
    """True/False for `8:00-20:00`-like hours, None when the hours cannot be read."""
    match = _HOURS.search(hours)
    if match is None:
        return None
    start = time(int(match.group(1)) % 24, int(match.group(2)))
    end = time(int(match.group(3)) % 24, int(match.group(4)))
    if start <= end:
        return start <= now < end
    return now >= start or now < end  # overnight desks, e.g. 20:00-8:00
