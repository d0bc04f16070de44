"""Emergencies: advice first, then a ticket with a place, the on-duty manager told at once.

- A report answers at once with who to call (120/110/119 first for a person, the property's
  24-hour line, or honestly none), the safety advice, and an emergency ticket carrying the
  building (and unit): from the text, else the bound home; else the same reply asks for it.
- "着火了怎么办" gets the advice and a button to report, but no ticket.
- The same emergency reported again (same community, kind and place, within
  INCIDENT_WINDOW) joins the open ticket: each reporter is linked and hears its updates.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import handlers.texts.emergencies  # noqa: F401 - registers the texts used here
from handlers import notify, tickets_core
from handlers.access import current_home
from handlers.errors import DomainError
from handlers.messages import Button, Incoming, Outcome, Reply
from handlers.notify import local_time, payload
from handlers.owners import emergency_rules as rules
from handlers.owners.emergency_rules import Place
from handlers.repair_slots import infer_repair
from handlers.texts import t
from handlers.turn import Turn
from nlu.normalize import canonical
from storage.models import Community, Home, Ticket

FLOW = "emergency_place"
INCIDENT_WINDOW = timedelta(minutes=30)
BUILDING_WIDE = ("gas", "lift", "fire")  # one smell, one lift, one fire: one incident per building
_TICKET = {  # kind → (ticket kind, category)
    "gas": ("repair", "gas"), "lift": ("repair", "elevator"), "fire": ("repair", "fire_safety"),
    "medical": ("handoff", "medical"), "locked_in": ("handoff", "locked_in"),
    "intruder": ("handoff", "intruder"),
}


def detect(turn: Turn) -> Outcome | None:
    """The emergency answer when the text reports (or asks about) one; else None."""
    kind = rules.kind_of(turn.text or "")
    if not kind:
        return None
    slots = turn.state.get("slots") if turn.state.get("flow") == "report_repair" else None
    return respond(turn, kind, dict(slots or {}))


def emergency_report(turn: Turn) -> Outcome:
    """The "it is happening now" button under a hypothetical's advice."""
    kind = turn.entity("kind") or ""
    return respond(turn, kind if kind in rules.KINDS else "fire", {}, confirmed=True)


def respond(turn: Turn, kind: str, slots: dict[str, Any], confirmed: bool = False) -> Outcome:
    """Who to call and what to do first; then the incident's ticket (new or joined)."""
    loc = turn.locale
    home = _home(turn)
    community = home.building.community if home else rules.community_named(turn.uow, turn.text)
    head = [t(f"emg_head_{kind}", loc)]
    line, advice = rules.phone_lines(community, kind, loc), rules.advice(kind, loc)
    lead = [*head, line, advice] if kind in BUILDING_WIDE else [*head, advice, line]
    turn.state = {}
    if not confirmed and rules.is_hypothetical(turn.text):
        button = Button(t("emg_btn_report_now", loc), payload("emergency_report", kind=kind))
        text = t("emg_hypothetical", loc, advice=advice, line=line)
        return Outcome((Reply(text, (button,)),))
    if community is None:
        state = {"flow": FLOW, "kind": kind, "text": turn.text[:500]}
        return Outcome((Reply("\n".join([*lead, t("emg_ask_place_no_ticket", loc)])),), state)
    place = rules.named_place(turn.uow, community, turn.text) or (rules.home_place(home) if home else None)
    same = _same_incident(turn, community, kind, place, home)
    if same is not None:
        return Outcome((Reply("\n".join([*lead, _join(turn, same, place)])),))
    ticket = _open(turn, community, home, kind, place, slots)
    where = notify.ticket_location(turn.uow, ticket, loc)
    due = local_time(ticket.sla_due_at, loc, turn.deps.settings.timezone)
    tail = [t("emg_ticket", loc, number=ticket.number, where=where, due=due)]
    if place is None:
        tail.append(t("emg_ask_place", loc, number=ticket.number))
        return Outcome((Reply("\n".join([*lead, *tail])),), {"flow": FLOW, "ticket": ticket.number})
    return Outcome((Reply("\n".join([*lead, *tail])),))


def pending_place(turn: Turn) -> Outcome | None:
    """The answer to "where is it?" after an emergency: the place goes onto the ticket."""
    if turn.state.get("flow") != FLOW or not (turn.text or "").strip():
        return None
    number, loc = str(turn.state.get("ticket") or ""), turn.locale
    if not number:  # no community yet: the first report and this answer make the report
        kind = str(turn.state.get("kind") or "")
        if kind not in rules.KINDS:
            return None
        turn.incoming = _with_text(turn, f"{turn.state.get('text', '')} {turn.text}")
        return respond(turn, kind, {}, confirmed=True)
    ticket = turn.uow.tickets.by_number(number, for_update=True)
    community = turn.uow.org.community(ticket.community_id) if ticket else None
    place = rules.named_place(turn.uow, community, turn.text)
    if ticket is None or place is None:
        return None
    ticket.building_id, ticket.unit = place.building_id, place.unit[:20]
    where = rules.where_text(place, loc)
    event = tickets_core.add_event(turn.uow, ticket, "place", turn.actor, where, turn.now)
    notify.notify_staff_ticket(turn.uow, ticket, event, turn.now, intro="staff_push_place")
    turn.state = {}
    return Outcome((Reply(t("emg_place_added", loc, where=where, number=ticket.number)),))


def _home(turn: Turn) -> Home | None:
    """The bound home in focus, else the owner's first: an emergency never waits for "which?"."""
    if not turn.identity.owner_id:
        return None
    try:
        return current_home(turn)
    except DomainError:
        homes = turn.uow.identities.homes_of(turn.identity.owner_id)
        return homes[0] if homes else None


def _same_incident(
    turn: Turn, community: Community, kind: str, place: Place | None, home: Home | None
) -> Ticket | None:
    category = _TICKET[kind][1]
    for ticket in turn.uow.safety.open_emergencies(community.id, turn.now - INCIDENT_WINDOW):
        if ticket.category != category and not (kind == "fire" and ticket.category == "electrical"):
            continue
        if ticket.reporter_identity_id == turn.identity.id:
            return ticket
        if kind in BUILDING_WIDE and place is not None and place.building_id is not None \
                and ticket.building_id == place.building_id \
                and (not ticket.unit or not place.unit or ticket.unit == place.unit):
            return ticket
        if kind not in BUILDING_WIDE and home is not None and ticket.home_id == home.id:
            return ticket
    return None


def _join(turn: Turn, ticket: Ticket, place: Place | None) -> str:
    loc = turn.locale
    where = notify.ticket_location(turn.uow, ticket, loc)
    if ticket.reporter_identity_id == turn.identity.id:
        return t("emg_already_reported", loc, number=ticket.number, where=where)
    if turn.uow.safety.link_reporter(ticket.id, turn.identity.id, turn.now):
        note = f"{rules.where_text(place, loc)}：{turn.text[:100]}"
        event = tickets_core.add_event(turn.uow, ticket, "joined", turn.actor, note, turn.now)
        notify.notify_managers(turn.uow, ticket, event, turn.now, "staff_push_joined")
    return t("emg_joined", loc, number=ticket.number, where=where)


def _open(
    turn: Turn, community: Community, home: Home | None, kind: str, place: Place | None,
    slots: dict[str, Any],
) -> Ticket:
    ticket_kind, category = _TICKET[kind]
    if kind == "fire" and any(w in canonical(turn.text) for w in ("火花", "插座", "电线", "电箱", "电闸", "spark")):
        category = "electrical"  # sparks: the electrician, not the fire-safety staff
    merged = infer_repair(turn.text, slots)
    in_own_building = home is not None and (place is None or place.building_id == home.building_id)
    location = str(merged.get("location") or "home") if in_own_building else "public"
    detail = str(merged.get("location_detail") or "")
    if kind == "lift":
        location, detail = "public", t("cat_elevator", turn.locale)
    draft = tickets_core.TicketDraft(
        kind=ticket_kind, community_id=community.id, urgency="emergency",
        description=turn.text or t(f"cat_{category}", "zh"),
        home_id=home.id if home else None, owner_id=turn.identity.owner_id if home else None,
        reporter_identity_id=turn.identity.id, category=category, location=location,
        location_detail=detail, building_id=place.building_id if place else None,
        unit=place.unit if place else "",
    )
    return tickets_core.open_ticket(turn.uow, draft, now=turn.now, actor=turn.actor,
                                    settings=turn.deps.settings, source_identity_id=turn.identity.id)


def _with_text(turn: Turn, text: str) -> Incoming:
    return replace(turn.incoming, text=text.strip())
