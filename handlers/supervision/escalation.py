"""An owner takes a complaint to the regulator in the chat ("我要向住建委投诉物业").

The owner is asked to agree that their name, phone, home and complaint go to the office
that follows it; only then a supervised case opens (on their newest open complaint, or on a
new one), with `consent`, and the owner is told who follows it. Declining shares nothing.
State: `{"flow": "supervision_escalation", "step": "description"|"consent", …}`.
"""

from __future__ import annotations

import re

import handlers.texts.supervision  # noqa: F401 - registers the texts used here
from handlers import tickets_core
from handlers.access import current_home, require_owner
from handlers.messages import Button, Outcome, Reply
from handlers.notify import ticket_title
from handlers.repairs import pressed_payload
from handlers.supervision import cases
from handlers.texts import t
from handlers.turn import Turn
from nlu.normalize import canonical
from storage.models import Ticket

FLOW = "supervision_escalation"
# Words that address the regulator rather than the property office.
_REGULATOR = re.compile(
    r"住建委|住建局|住建部门|房管局|房管所|住房和城乡建设|住房城乡建设|政府|监管部门|主管部门|"
    r"12345|市长热线|(找|向|去|到|给)街道|街道办|regulator|government"
)
# What is left of "我要向住建委投诉物业" once the regulator and the filler are gone says
# whether the owner already said what the complaint is about.
_FILLER = re.compile(r"[我要想去找向到给跟把的了吧呢啊，,。.!！?？\s]|投诉|反映|举报|物业|公司|不管|打|电话")
# …and words that make it a complaint, not a question about the regulator ("住建委电话多少").
_COMPLAINS = re.compile(r"投诉|举报|反映|不管|不作为|不处理|督办|找政府|告物业|complain")
_AGREE = frozenset({"同意", "同意转交", "可以", "好", "好的", "是", "是的", "行", "确认", "agree", "yes", "ok"})
_DECLINE = frozenset({"不同意", "不用了", "不要", "不用", "算了", "no", "decline"})


def addresses_regulator(text: str) -> bool:
    """Whether the owner asks for the regulator (住建委, 政府, 街道, 12345 …)."""
    return bool(_REGULATOR.search(canonical(text)))


def escalates(text: str) -> bool:
    """A complaint addressed to the regulator, whatever intent the NLU gave it (decided by rule,
    like an emergency: "物业不管，我找政府" must never end up as a policy question)."""
    folded = canonical(text)
    return bool(_REGULATOR.search(folded) and _COMPLAINS.search(folded))


def start(turn: Turn) -> Outcome:
    """Offer the escalation: on the newest open complaint, or ask what it is about."""
    owner = require_owner(turn)
    community = current_home(turn).building.community
    who = cases.follower(turn.uow, community, turn.locale)
    open_ones = turn.uow.supervision.open_complaints_of_owner(owner.id)
    if open_ones:
        ticket = open_ones[0]
        existing = turn.uow.supervision.case_of_ticket(ticket.id)
        if existing is not None and existing.consent:
            return Outcome((Reply(t("sup_already", turn.locale, number=ticket.number,
                                    follower=who, case=existing.id)),))
        what = f"{ticket.number} {ticket_title(ticket, turn.locale)}"
        return _ask_consent(turn, who, what, {"ticket": ticket.number})
    rest = _FILLER.sub("", _REGULATOR.sub("", canonical(turn.text)))
    if len(rest) >= 4:
        return _ask_consent(turn, who, turn.text.strip()[:60], {"description": turn.text.strip()})
    state = {"flow": FLOW, "step": "description"}
    return Outcome((Reply(t("sup_ask_description", turn.locale, follower=who)),), state)


def continue_escalation(turn: Turn) -> Outcome:
    """The owner's next message: what the complaint is about, or the answer to "agree?"."""
    state = dict(turn.state)
    owner = require_owner(turn)
    community = current_home(turn).building.community
    who = cases.follower(turn.uow, community, turn.locale)
    if state.get("step") == "description":
        text = turn.text.strip()
        if len(text) < 2:
            return Outcome((Reply(t("sup_ask_description", turn.locale, follower=who)),), state)
        return _ask_consent(turn, who, text[:60], {"description": text})
    pressed = pressed_payload(turn)
    words = canonical(turn.text.strip().strip("。！!.～~ "))
    if pressed == "sup:decline" or words in _DECLINE or turn.intent == "deny":
        return Outcome((Reply(t("sup_declined", turn.locale)),))
    if pressed == "sup:agree" or words in _AGREE or turn.intent == "affirm":
        return _escalate(turn, owner.id, state, who)
    return Outcome((Reply(t("sup_again", turn.locale, follower=who)),), state)


def _ask_consent(turn: Turn, who: str, what: str, extra: dict[str, str]) -> Outcome:
    buttons = (Button(t("sup_btn_agree", turn.locale), "sup:agree"),
               Button(t("sup_btn_decline", turn.locale), "sup:decline"))
    text = t("sup_ask_consent", turn.locale, follower=who, what=what)
    return Outcome((Reply(text, buttons),), {"flow": FLOW, "step": "consent", **extra})


def _escalate(turn: Turn, owner_id: int, state: dict[str, object], who: str) -> Outcome:
    ticket: Ticket | None = None
    number = str(state.get("ticket") or "")
    if number:
        ticket = tickets_core.owner_ticket(turn.uow, owner_id, number)
    if ticket is None:
        description = str(state.get("description") or turn.text)
        ticket = tickets_core.create_ticket(
            turn, "complaint", description=t("sup_ticket_description", "zh", text=description),
            urgency="normal",
        )
    found, created = cases.open_case(turn.uow, ticket, "owner", turn.now, consent=True)
    turn.uow.audit.record(turn.now, actor=turn.actor, action="supervision_consent",
                          target=f"D{found.id}", detail={"ticket": ticket.number})
    if created:
        cases.announce_opened(turn.uow, found, turn.now, 0, owner=False)
    return Outcome((Reply(t("sup_escalated", turn.locale, follower=who, case=found.id,
                            number=ticket.number)),))
