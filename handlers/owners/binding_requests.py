"""Binding by home + registered phone: a request the property office approves, never instant.

A bound chat account is never switched or given a second home this way: it hears which home
it is bound to and how to add one (a code from that home's owner, or the office).
"""

from __future__ import annotations

from datetime import timedelta

import handlers.texts.safety  # noqa: F401 - registers the texts used here
from handlers.access import owner_homes, require_owner
from handlers.messages import Button, Outcome, Reply
from handlers.texts import t
from handlers.turn import Turn
from handlers.util import mask_phones
from storage.models import BindingRequest

MAX_REQUESTS_PER_DAY = 3


def request_binding(turn: Turn, unit: str, phone: str) -> Outcome:
    """Record a request for the office; the reply is the same whether the register matches."""
    pending = turn.uow.safety.pending_of_identity(turn.identity.id)
    if any(r.unit_label == unit for r in pending):
        return _reply(t("bind_request_pending", turn.locale, home=unit))
    since = turn.now - timedelta(days=1)
    if turn.uow.safety.requests_since(turn.identity.id, since) >= MAX_REQUESTS_PER_DAY:
        return _reply(t("bind_request_too_many", turn.locale))
    home_id = owner_id = None
    for home in turn.uow.org.homes_by_label(unit):
        owner = turn.uow.identities.owner_member_with_phone(home.id, phone)
        if owner is not None:
            home_id, owner_id = home.id, owner.id
            break
    request = turn.uow.safety.add_request(BindingRequest(
        identity_id=turn.identity.id, unit_label=unit[:40], phone=phone[:20], home_id=home_id,
        owner_id=owner_id, status="pending", created_at=turn.now,
    ))
    turn.uow.audit.record(turn.now, turn.actor, "binding_requested", f"binding_request:{request.id}",
                          {"unit": unit, "phone": phone, "matched": home_id is not None})
    text = t("bind_request_made", turn.locale, home=unit, phone=mask_phones(phone), id=request.id)
    return _reply(text)


def refuse_other_home(turn: Turn) -> Outcome:
    """A bound account naming another home (and phone): say where it is bound, change nothing."""
    owner = require_owner(turn)
    homes = owner_homes(turn)
    home = next((h for h in homes if h.id == turn.identity.home_id), homes[0])
    turn.uow.audit.record(turn.now, turn.actor, "bind_refused_bound", f"identity:{turn.identity.id}")
    text = t("bind_bound_elsewhere", turn.locale, community=home.building.community.name,
             home=home.label, name=owner.name)
    buttons = (Button(t("household_btn_list", turn.locale), "/household_list"),)
    return Outcome((Reply(text, buttons),))


def _reply(text: str) -> Outcome:
    return Outcome((Reply(text),))
