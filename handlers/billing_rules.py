"""Billing rules and wording shared by bills and payments: late fees, filters, bill lines."""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import handlers.texts.bills  # noqa: F401 - registers the texts used here
from handlers.texts import t
from handlers.turn import Turn
from handlers.util import yuan
from storage.models import BILL_ITEMS, Bill

FEN = Decimal("0.01")
DEFAULT_LATE_FEE_RATE = Decimal("0.0003")  # 万分之三 a day, the model's default
_PERIOD = re.compile(r"^\d{4}(-\d{2})?$")


def local_today(turn: Turn) -> date:
    """Today in the community's time zone (a bill is overdue from the day after its due date)."""
    return turn.now.astimezone(turn.deps.settings.timezone).date()


def overdue_days(bill: Bill, today: date) -> int:
    """Whole days past the due date; 0 when not yet due."""
    return max(0, (today - bill.due_date).days)


def late_fee(bill: Bill, today: date) -> Decimal:
    """amount × daily rate × days overdue, rounded half-up to the fen."""
    days = overdue_days(bill, today)
    if days == 0 or bill.status != "unpaid":
        return Decimal("0.00")
    return (bill.amount * bill.late_fee_rate * days).quantize(FEN, rounding=ROUND_HALF_UP)


def rate_text(rate: Decimal, locale: str) -> str:
    """0.0003 → 万分之三-style `万分之3` in Chinese, `0.03%` in English."""
    if locale == "en":
        return f"{(rate * 100).normalize():f}%"
    return f"万分之{(rate * 10000).normalize():f}"


def money(amount: Decimal, locale: str) -> str:
    """268.50 → `268.50元` / `¥268.50`."""
    return t("bill_amount", locale, amount=yuan(amount))


def item_name(item: str, locale: str) -> str:
    """property_fee → 物业费 / Property fee."""
    return t(f"bill_item_{item}", locale) if item in BILL_ITEMS else item


def period_label(period: str, locale: str) -> str:
    """`2026-10` → 2026年10月 / Oct 2026; `2026` → 2026年."""
    if len(period) == 7 and period[4] == "-":
        month = int(period[5:])
        return t("bill_period_month", locale, year=period[:4], month=month,
                 month_name=calendar.month_abbr[month])
    return t("bill_period_year", locale, year=period)


def date_label(day: date, today: date, locale: str) -> str:
    """11月30日, with the year when it is not this year's."""
    key = "bill_date" if day.year == today.year else "bill_date_year"
    return t(key, locale, year=day.year, month=day.month, day=day.day,
             month_name=calendar.month_abbr[day.month])


def filters(turn: Turn) -> tuple[str | None, str | None]:
    """The valid `bill_item` and `period` entities of the turn (anything else is ignored)."""
    item = turn.entity("bill_item")
    period = turn.entity("period")
    return (item if item in BILL_ITEMS else None,
            period if period and _PERIOD.match(period) else None)


def filter_payload(item: str | None, period: str | None) -> str:
    """The JSON tail of a button payload carrying the filters (`{"bill_item": …}`)."""
    data = {k: v for k, v in (("bill_item", item), ("period", period)) if v}
    return json.dumps(data, ensure_ascii=False) if data else ""


def filter_text(item: str | None, period: str | None, locale: str) -> str:
    """What the owner asked for, in words: `2026年10月 物业费`, or `费用` for everything."""
    parts = [period_label(period, locale) if period else "", item_name(item, locale) if item else ""]
    return " ".join(p for p in parts if p) or t("bill_what_all", locale)


def bill_line(bill: Bill, today: date, locale: str, with_status: bool = True) -> str:
    """One bill as a line: item, period, amount, and overdue days + late fee or due date."""
    params = {"item": item_name(bill.item, locale), "period": period_label(bill.period, locale),
              "amount": money(bill.amount, locale)}
    if not with_status:
        return t("bill_line_plain", locale, **params)
    days = overdue_days(bill, today)
    if days:
        return t("bill_line_overdue", locale, days=days,
                 fee=money(late_fee(bill, today), locale), **params)
    return t("bill_line_due", locale, due=date_label(bill.due_date, today, locale), **params)


def total(bills: Iterable[Bill]) -> Decimal:
    """The sum of the bills' amounts."""
    return sum((b.amount for b in bills), Decimal("0.00"))


def late_rule(rate: Decimal, contract_title: str | None, locale: str) -> str:
    """The late-fee rule in words, naming the contract it comes from."""
    basis = f"《{contract_title}》" if contract_title else t("bill_basis_default", locale)
    if contract_title and locale == "en":
        basis = f"\"{contract_title}\""
    return t("bill_late_rule", locale, rate=rate_text(rate, locale), basis=basis)


def local_time(moment: datetime, turn: Turn) -> str:
    """An aware datetime as local `2026-11-27 10:00`."""
    return moment.astimezone(turn.deps.settings.timezone).strftime("%Y-%m-%d %H:%M")
