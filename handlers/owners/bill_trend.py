""""8月份电费咋那么多": that item's own history month over month, not the property fee's price."""

from __future__ import annotations

from decimal import Decimal

import handlers.texts.dialogue  # noqa: F401 - registers the texts used here
from handlers import billing_rules as rules
from handlers.messages import Button, Outcome, Reply
from handlers.texts import t
from handlers.turn import Turn
from storage.models import Bill, Home

MONTHS_SHOWN = 6


def item_trend(turn: Turn, home: Home, item: str, period: str | None) -> Outcome:
    """The item's monthly amounts up to the month asked, each against the month before."""
    monthly = [b for b in turn.uow.billing.bills(home.id, item=item) if len(b.period) == 7]
    monthly.sort(key=lambda b: b.period)
    loc, name = turn.locale, rules.item_name(item, turn.locale)
    if not monthly:
        return Outcome((Reply(t("trend_none", loc, home=home.label, item=name)),))
    upto = [b for b in monthly if not period or b.period <= period] or monthly
    asked = upto[-1]
    shown = upto[-MONTHS_SHOWN:]
    lines = [t("trend_head", loc, home=home.label, item=name)]
    for previous, bill in zip([None, *shown[:-1]], shown, strict=True):
        lines.append(_line(bill, previous, loc))
    before = upto[-2] if len(upto) > 1 else None
    lines.append(_verdict(asked, before, upto[:-1], loc, name))
    lines.append(t("trend_offer", loc))
    buttons = (
        Button(t("fee_btn_ticket", loc), '/fee_question{"ticket": "1"}'),
        Button(t("fee_btn_no", loc), "/deny"),
    )
    state = {"flow": "fee_question", "question": (turn.text or "")[:500]}
    return Outcome((Reply("\n".join(lines), buttons),), state)


def _line(bill: Bill, previous: Bill | None, loc: str) -> str:
    label = rules.period_label(bill.period, loc)
    amount = rules.money(bill.amount, loc)
    if previous is None or not previous.amount:
        return t("trend_line_first", loc, period=label, amount=amount)
    change = bill.amount - previous.amount
    percent = (change / previous.amount * 100).quantize(Decimal("1"))
    sign = "+" if change >= 0 else "−"
    return t("trend_line", loc, period=label, amount=amount, sign=sign,
             change=rules.money(abs(change), loc), percent=abs(percent))


def _verdict(asked: Bill, before: Bill | None, earlier: list[Bill], loc: str, name: str) -> str:
    label = rules.period_label(asked.period, loc)
    if not earlier:
        return t("trend_only_one", loc, period=label, item=name)
    average = sum((b.amount for b in earlier), Decimal("0")) / len(earlier)
    if asked.amount > average * Decimal("1.15"):
        key = "trend_higher"
    elif before is not None and asked.amount > before.amount:
        key = "trend_up"  # more than last month, though not above the usual level
    else:
        key = "trend_usual"
    change = asked.amount - before.amount if before is not None else Decimal("0")
    return t(key, loc, period=label, item=name, average=rules.money(average.quantize(rules.FEN), loc),
             amount=rules.money(asked.amount, loc), change=rules.money(abs(change), loc))
