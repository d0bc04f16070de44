"""Two requests in one message ("卫生间漏水了 另外这个月物业费多少"): answer both, or say which is next.

The first request is handled as usual. A second one that only reads (a bill, a notice, a
ticket's progress…) is answered in the same reply, even while the first waits for a
confirmation; a second one that starts its own flow is named and left for after the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import handlers.texts.dialogue  # noqa: F401 - registers the texts used here
from handlers.errors import DomainError
from handlers.messages import Outcome, Reply
from handlers.texts import t
from handlers.turn import Turn
from nlu.clauses import split_requests

# Requests answered without a flow of their own: safe to answer next to an open question.
READ_ONLY = frozenset({
    "check_bill", "payment_history", "query_notice", "query_house_info", "query_contract",
    "query_facilities", "query_service_standard", "query_maintenance_fund", "query_policy",
    "ticket_status",
})


def requests_in(turn: Turn) -> list[dict]:
    """One parse per request in the message (one for a single request)."""
    if len(turn.text or "") < 6:
        return [turn.parse]
    return split_requests(turn.deps.parser, turn.text, turn.now) or [turn.parse]


def handle_both(turn: Turn, parts: list[dict], handle: Callable[[Turn], Outcome]) -> Outcome:
    """The first request, then the second answered or named as the next one."""
    first, second = parts[0], parts[1]
    text = turn.incoming.text
    turn.incoming, turn.parse = replace(turn.incoming, text=_span(text, first)), first
    outcome = handle(turn)
    rest = _span(text, second)
    intent = str(second.get("intent", {}).get("name") or "")
    if outcome.state and intent not in READ_ONLY:
        note = Reply(t("second_request_later", turn.locale, part=rest))
        return Outcome((*outcome.replies, note), outcome.state)
    follow = Turn(replace(turn.incoming, text=rest), turn.identity, turn.uow, turn.deps, turn.now,
                  turn.locale, parse=second, state={})
    try:
        answered = handle(follow)
    except DomainError as err:  # the first answer stands; the second says why it cannot
        answered = Outcome((Reply(t(err.text_key, turn.locale, **err.params)),))
    lead = Reply(t("second_request_next", turn.locale, part=rest))
    state = outcome.state if outcome.state else answered.state
    return Outcome((*outcome.replies, lead, *answered.replies), state)


_LEAD = re.compile(r"^(?:另外|还有|顺便问一?下|顺便|对了|再问一?下|and also|also|and)[，,：: ]*", re.I)


def _span(text: str, parse: dict) -> str:
    """The words of one request, without the connector that joined it to the one before."""
    start, end = parse.get("start"), parse.get("end")
    part = text[start:end] if isinstance(start, int) and isinstance(end, int) else text
    return _LEAD.sub("", part.strip(" ，,。；;")) or part.strip()
