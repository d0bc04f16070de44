"""One message in, an Outcome out: identity, parse, dialogue state, the capability, errors.

Routing order: a pressed button (`/intent{json}` payloads name an intent directly), a number
typed in place of a button, an active multi-turn flow, then the parsed intent.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from handlers import (
    bills,
    binding,
    complaints,
    handoff,
    history,
    info,
    notices,
    open_books,
    repairs,
    smalltalk,
    staff,
    tickets,
)
from handlers.deps import Deps
from handlers.errors import DomainError
from handlers.messages import Button, Incoming, Outcome, Reply
from handlers.office import relay
from handlers.owners import bind_codes, emergencies, household, interrupts, offline, two_requests
from handlers.staff_tasks import actions as staff_tasks
from handlers.supervision import consultations, escalation, staff_answers
from handlers.texts import t
from handlers.turn import Turn
from handlers.util import detect_locale, mask_phones
from nlu.normalize import canonical

log = logging.getLogger(__name__)

Capability = Callable[[Turn], Outcome]

INTENT_HANDLERS: dict[str, Capability] = {
    "greet": smalltalk.greet,
    "goodbye": smalltalk.goodbye,
    "thanks": smalltalk.thanks,
    "help": smalltalk.help,
    "affirm": smalltalk.affirm,
    "deny": smalltalk.deny,
    "out_of_scope": smalltalk.out_of_scope,
    "human_handoff": handoff.human_handoff,
    "bind_account": binding.bind_account,
    "check_bill": bills.check_bill,
    "pay_bill": bills.pay_bill,
    "payment_history": bills.payment_history,
    "fee_question": bills.fee_question,
    "report_repair": repairs.report_repair,
    "complaint": complaints.complaint,
    "suggestion": complaints.suggestion,
    "ticket_status": tickets.ticket_status,
    "cancel_ticket": tickets.cancel_ticket,
    "rate_service": tickets.rate_service,
    "query_notice": notices.query_notice,
    "notification_settings": notices.notification_settings,
    "query_house_info": info.query_house_info,
    "query_contract": info.query_contract,
    "query_facilities": info.query_facilities,
    "query_service_standard": info.query_service_standard,
    "query_maintenance_fund": info.query_maintenance_fund,
    "query_policy": info.query_policy,
}

# Extra actions reachable only by button payload (`/name{...}`), never by NLU.
ACTION_HANDLERS: dict[str, Capability] = {
    "urge_ticket": tickets.urge_ticket,
    "reopen_ticket": tickets.reopen_ticket,
    "select_home": binding.select_home,
    "confirm_payment": bills.confirm_payment,
    **staff.ACTIONS,
    "household_add": household.household_add,
    "household_list": household.household_list,
    "household_remove": household.household_remove,
    "emergency_report": emergencies.emergency_report,
    **staff_tasks.ACTIONS,
    "rectification_answer": staff_answers.rectification_answer,
    "consultation_answer": consultations.consultation_answer,
}

# Multi-turn flows: state["flow"] names the function that takes the next message.
FLOW_HANDLERS: dict[str, Capability] = {
    "report_repair": repairs.continue_repair,
    "complaint": complaints.continue_complaint,
    "bind_account": binding.continue_binding,
    "pay_bill": bills.continue_payment,
    "rate_service": tickets.continue_rating,
    "fee_question": bills.continue_fee_question,
    "cancel_ticket": tickets.continue_cancel,
    staff_tasks.FLOW: staff_tasks.continue_task,
    "supervision_escalation": escalation.continue_escalation,
}

# Flows whose description step takes whatever the owner writes (it names the problem).
FREE_TEXT_FLOWS = frozenset({"supervision_escalation"})
CANCEL_WORDS = frozenset(
    {"算了", "取消", "不用了", "不要了", "回头再说", "以后再说", "cancel", "stop", "never mind", "退出"}
)
# Intents that mean "something else now": a confident one leaves an unfinished flow.
TOPIC_SWITCH_CONFIDENCE = 0.8
# Inside a flow, replies this short are answers to its question, not a new topic ...
SHORT_ANSWER_CHARS = 6
# ... except these, which nobody types as an answer to a question about a repair.
COMMAND_INTENTS = frozenset(
    {"check_bill", "pay_bill", "payment_history", "help", "human_handoff", "ticket_status"}
)
# ... nor a question: it ends in a question particle or asks when.
_QUESTION = re.compile(r"[吗么嘛？?]$|什么时候|啥时候|几点|多久")
# Handled turns are kept this long (platforms redeliver within a day), purged now and then.
KEEP_TURNS = timedelta(days=3)
PURGE_ONE_IN = 1000
STEP_TOKEN = "turn_token"  # the dialogue state's key naming the step it waits at


# Platforms that redeliver a message their webhook failed: an ordinary message may wait for it.
REDELIVERING_CHANNELS = frozenset({"telegram", "wechat", "wecom"})


def handle(incoming: Incoming, deps: Deps) -> Outcome:
    """Handle one message end to end inside one unit of work.

    With storage down it answers from the rules (owners.offline); only an ordinary message on a
    platform that redelivers raises, so the webhook fails and the platform sends it again.
    """
    incoming = _clean(incoming)
    text = incoming.text or ""
    limit = deps.settings.max_text_chars
    locale = detect_locale(text)
    if len(text) > limit:
        return Outcome((Reply(t("too_long", locale, limit=limit)),))
    try:
        outcome, state_key, identity_id, done = _handle_stored(incoming, deps, text, locale)
    except Exception:  # the database (or shared state) is down: the emergency path needs neither
        log.exception("storage unavailable for %s:%s", incoming.channel, mask_phones(incoming.external_id))
        if incoming.channel in REDELIVERING_CHANNELS and not offline.is_emergency(incoming):
            raise  # the platform delivers it again later: nothing is lost, nothing to spool
        return offline.answer(incoming, deps, locale)
    if done:
        return outcome
    try:
        # Shared state is written after the unit of work has closed: on SQLite a second writer
        # inside it would wait on the first one's lock.
        _save_state(deps, state_key, outcome)
        history.remember(deps, identity_id, text)
        offline.replay(deps)  # storage answers again: spooled reports become tickets now
    except Exception:  # the answer stands; the state or the replay waits for the next message
        log.exception("after-turn bookkeeping failed")
    return outcome


def _handle_stored(
    incoming: Incoming, deps: Deps, text: str, locale: str
) -> tuple[Outcome, str, int, bool]:
    """The turn inside one unit of work: (outcome, state key, identity id, already answered)."""
    now = deps.clock()
    with deps.uow() as uow:
        identity = uow.identities.get_or_create(
            incoming.channel, incoming.external_id, now, incoming.display_name
        )
        identity.last_inbound_at = now
        identity.replies_since_inbound = 0
        if text.strip():
            identity.locale = detect_locale(text, identity.locale)
        turn = Turn(incoming, identity, uow, deps, now, identity.locale or locale)
        identity_id = identity.id
        state_key = f"dialogue:{identity_id}"
        turn.state = deps.state.get(state_key) or {}
        claimed = _claim_turn(turn)
        if isinstance(claimed, Outcome):  # done before: answer as then, do nothing twice
            uow.commit()
            _save_state(deps, state_key, claimed)
            return claimed, state_key, identity_id, True
        try:
            outcome = _route(turn)
            _record_turn(claimed, outcome)
            uow.commit()
        except DomainError as err:
            uow.rollback()
            outcome = Outcome((Reply(t(err.text_key, turn.locale, **err.params)),), turn.state or None)
        except Exception:
            uow.rollback()
            log.exception("unhandled error for %s:%s", incoming.channel, mask_phones(incoming.external_id))
            if not _keep_unhandled(deps, incoming, now):  # "您的消息已记录" only when it was
                return offline.answer(incoming, deps, turn.locale), state_key, identity_id, True
            return Outcome((Reply(t("error_generic", turn.locale)),)), state_key, identity_id, True
    return outcome, state_key, identity_id, False



def _route(turn: Turn) -> Outcome:
    incoming = turn.incoming
    held = relay.hold(turn)  # a person holds this chat (console), or a clerk's `回复 H… …`
    if held is not None:
        return held
    if bind_codes.code_message(incoming.text, incoming.button or ""):
        return bind_codes.bind(turn)  # `bind CODE`, `/start CODE`, a bare code: in any state
    # Staff type `接单 R…` / `完成 R…`: the same as pressing the button of their push.
    payload = (incoming.button or _typed_button(turn) or staff_tasks.typed_command(turn)
               or staff.typed_command(turn) or staff_answers.typed_answer(turn)
               or consultations.typed_answer(turn)
               or household.typed_command(turn))  # "添加家人" / "我家绑定了哪些人"
    if payload and payload.startswith("/"):
        turn.parse = parse_payload(payload, incoming.text)
        return _by_intent(turn, ACTION_HANDLERS | INTENT_HANDLERS)
    flow = str(turn.state.get("flow") or "")
    if payload and flow in FLOW_HANDLERS:
        turn.parse = {"text": incoming.text, "intent": {"name": "", "confidence": 1.0}, "entities": []}
        # A typed title ("其他", "公共区域") is a press: the flow must see the payload, not words.
        turn.incoming = replace(incoming, button=payload)
        return FLOW_HANDLERS[flow](turn)
    if incoming.media is not None or incoming.location is not None:
        if flow in FLOW_HANDLERS:
            return FLOW_HANDLERS[flow](turn)
        return repairs.receive_media(turn)
    if not incoming.text.strip():
        return Outcome((Reply(t("empty", turn.locale)),))
    urgent = repairs.emergency(turn)  # gas, a trapped lift, fire: answered before anything else
    if urgent is not None:
        return urgent
    placed = emergencies.pending_place(turn)  # "3号楼2单元" after "where is it?"
    if placed is not None:
        return placed
    turn.parse = turn.deps.parser.parse(incoming.text, turn.now)
    if flow not in FLOW_HANDLERS and turn.identity.owner_id and escalation.escalates(incoming.text):
        return escalation.start(turn)  # "我要向住建委投诉物业": to the regulator, by rule
    if flow not in FLOW_HANDLERS and open_books.asks_open_books(incoming.text):
        return open_books.open_books(turn)  # "物业费都花哪了": no NLU label of its own
    if flow not in FLOW_HANDLERS and bills.claims_paid(incoming.text):
        return bills.paid_without_order(turn)  # "付好了" with no pay flow open to settle it
    if flow not in FLOW_HANDLERS and _is_stray_number(incoming.text):
        return smalltalk.fallback(turn)  # "1" with no choice on offer: show what can be done
    if flow in FLOW_HANDLERS:
        if interrupts.corrects(flow, incoming.text):  # "算了我说错了 是2单元" edits, not cancels
            return FLOW_HANDLERS[flow](turn)
        if interrupts.holds(incoming.text):  # "等一下，先别交": nothing goes through
            return interrupts.paused(turn.locale)
        if canonical(incoming.text.strip()) in CANCEL_WORDS or turn.intent == "deny":
            return Outcome((Reply(t("cancelled", turn.locale)),))
        if not _switches_topic(turn, flow):
            return FLOW_HANDLERS[flow](turn)
        turn.state = {}
    parts = two_requests.requests_in(turn)  # "卫生间漏水了 另外这个月物业费多少": both
    if len(parts) > 1:
        return two_requests.handle_both(turn, parts, lambda t: _by_intent(t, INTENT_HANDLERS))
    return _by_intent(turn, INTENT_HANDLERS)


def _by_intent(turn: Turn, table: dict[str, Capability]) -> Outcome:
    confidence = float(turn.parse.get("intent", {}).get("confidence") or 0)
    handler = table.get(turn.intent)
    if handler is None or confidence < turn.deps.settings.min_intent_confidence:
        return smalltalk.fallback(turn)
    return handler(turn)


def _switches_topic(turn: Turn, flow: str) -> bool:
    """A confident new topic leaves the flow; a short reply (楼道里, 保留) is taken as an answer,
    unless it is one of the unmistakable commands below."""
    confidence = float(turn.parse.get("intent", {}).get("confidence") or 0)
    if flow in FREE_TEXT_FLOWS and turn.state.get("step") == "description":
        return False  # "what is the complaint about?" is answered with any words
    neutral = {flow, "affirm", "deny", "greet", "thanks", "out_of_scope", ""}
    if turn.intent in neutral or confidence < TOPIC_SWITCH_CONFIDENCE:
        return False
    text = turn.text.strip()
    # "最近停水吗" asks something else; nobody answers a flow's question with a question.
    asks = bool(_QUESTION.search(canonical(text)))
    return len(text) > SHORT_ANSWER_CHARS or turn.intent in COMMAND_INTENTS or asks


def _is_stray_number(text: str) -> bool:
    stripped = text.strip()
    return stripped.isdigit() and len(stripped) <= 3


def _typed_button(turn: Turn) -> str | None:
    """A number typed where buttons were offered picks that button (platforms without buttons)."""
    offered = turn.state.get("buttons") or []
    titles = turn.state.get("button_titles") or []
    text = turn.incoming.text.strip()
    if text.isdigit() and 1 <= int(text) <= len(offered):
        return str(offered[int(text) - 1])
    # Typing a button's own title ("确认提交") is pressing it too.
    folded = text.casefold()
    for title, payload in zip(titles, offered, strict=False):
        if folded and folded == str(title).strip().casefold():
            return str(payload)
    return None


def parse_payload(payload: str, text: str = "") -> dict[str, Any]:
    """Rasa-style `/intent{"entity": "value"}` → a parse dict with confidence 1."""
    name, _, raw = payload[1:].partition("{")
    entities: list[dict[str, Any]] = []
    if raw:
        try:
            data = json.loads("{" + raw)
        except ValueError:
            data = {}
        if isinstance(data, dict):
            entities = [{"entity": str(k), "value": str(v)} for k, v in data.items()]
    return {
        "text": text,
        "intent": {"name": name.strip(), "confidence": 1.0},
        "entities": entities,
    }


def _clean(incoming: Incoming) -> Incoming:
    """Lone UTF-16 surrogates (a broken emoji from a client) become U+FFFD: no database or
    JSON encoder downstream can store them, and failing there would lose the message."""
    text = incoming.text
    if text and any("\ud800" <= ch <= "\udfff" for ch in text):
        fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return replace(incoming, text=fixed)
    return incoming


def _turn_keys(turn: Turn) -> list[str]:
    """Keys a repeat of this turn would carry: the platform's message id, the dialogue step."""
    incoming = turn.incoming
    keys = []
    if incoming.message_id:
        keys.append(f"msg:{incoming.channel}:{incoming.external_id}:{incoming.message_id}")
    if turn.state.get(STEP_TOKEN):
        keys.append(f"step:{turn.state[STEP_TOKEN]}")
    return keys


def _claim_turn(turn: Turn) -> list[Any] | Outcome:
    """Claim this turn's keys in its own transaction; a key already there means the work is
    done (a redelivery after Redis forgot its claim, or a step answered just before a crash
    left the old dialogue state behind): the Outcome of the saved replies then."""
    rows = []
    for key in _turn_keys(turn):
        row = turn.uow.turns.claim(key, turn.identity.id, turn.now)
        if row is None:
            saved = turn.uow.turns.replies(key) or []
            log.info("turn %s already handled; answering as then", key.split(":", 1)[0])
            return Outcome(tuple(_reply(r) for r in saved))
        rows.append(row)
    if rows and secrets.randbelow(PURGE_ONE_IN) == 0:
        turn.uow.turns.purge(turn.now - KEEP_TURNS)
    return rows


def _record_turn(rows: list[Any], outcome: Outcome) -> None:
    if rows:
        saved = json.dumps([r.as_dict() for r in outcome.replies], ensure_ascii=False)
        for row in rows:
            row.replies = saved


def _reply(data: dict[str, Any]) -> Reply:
    buttons = tuple(Button(str(b["title"]), str(b["payload"])) for b in data.get("buttons") or ())
    image = data.get("image")
    return Reply(str(data.get("text") or ""), buttons, str(image) if image else None)


def _save_state(deps: Deps, key: str, outcome: Outcome) -> None:
    state = dict(outcome.state or {})
    offered = [b for r in outcome.replies for b in r.buttons]
    if offered:
        state["buttons"] = [b.payload for b in offered]
        state["button_titles"] = [b.title for b in offered]
    if state:
        state[STEP_TOKEN] = secrets.token_hex(8)  # names this step: answering it twice is a repeat
        deps.state.set(key, state, deps.settings.dialogue_ttl_seconds)
    else:
        deps.state.delete(key)


def _keep_unhandled(deps: Deps, incoming: Incoming, now: Any) -> bool:
    """Nothing an owner sent is lost: after a crash the raw message goes to the audit log."""
    try:
        with deps.uow() as uow:
            uow.audit.record(
                now,
                actor=f"{incoming.channel}:{incoming.external_id}",
                action="unhandled_message",
                detail={"text": incoming.text, "media": incoming.media.ref if incoming.media else None},
            )
            uow.commit()
        return True
    except Exception:  # the database itself is down: the spool takes it (owners.offline)
        log.exception("could not record unhandled message")
        return False
