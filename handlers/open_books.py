"""Owners ask where the property fee goes: the month's income and spending of their community.

"物业费都花哪了" / "上个月物业费收支" → the month's summary (handlers.office.books.month_summary,
the same figures as the office's report); naming a category ("保洁支出明细") → its lines.
Reached by words, whatever the intent: the NLU has no label of its own for it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import handlers.texts.books  # noqa: F401 - registers the texts used here
from handlers import billing_rules as rules
from handlers.access import community_of_turn
from handlers.errors import NotBound
from handlers.messages import Outcome, Reply
from handlers.office.books import MonthSummary, category_in_text, month_summary
from handlers.texts import t
from handlers.turn import Turn
from nlu.normalize import canonical

MAX_DETAIL_LINES = 10
_ASKS = re.compile(r"花哪|花在哪|花到哪|用在哪|用到哪|去哪了|去哪儿了|收支|支出|开支|账目|花销|花费|公开.*账|where.*(fee|money).*(go|spent)", re.I)
# The maintenance fund has its own ledger and answer (info.query_maintenance_fund).
_FUND = re.compile(r"维修基金|维修资金|专项|基金|fund", re.I)


def asks_open_books(text: str) -> bool:
    """Whether an owner's message asks where the community's money goes."""
    words = canonical(text or "")
    return bool(_ASKS.search(words)) and not _FUND.search(words)


def open_books(turn: Turn) -> Outcome:
    """The month's summary, or one category's lines when the question names one."""
    try:
        community = community_of_turn(turn)
    except NotBound as err:
        raise NotBound("info_community_not_bound") from err
    month = _month(turn)
    summary = month_summary(turn.uow, community, month, turn.deps.settings.timezone)
    category = category_in_text(turn.text)
    if category is not None:
        return Outcome((Reply(_detail(summary, category, turn.locale)),))
    if not summary.income and not summary.lines:
        return Outcome((Reply(t("books_nothing_recorded", turn.locale, community=community.name,
                                month=month, phone=community.service_phone or "—")),))
    company = community.company.name if community.company else community.name
    text = "\n".join([*summary_lines(summary, turn.locale),
                      t("books_ask_detail", turn.locale, month=month),
                      t("books_source", turn.locale, company=company)])
    return Outcome((Reply(text),))


def _month(turn: Turn) -> str:
    """The month asked about (`period` YYYY-MM), else last month, local time."""
    period = turn.entity("period") or ""
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return period
    first = rules.local_today(turn).replace(day=1)
    return f"{first - timedelta(days=1):%Y-%m}"


def summary_lines(summary: MonthSummary, locale: str) -> list[str]:
    """Head, income by item, spending by category, balance — as owners and the notice read it."""
    lines = [t("books_summary_head", locale, community=summary.community, month=summary.month),
             t("books_income", locale, total=rules.money(summary.income_total, locale))]
    lines += [t("books_line", locale, name=rules.item_name(item, locale), amount=rules.money(amount, locale))
              for item, amount in summary.income.items()] or [t("books_nothing", locale)]
    lines.append(t("books_expenses", locale, total=rules.money(summary.expense_total, locale)))
    lines += [t("books_line", locale, name=t(f"expense_{cat}", locale), amount=rules.money(amount, locale))
              for cat, amount in summary.expenses.items()] or [t("books_nothing", locale)]
    lines.append(t("books_balance", locale, amount=rules.money(summary.balance, locale)))
    return lines


def _detail(summary: MonthSummary, category: str, locale: str) -> str:
    name = t(f"expense_{category}", locale)
    lines = [e for e in summary.lines if e.category == category]
    if not lines:
        return t("books_detail_none", locale, community=summary.community, month=summary.month, category=name)
    out = [t("books_detail_head", locale, community=summary.community, month=summary.month, category=name,
             total=rules.money(summary.expenses[category], locale))]
    for expense in lines[:MAX_DETAIL_LINES]:
        note = f"（{expense.note}）" if expense.note else ""
        out.append(t("books_detail_line", locale, date=expense.spent_on.isoformat(), payee=expense.payee or "-",
                     amount=rules.money(expense.amount, locale), note=note))
    return "\n".join(out)
