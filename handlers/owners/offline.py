"""When storage is down: emergencies still get their advice, and reports wait in the disk spool.

`answer` needs no database and no shared state. `replay` turns spooled reports into tickets
once the database answers again (at start-up and after the next message that works); the
spool id is recorded with the ticket, so replaying twice adds nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime

import handlers.texts.emergencies  # noqa: F401 - registers the texts used here
from handlers import notify, tickets_core
from handlers.deps import Deps
from handlers.messages import Incoming, Outcome, Reply
from handlers.notify import local_time
from handlers.owners import emergencies
from handlers.owners import emergency_rules as rules
from handlers.texts import t
from handlers.turn import Turn
from handlers.util import mask_phones
from storage.models import ChannelIdentity, Ticket

log = logging.getLogger(__name__)


def is_emergency(incoming: Incoming) -> bool:
    """Whether the message reports (or asks about) an emergency: it is answered even offline."""
    return bool(rules.kind_of(incoming.text or ""))


def answer(incoming: Incoming, deps: Deps, locale: str) -> Outcome:
    """The reply without storage: advice and numbers for an emergency; say truly what was kept."""
    text = incoming.text or ""
    kind = rules.kind_of(text)
    hypothetical = bool(kind) and rules.is_hypothetical(text)
    saved = _spool(incoming, deps, kind if kind and not hypothetical else "")
    if kind:
        lines = [t(f"emg_head_{kind}", locale), rules.advice(kind, locale)]
        if not hypothetical:
            note = t("offline_saved_emergency", locale) if saved else ""
            lines.append(t("offline_emergency", locale, public=t(f"emg_public_{kind}", locale), saved=note))
        return Outcome((Reply("\n".join(lines)),))
    return Outcome((Reply(t("offline_message_saved" if saved else "offline_message_lost", locale)),))


def _spool(incoming: Incoming, deps: Deps, kind: str) -> bool:
    spool = deps.spool
    if spool is None or not (incoming.text or "").strip():
        return False
    record = {
        "at": deps.clock().isoformat(), "channel": incoming.channel,
        "external_id": incoming.external_id, "text": incoming.text[:2000], "kind": kind,
        "display_name": incoming.display_name[:120],
    }
    try:
        spool.put(record)
    except OSError:
        log.exception("could not spool a message from %s", mask_phones(incoming.external_id))
        return False
    return True


def replay(deps: Deps) -> int:
    """Turn every spooled report into a ticket (or nothing twice); returns how many were done."""
    spool = deps.spool
    if spool is None or not spool.has_waiting():
        return 0
    done = 0
    for record in spool.waiting():
        with deps.uow() as uow:
            if uow.safety.spooled(record["id"]) is None:
                now = deps.clock()
                identity = uow.identities.get_or_create(record["channel"], record["external_id"], now,
                                                        record.get("display_name", ""))
                incoming = Incoming(record["channel"], record["external_id"], text=record["text"])
                turn = Turn(incoming, identity, uow, deps, now, identity.locale or "zh")
                ticket_id = _ticket_for(turn, record)
                uow.safety.mark_spooled(record["id"], ticket_id, now)
                uow.commit()
                done += 1
        spool.remove(record["id"])
    return done


def _ticket_for(turn: Turn, record: dict[str, str]) -> int | None:
    """An emergency ticket, a hand-off ticket for a bound owner's message, else an audit line."""
    when = local_time(datetime.fromisoformat(record["at"]), turn.locale, turn.deps.settings.timezone)
    if record.get("kind") in rules.KINDS:
        emergencies.respond(turn, record["kind"], {}, confirmed=True)
        ticket = _newest_of(turn)
        if ticket is not None:
            _tell(turn, turn.identity, t("spool_replayed_emergency", turn.locale, time=when,
                                         number=ticket.number), record["id"])
            return ticket.id
    homes = turn.uow.identities.homes_of(turn.identity.owner_id) if turn.identity.owner_id else []
    if not homes:
        turn.uow.audit.record(turn.now, turn.actor, "unhandled_message", detail={"text": record["text"]})
        return None
    draft = tickets_core.TicketDraft(
        kind="handoff", community_id=homes[0].building.community_id, home_id=homes[0].id,
        owner_id=turn.identity.owner_id, reporter_identity_id=turn.identity.id,
        description=t("spool_description", "zh", text=record["text"]), urgency="high",
    )
    ticket = tickets_core.open_ticket(turn.uow, draft, now=turn.now, actor=turn.actor,
                                      settings=turn.deps.settings)
    _tell(turn, turn.identity, t("spool_replayed_message", turn.locale, time=when, number=ticket.number),
          record["id"])
    return ticket.id


def _newest_of(turn: Turn) -> Ticket | None:
    """The emergency ticket this replay just opened for the reporter."""
    for community in turn.uow.org.communities():
        for ticket in turn.uow.safety.open_emergencies(community.id, turn.now):
            if ticket.reporter_identity_id == turn.identity.id:
                return ticket
    return None


def _tell(turn: Turn, identity: ChannelIdentity, text: str, spool_id: str) -> None:
    notify.push(turn.uow, identity, "spool", text, dedupe_key=f"spool:{spool_id}", now=turn.now)
