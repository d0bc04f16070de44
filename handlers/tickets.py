"""An owner's own tickets: status and timeline, urging (催单), cancel, rating, reopening.

Another owner's ticket number gets exactly the reply of a number that does not exist.
"""

from __future__ import annotations

import re
from datetime import timedelta

import handlers.texts.tickets  # noqa: F401 - registers the texts used here
from handlers import notify, staff, tickets_core
from handlers.access import require_owner
from handlers.errors import NotFound
from handlers.messages import Button, Outcome, Reply
from handlers.notify import local_time, payload, rating_buttons, staff_contact, ticket_title
from handlers.repairs import pressed_payload
from handlers.supervision import return_visits
from handlers.texts import t
from handlers.turn import Turn
from nlu.normalize import canonical
from storage.models import OPEN_STATUSES, Ticket

URGE_INTERVAL = timedelta(minutes=30)
TIMELINE_STEPS = 3
_DIGIT_RATING = re.compile(r"([1-5一二三四五])\s*(星|分|颗星|stars?|/5)?", re.I)
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_WORD_RATINGS = (
    (("非常满意", "很满意", "太棒", "特别好", "excellent", "great"), 5),
    (("很差", "太差", "差评", "terrible", "awful"), 1),
    (("不满意", "不太满意", "bad", "poor"), 2),
    (("满意", "不错", "挺好", "good"), 4),
    (("一般", "还行", "凑合", "ok"), 3),
)
_AFFIRM = frozenset({"确认", "确定", "是", "是的", "对", "好", "好的", "撤销", "确认撤销", "yes", "ok"})
_KEEP = ("不撤", "不取消", "别撤", "不要撤", "保留", "留着", "继续修", "还要修", "keep")
# Words naming one kind of ticket; checked in this order.
_KIND_WORDS = (
    ("complaint", ("投诉", "complaint")),
    ("suggestion", ("建议", "suggestion")),
    ("fee_question", ("财务", "核实", "费用", "billing")),
    ("repair", ("报修", "维修", "修", "师傅", "repair", "fix", "plumber", "technician")),
)
# "没修好" criticises finished work (rate_service): it sends the ticket back, not a star.
NOT_FIXED_WORDS = ("没修好", "没有修好", "还是坏", "还是漏", "又坏了", "not fixed")


def ticket_status(turn: Turn) -> Outcome:
    """Where the owner's tickets stand: one by number, or the latest open ones."""
    if turn.identity.staff_id and not turn.identity.owner_id:
        return staff.staff_list(turn)  # staff asking for "进度" mean their own work list
    owner = require_owner(turn)
    if "催" in turn.text:
        return urge_ticket(turn)
    ref = _ref(turn)
    if ref:
        found = [_own(turn, ref)]
    else:
        found = _of_kind(turn, tickets_core.latest_of_owner(turn.uow, owner.id, OPEN_STATUSES, 20))[:3]
        found = found or _of_kind(turn, turn.uow.tickets.of_owner(owner.id, limit=20))[:1]
    if not found:
        # None of the kind asked, though there may be others: "no open ones" stays true.
        key = "ticket_none_open" if turn.uow.tickets.of_owner(owner.id, limit=1) else "ticket_none"
        return Outcome((Reply(t(key, turn.locale)),))
    text = "\n\n".join(describe(turn, ticket) for ticket in found)
    return Outcome((Reply(text, _actions(turn, found[0])),))


def describe(turn: Turn, ticket: Ticket) -> str:
    """Number, what, status, who (masked phone), deadline, and the last steps of the timeline."""
    loc, tz = turn.locale, turn.deps.settings.timezone
    staff = turn.uow.org.staff(ticket.assignee_staff_id) if ticket.assignee_staff_id else None
    lines = [t("ticket_line_head", loc, number=ticket.number, what=ticket_title(ticket, loc),
               status=t(f"status_{ticket.status}", loc))]
    if tickets_core.is_open(ticket):
        who = staff_contact(staff) or t("ticket_line_unassigned", loc)
        lines.append(t("ticket_line_staff", loc, staff=who))
        overdue = ticket.sla_due_at is not None and turn.now > ticket.sla_due_at
        lines.append(t("ticket_line_due_over" if overdue else "ticket_line_due", loc,
                       due=local_time(ticket.sla_due_at, loc, tz)))
    steps = turn.uow.tickets.events(ticket.id, limit=TIMELINE_STEPS)
    timeline = " → ".join(
        f"{local_time(e.at, loc, tz)} {t(f'event_{e.kind}', loc)}" for e in steps
    )
    lines.append(t("ticket_line_timeline", loc, timeline=timeline))
    return "\n".join(lines)


def _actions(turn: Turn, ticket: Ticket) -> tuple[Button, ...]:
    loc = turn.locale
    if tickets_core.is_open(ticket):
        return (
            Button(t("btn_urge", loc), payload("urge_ticket", ticket_id=ticket.number)),
            Button(t("btn_cancel_ticket", loc), payload("cancel_ticket", ticket_id=ticket.number)),
        )
    if ticket.status == "resolved":
        return rating_buttons(ticket.number, loc)
    return ()


def urge_ticket(turn: Turn) -> Outcome:
    """催单: remind whoever holds the ticket (and the managers when it drags on)."""
    owner = require_owner(turn)
    ticket = _pick(turn, owner.id, OPEN_STATUSES, "ticket_none_open")
    if isinstance(ticket, Outcome):
        return ticket
    loc = turn.locale
    if not tickets_core.is_open(ticket):
        return Outcome((Reply(t("ticket_not_open", loc, number=ticket.number,
                                status=t(f"status_{ticket.status}", loc))),))
    last = turn.uow.tickets.last_event(ticket.id, "urged")
    if last is not None and turn.now - last.at < URGE_INTERVAL:
        wait = local_time(last.at + URGE_INTERVAL, loc, turn.deps.settings.timezone)
        return Outcome((Reply(t("ticket_urge_too_soon", loc, number=ticket.number, at=wait)),))
    ticket.urge_count = (ticket.urge_count or 0) + 1
    event = tickets_core.add_event(turn.uow, ticket, "urged", turn.actor, turn.text[:200], turn.now)
    notify.notify_staff_ticket(turn.uow, ticket, event, turn.now, intro="staff_push_urged")
    overdue = ticket.sla_due_at is not None and turn.now > ticket.sla_due_at
    if ticket.assignee_staff_id and (ticket.urge_count >= 2 or overdue):
        notify.notify_managers(turn.uow, ticket, event, turn.now, "staff_push_urged_manager")
    staff = turn.uow.org.staff(ticket.assignee_staff_id) if ticket.assignee_staff_id else None
    who = staff_contact(staff) or t("ticket_urge_manager", loc)
    return Outcome((Reply(t("ticket_urged", loc, number=ticket.number, staff=who)),))


def cancel_ticket(turn: Turn) -> Outcome:
    """Withdraw one of the owner's open tickets, after a confirmation."""
    owner = require_owner(turn)
    ticket = _pick(turn, owner.id, OPEN_STATUSES, "ticket_none_open", chooser="cancel_ticket")
    if isinstance(ticket, Outcome):
        return ticket
    if not tickets_core.is_open(ticket):
        return Outcome((Reply(t("ticket_cannot_cancel", turn.locale, number=ticket.number,
                                status=t(f"status_{ticket.status}", turn.locale))),))
    if turn.entity("confirm") == "yes":
        return _do_cancel(turn, ticket)
    loc = turn.locale
    buttons = (
        Button(t("btn_confirm_cancel", loc),
               payload("cancel_ticket", ticket_id=ticket.number, confirm="yes")),
        Button(t("btn_keep_ticket", loc), "cancel:keep"),
    )
    text = t("ticket_cancel_confirm", loc, number=ticket.number, what=ticket_title(ticket, loc))
    return Outcome((Reply(text, buttons),), {"flow": "cancel_ticket", "ticket": ticket.number})


def continue_cancel(turn: Turn) -> Outcome:
    """The answer to "really withdraw R…?"."""
    number = str(turn.state.get("ticket") or "")
    pressed = pressed_payload(turn)
    words = canonical(turn.text.strip())
    if pressed == "cancel:keep" or turn.intent == "deny" or any(w in words for w in _KEEP):
        return Outcome((Reply(t("ticket_kept", turn.locale, number=number)),))
    # Saying "不用修了" again answers "really withdraw?" with yes.
    if turn.intent in ("affirm", "cancel_ticket") or words in _AFFIRM:
        owner = require_owner(turn)
        ticket = _own(turn, number) if number else None
        if ticket is None or ticket.owner_id != owner.id or not tickets_core.is_open(ticket):
            raise NotFound("ticket_not_found", number=number)
        return _do_cancel(turn, ticket)
    return Outcome(
        (Reply(t("ticket_cancel_again", turn.locale, number=number)),), dict(turn.state)
    )


def _do_cancel(turn: Turn, ticket: Ticket) -> Outcome:
    note = t("ticket_cancel_note", turn.locale)
    event = tickets_core.transition(
        turn.uow, ticket, "cancelled", turn.actor, note, turn.now,
        source_identity_id=turn.identity.id,
    )
    if ticket.assignee_staff_id:
        notify.notify_staff_ticket(turn.uow, ticket, event, turn.now, intro="staff_push_cancelled")
    return Outcome((Reply(t("ticket_cancelled", turn.locale, number=ticket.number)),))


def rate_service(turn: Turn) -> Outcome:
    """Rate a resolved ticket 1–5 (from the words or ⭐ buttons); the rating closes it."""
    owner = require_owner(turn)
    if any(w in canonical(turn.text) for w in NOT_FIXED_WORDS):
        return reopen_ticket(turn)
    ticket = _pick(turn, owner.id, ("resolved",), "ticket_none_to_rate")
    if isinstance(ticket, Outcome):
        return ticket
    if ticket.status != "resolved":
        key = "ticket_already_rated" if ticket.rating else "ticket_not_resolved"
        return Outcome((Reply(t(key, turn.locale, number=ticket.number)),))
    rating = rating_of(turn)
    if rating is None:
        return _ask_rating(turn, ticket)
    return _apply_rating(turn, ticket, rating)


def continue_rating(turn: Turn) -> Outcome:
    """The rating typed after "how was it?"."""
    number = str(turn.state.get("ticket") or "")
    rating = rating_of(turn)
    owner = require_owner(turn)
    ticket = tickets_core.owner_ticket(turn.uow, owner.id, number) if number else None
    if ticket is None or ticket.status != "resolved":
        return Outcome((Reply(t("ticket_none_to_rate", turn.locale)),))
    if rating is None:
        return _ask_rating(turn, ticket, again=True)
    return _apply_rating(turn, ticket, rating)


def rating_of(turn: Turn) -> int | None:
    """1–5 from the rating entity, a digit or Chinese numeral with 星/分, or plain words."""
    value = turn.entity("rating")
    if value and value.strip().isdigit() and 1 <= int(value) <= 5:
        return int(value)
    text = canonical(turn.text.strip())
    match = _DIGIT_RATING.search(text)
    if match and (match.group(2) or len(text) <= 2):
        digit = match.group(1)
        return int(digit) if digit.isdigit() else _CN_DIGITS[digit]
    for words, rating in _WORD_RATINGS:
        if any(w in text for w in words):
            return rating
    return None


def _ask_rating(turn: Turn, ticket: Ticket, again: bool = False) -> Outcome:
    key = "ticket_rate_again" if again else "ticket_rate_ask"
    text = t(key, turn.locale, number=ticket.number, what=ticket_title(ticket, turn.locale))
    state = {"flow": "rate_service", "ticket": ticket.number}
    return Outcome((Reply(text, rating_buttons(ticket.number, turn.locale)),), state)


def _apply_rating(turn: Turn, ticket: Ticket, rating: int) -> Outcome:
    comment = turn.text.strip()[:500] if len(turn.text.strip()) > 3 else ""
    ticket.rating, ticket.rating_comment = rating, comment
    return_visits.record_rating(turn.uow, ticket, rating, turn.actor, turn.now)  # 回访: 已解决
    note = f"{rating}★ {comment}".strip()
    event = tickets_core.transition(
        turn.uow, ticket, "closed", turn.actor, note, turn.now,
        event_kind="rated", source_identity_id=turn.identity.id,
    )
    loc = turn.locale
    if rating <= 2:
        notify.notify_managers(turn.uow, ticket, event, turn.now, "staff_push_low_rating")
        reopen = Button(t("btn_not_fixed", loc), payload("reopen_ticket", ticket_id=ticket.number))
        return Outcome((Reply(t("ticket_rated_low", loc, number=ticket.number), (reopen,)),))
    return Outcome((Reply(t("ticket_rated", loc, number=ticket.number, rating=rating)),))


def reopen_ticket(turn: Turn) -> Outcome:
    """"没修好": send a resolved (or recently closed) ticket back to whoever fixed it."""
    owner = require_owner(turn)
    ticket = _pick(turn, owner.id, ("resolved", "closed"), "ticket_none_to_reopen")
    if isinstance(ticket, Outcome):
        return ticket
    note = turn.text.strip()[:500] or t("ticket_reopen_note", turn.locale)
    tickets_core.reopen(
        turn.uow, ticket, turn.actor, note, turn.now, source_identity_id=turn.identity.id
    )
    staff = turn.uow.org.staff(ticket.assignee_staff_id) if ticket.assignee_staff_id else None
    who = staff_contact(staff) or t("ticket_urge_manager", turn.locale)
    return Outcome((Reply(t("ticket_reopened", turn.locale, number=ticket.number, staff=who)),))


def _ref(turn: Turn) -> str:
    return (turn.entity("ticket_id") or turn.entity("ticket") or "").strip().upper()


def _of_kind(turn: Turn, tickets: list[Ticket]) -> list[Ticket]:
    """Only the kind the owner names ("投诉有结果了吗" is not about a repair); all if none."""
    text = canonical(turn.text)
    kind = next((k for k, words in _KIND_WORDS if any(w in text for w in words)), "")
    return [x for x in tickets if x.kind == kind] if kind else tickets


def _own(turn: Turn, number: str) -> Ticket:
    ticket = tickets_core.owner_ticket(turn.uow, turn.identity.owner_id or 0, number)
    if ticket is None:
        raise NotFound("ticket_not_found", number=number)
    return ticket


def _pick(
    turn: Turn, owner_id: int, statuses: tuple[str, ...], none_key: str, chooser: str = ""
) -> Ticket | Outcome:
    """The named ticket, else the only candidate; several → buttons to choose (if `chooser`)."""
    ref = _ref(turn)
    if ref:
        return _own(turn, ref)
    found = _of_kind(turn, tickets_core.latest_of_owner(turn.uow, owner_id, statuses, 20))[:5]
    if not found:
        return Outcome((Reply(t(none_key, turn.locale)),))
    if len(found) == 1 or not chooser:
        return found[0]
    buttons = tuple(
        Button(f"{x.number} {ticket_title(x, turn.locale)}", payload(chooser, ticket_id=x.number))
        for x in found
    )
    return Outcome((Reply(t("ticket_choose", turn.locale), buttons),))
