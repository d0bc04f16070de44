"""Bills: what is owed (with late fees), payment history, and questions about charges.

Paying lives in handlers.payments; its flow functions are re-exported for dispatch.
"""

from __future__ import annotations

import json
import re
from datetime import tzinfo
from decimal import Decimal

import handlers.texts.dialogue  # noqa: F401 - registers fee_vent_offer
from handlers import billing_rules as rules
from handlers import faq
from handlers.access import current_home, owner_homes
from handlers.errors import Forbidden
from handlers.messages import Button, Outcome, Reply
from handlers.owners import bill_trend, household
from handlers.payments import confirm_payment, continue_payment, pay_bill
from handlers.repairs import AFFIRM_WORDS
from handlers.texts import t
from handlers.tickets_core import create_ticket
from handlers.turn import Turn
from nlu.normalize import canonical
from storage.models import Bill, Home

__all__ = [
    "check_bill", "claims_paid", "confirm_payment", "continue_fee_question", "continue_payment",
    "fee_question", "paid_without_order", "pay_bill", "payment_history",
]

HISTORY_LINES = 12
# Words that dispute a charge rather than ask about it: the finance check is offered.
_DISPUTE = re.compile(
    r"太贵|贵了|多收|收错|算错|不对|错了|不合理|乱收|凭什么|重复收|收了两次|扣了两次|退钱|退款|核实|投诉"
    r"|wrong|overcharg|charged twice|dispute|refund",
    re.IGNORECASE,
)
_INVOICE = re.compile(r"发票|开票|收据|invoice|receipt", re.I)
# "付好了" / "已支付" as a whole message: a statement that a payment is done. Not a question
# ("物业费付了吗") nor a request ("缴费"), which their intents answer.
_PAID_CLAIM = re.compile(
    r"^(我们?)?(刚才?|刚刚|已经?|都)?(钱|款|费)?(已经?)?(付|交|缴|支付|转账)(款|费|钱)?"
    r"(好|完|过|成功)?(了|啦)(钱|款)?$"
    r"|^(我们?)?已经?(付|交|缴|支付)(款|费)?(成功)?了?$"
    r"|^(支付|付款|缴费|交费)成功了?$"
    r"|^(i('ve| have)?( already)? )?paid( it)?$",
    re.IGNORECASE,
)


def check_bill(turn: Turn) -> Outcome:
    """Unpaid bills of the home in focus (filtered by item/period): total, overdue, late fees."""
    home = current_home(turn)
    item, period = rules.filters(turn)
    today = rules.local_today(turn)
    items = _items_named(turn)
    if len(items) > 1:  # "水电费": water and electricity, both
        item = None
        bills = [b for b in turn.uow.billing.unpaid_bills(home.id, None, period) if b.item in items]
    else:
        bills = turn.uow.billing.unpaid_bills(home.id, item, period)
    history = Button(t("bill_btn_history", turn.locale), "/payment_history")
    if not bills:
        return Outcome((Reply(_nothing_owed(turn, home, item, period), (history,)),))
    lines = [t("bill_head", turn.locale, home=home.label)]
    lines += [rules.bill_line(b, today, turn.locale) for b in bills]
    lines.append(t("bill_total", turn.locale, total=rules.money(rules.total(bills), turn.locale)))
    overdue = [b for b in bills if rules.late_fee(b, today) > 0]
    if overdue:
        fees = sum((rules.late_fee(b, today) for b in overdue), Decimal("0.00"))
        lines.append(t("bill_late_total", turn.locale, fee=rules.money(fees, turn.locale)))
        lines.append(_late_rule(turn, home, overdue[0]))
    lines.append(_source(turn, home))
    pay = Button(t("bill_btn_pay", turn.locale), "/pay_bill" + rules.filter_payload(item, period))
    return Outcome((Reply("\n".join(lines), (pay, history)),))


_COMBINED = {"水电": ("water", "electricity"), "水电气": ("water", "electricity", "gas"),
             "water and electricity": ("water", "electricity")}


def _items_named(turn: Turn) -> tuple[str, ...]:
    """Every bill item the message names (entities, and "水电费" for water + electricity)."""
    text = canonical(turn.text or "")
    for words, items in sorted(_COMBINED.items(), key=lambda kv: -len(kv[0])):
        if words in text:
            return items
    named = [i for i in turn.entities("bill_item") if i in rules.BILL_ITEMS]
    return tuple(dict.fromkeys(named))


def _nothing_owed(turn: Turn, home: Home, item: str | None, period: str | None) -> str:
    if not item and not period:
        return t("bill_none", turn.locale, home=home.label)
    what = rules.filter_text(item, period, turn.locale)
    text = t("bill_none_filtered", turn.locale, home=home.label, what=what)
    text = "\n".join([text, *_paid_lines(turn, home, item, period)])
    others = turn.uow.billing.unpaid_bills(home.id)
    if others:
        nxt, today = others[0], rules.local_today(turn)
        days = rules.overdue_days(nxt, today)
        # An overdue bill has no deadline ahead of it: "9月15日前缴纳" in November misleads.
        text += "\n" + t(
            "bill_next_overdue" if days else "bill_next", turn.locale,
            item=rules.item_name(nxt.item, turn.locale),
            period=rules.period_label(nxt.period, turn.locale),
            amount=rules.money(nxt.amount, turn.locale),
            due=rules.date_label(nxt.due_date, today, turn.locale), days=days,
        )
    return text


def _paid_lines(turn: Turn, home: Home, item: str | None, period: str | None) -> list[str]:
    """"上个月水费多少" about a paid bill: its amount is the answer, and when it was paid."""
    paid = [b for b in turn.uow.billing.paid_bills(home.id)
            if (not item or b.item == item) and (not period or b.period.startswith(period))]
    return [
        t("bill_paid_line", turn.locale, paid_on=_paid_on(turn, bill),
          item=rules.item_name(bill.item, turn.locale),
          period=rules.period_label(bill.period, turn.locale),
          amount=rules.money(bill.amount, turn.locale))
        for bill in paid[:HISTORY_LINES if period else 1]  # an item alone: the latest one
    ]


def _paid_on(turn: Turn, bill: Bill) -> str:
    tz = turn.deps.settings.timezone
    return bill.paid_at.astimezone(tz).strftime("%Y-%m-%d") if bill.paid_at else "—"


def _late_rule(turn: Turn, home: Home, bill: Bill) -> str:
    contract = turn.uow.billing.contract(home.building.community_id, rules.local_today(turn))
    return rules.late_rule(bill.late_fee_rate, contract.title if contract else None, turn.locale)


def _source(turn: Turn, home: Home) -> str:
    company = home.building.community.company
    name = company.name if company else home.building.community.name
    return t("bill_source", turn.locale, company=name, date=rules.local_time(turn.now, turn))


def payment_history(turn: Turn) -> Outcome:
    """Paid bills of the home, newest first, optionally of a year or month, capped, with a total."""
    home = current_home(turn)
    if household.is_tenant(turn, home):  # the owner's payments are not the tenant's business
        raise Forbidden("household_tenant_no_history")
    item, period = rules.filters(turn)
    tz = turn.deps.settings.timezone
    bills = [
        b for b in turn.uow.billing.paid_bills(home.id)
        if (not item or b.item == item) and (not period or _in_period(b, period, tz))
    ]
    what = t("hist_what_period", turn.locale, period=rules.filter_text(item, period, turn.locale)) \
        if item or period else ""
    if not bills:
        return _nothing_paid(turn, home, item, period, what)
    lines = [t("hist_head", turn.locale, home=home.label, what=what)]
    for bill in bills[:HISTORY_LINES]:
        lines.append(t("hist_line", turn.locale, paid_on=_paid_on(turn, bill),
                       item=rules.item_name(bill.item, turn.locale),
                       period=rules.period_label(bill.period, turn.locale),
                       amount=rules.money(bill.amount, turn.locale)))
    if len(bills) > HISTORY_LINES:
        lines.append(t("hist_more", turn.locale, count=len(bills) - HISTORY_LINES))
    lines.append(t("hist_total", turn.locale, total=rules.money(rules.total(bills), turn.locale),
                   count=len(bills)))
    # "电费交了没": the paid ones are half the answer when some of that item are still unpaid.
    unpaid = turn.uow.billing.unpaid_bills(home.id, item, period) if item or period else []
    if unpaid:
        lines.append(t("hist_unpaid_note", turn.locale, count=len(unpaid),
                       what=rules.filter_text(item, period, turn.locale),
                       total=rules.money(rules.total(unpaid), turn.locale)))
    lines.append(_source(turn, home))
    return Outcome((Reply("\n".join(lines), _pay_button(turn, item, period) if unpaid else ()),))


def _nothing_paid(
    turn: Turn, home: Home, item: str | None, period: str | None, what: str
) -> Outcome:
    """No payment found; "10月电费交了吗" is answered by whether that bill is still unpaid."""
    unpaid = turn.uow.billing.unpaid_bills(home.id, item, period) if item or period else []
    if not unpaid:
        return Outcome((Reply(t("hist_none", turn.locale, home=home.label, what=what)),))
    total = rules.money(rules.total(unpaid), turn.locale)
    text = t("hist_none_unpaid", turn.locale, home=home.label,
             what=rules.filter_text(item, period, turn.locale), total=total)
    return Outcome((Reply(text, _pay_button(turn, item, period)),))


def _pay_button(turn: Turn, item: str | None, period: str | None) -> tuple[Button, ...]:
    return (Button(t("bill_btn_pay", turn.locale), "/pay_bill" + rules.filter_payload(item, period)),)


def _in_period(bill: Bill, period: str, tz: tzinfo) -> bool:
    # "去年交了多少" may mean bills of last year or money paid last year: either counts.
    if bill.period == period or bill.period.startswith(period + "-"):
        return True
    paid = bill.paid_at.astimezone(tz).strftime("%Y-%m") if bill.paid_at else ""
    return bool(paid) and (paid == period or paid.startswith(period + "-"))


def fee_question(turn: Turn) -> Outcome:
    """Explain how the fee is computed (contract price × area, late-fee rule); offer finance."""
    home = current_home(turn)
    if _INVOICE.search(canonical(turn.text or "")):  # "物业费发票怎么开": the office's FAQ answer
        match = faq.best_match(turn.uow, home.building.community_id, turn.text, faq.THRESHOLD / 2)
        if match is not None:
            return Outcome((Reply(faq.answer_text(match[0], turn.locale)),))
    item, period = rules.filters(turn)
    if item and item != "property_fee" and not turn.entity("ticket"):
        return bill_trend.item_trend(turn, home, item, period)  # "8月份电费咋那么多"
    if turn.entity("ticket"):  # the owner pressed "提交财务核实": that is the yes
        return _open_ticket(turn, home, str(turn.state.get("question") or turn.text or ""))
    lines = _explanation(turn, home)
    # A dispute ("凭什么收这么多") is offered the finance check; no ticket without a yes.
    disputes = bool(_DISPUTE.search(canonical(turn.text or "")))
    lines.append(t("fee_vent_offer" if disputes else "fee_offer", turn.locale))
    state = {"flow": "fee_question", "question": (turn.text or "")[:500]}
    return Outcome((Reply("\n".join(lines), _fee_buttons(turn)),), state)


def _fee_buttons(turn: Turn) -> tuple[Button, ...]:
    return (
        Button(t("fee_btn_ticket", turn.locale), '/fee_question{"ticket": "1"}'),
        Button(t("fee_btn_no", turn.locale), "/deny"),
    )


def continue_fee_question(turn: Turn) -> Outcome:
    """After the explanation: yes (or a disputing reply) opens a finance ticket."""
    question = str(turn.state.get("question") or "")
    detail = (turn.text or "").strip()
    if turn.intent == "affirm" or canonical(detail).strip("。！!.～~ ") in AFFIRM_WORDS:
        return _open_ticket(turn, current_home(turn), question)
    state = {"flow": "fee_question", "question": f"{question}\n{detail}".strip()[:1000]}
    if _DISPUTE.search(canonical(detail)) or turn.intent in ("complaint", "out_of_scope"):
        # Venting after the explanation ("这也太贵了吧，凭什么") is heard, and asked: no ticket yet.
        return Outcome((Reply(t("fee_vent_offer", turn.locale), _fee_buttons(turn)),), state)
    if turn.intent == "fee_question":
        return fee_question(turn)  # another question about the fee: explain again
    return Outcome((Reply(t("fee_offer", turn.locale), _fee_buttons(turn)),), state)


def _explanation(turn: Turn, home: Home) -> list[str]:
    today = rules.local_today(turn)
    contract = turn.uow.billing.contract(home.building.community_id, today)
    area = f"{home.area_m2:f}"
    if contract is None:
        return [t("fee_no_contract", turn.locale, area=area)]
    monthly = (home.area_m2 * contract.fee_per_m2).quantize(rules.FEN)
    lines = [t("fee_explain", turn.locale, area=area, price=f"{contract.fee_per_m2:f}",
               monthly=rules.money(monthly, turn.locale), contract=contract.title,
               start=contract.start_date.isoformat(), end=contract.end_date.isoformat())]
    latest = turn.uow.billing.bills(home.id, item="property_fee")
    monthly_bills = [b for b in latest if len(b.period) == 7]
    if monthly_bills and monthly_bills[-1].amount != monthly:
        last = monthly_bills[-1]
        lines.append(t("fee_bill_differs", turn.locale,
                       period=rules.period_label(last.period, turn.locale),
                       billed=rules.money(last.amount, turn.locale),
                       monthly=rules.money(monthly, turn.locale)))
    unpaid = turn.uow.billing.unpaid_bills(home.id)
    sample = unpaid or latest
    rate = sample[0].late_fee_rate if sample else rules.DEFAULT_LATE_FEE_RATE
    lines.append(rules.late_rule(rate, contract.title, turn.locale))
    fees = sum((rules.late_fee(b, today) for b in unpaid), Decimal("0.00"))
    if fees:
        lines.append(t("fee_late_now", turn.locale, fee=rules.money(fees, turn.locale)))
    return lines


def _open_ticket(turn: Turn, home: Home, question: str) -> Outcome:
    description = question.strip() or t("fee_ticket_default", turn.locale)
    ticket = create_ticket(turn, "fee_question", description=description, category="billing",
                           home=home)
    return Outcome((Reply(t("fee_ticket_created", turn.locale, number=ticket.number)),))


def claims_paid(text: str) -> bool:
    """Whether the whole message says "I have paid" (付好了 / 已支付 / I've paid)."""
    return bool(_PAID_CLAIM.match(canonical(text).strip(" 。.!！~～，,")))


def paid_without_order(turn: Turn) -> Outcome:
    """"付好了" outside the pay flow: the order still waiting for it, else that none is."""
    pending = [p for h in owner_homes(turn) for p in turn.uow.billing.payments(h.id, "pending")]
    bills_button = Button(t("pay_claim_btn_bills", turn.locale), "/check_bill")
    if not pending:
        return Outcome((Reply(t("pay_claim_none", turn.locale), (bills_button,)),))
    latest = max(pending, key=lambda p: (p.created_at, p.id))
    text = t("pay_claim_pending", turn.locale, reference=latest.reference,
             total=rules.money(latest.amount, turn.locale))
    done = "/confirm_payment" + json.dumps({"reference": latest.reference})
    return Outcome((Reply(text, (Button(t("pay_btn_done", turn.locale), done), bills_button)),))
