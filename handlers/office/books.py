"""Open books: expenses as finance staff record them, and a community's month in figures.

`month_summary` is the one computation behind the owners' chat answer, the console and the
XLSX/PDF report, so what an owner reads adds up to what the office prints.
Income is what owners settled that month, by bill item: bills marked paid (online
payments and counter receipts both mark them) with `paid_at` in the month, local time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy import select

import handlers.texts.books  # noqa: F401 - registers the texts used here
from handlers.errors import Invalid
from handlers.office.ops_access import OpsActor, community_for, require
from storage.models import BILL_ITEMS, Bill, Building, Community, Home
from storage.models.operations import EXPENSE_CATEGORIES, Expense
from storage.uow import UnitOfWork

MAX_AMOUNT = Decimal("10000000000")
# Category code → the words finance staff and owners use for it (the code is accepted too).
CATEGORY_NAMES: dict[str, tuple[str, ...]] = {
    "staff": ("人工", "人员", "工资", "人员工资", "社保", "人工费"),
    "cleaning": ("保洁", "清洁", "保洁费", "垃圾清运"),
    "security": ("秩序维护", "保安", "安保", "门岗"),
    "greening": ("绿化", "园林", "绿化养护"),
    "repairs": ("维修", "维护", "修缮", "公共设施维修", "维修费"),
    "elevator": ("电梯", "电梯维保", "电梯维护"),
    "fire_safety": ("消防", "消防维保", "消防设施"),
    "utilities": ("水电", "公共水电", "能耗", "公共能耗", "水电费"),
    "office": ("办公", "行政", "办公费"),
    "insurance": ("保险", "公众责任险"),
    "tax": ("税", "税费", "税金"),
    "other": ("其他", "其它"),
}
_CATEGORY_INDEX = {code: code for code in EXPENSE_CATEGORIES} | {
    name: code for code, names in CATEGORY_NAMES.items() for name in names}


def category_code(word: str) -> str | None:
    """保洁 / cleaning → `cleaning`; None when unknown."""
    return _CATEGORY_INDEX.get(word.strip().lower()) or _CATEGORY_INDEX.get(word.strip())


def category_in_text(text: str) -> str | None:
    """The expense category an owner's question names (longest name first), else None."""
    for name in sorted(_CATEGORY_INDEX, key=len, reverse=True):
        if len(name) >= 2 and name in text:
            return _CATEGORY_INDEX[name]
    return None


@dataclass(frozen=True)
class ExpenseRequest:
    community: str | int
    category: str
    amount: str  # a decimal string such as "1234.50"
    spent_on: str  # YYYY-MM-DD
    payee: str = ""
    note: str = ""
    invoice_ref: str = ""


def record_expense(uow: UnitOfWork, actor: OpsActor, request: ExpenseRequest, now: datetime,
                   source: str = "console") -> Expense:
    """Check and store one expense; audit-logged."""
    require(actor, "books.write")
    community = community_for(uow, actor, request.community)
    category = category_code(request.category)
    if category is None:
        raise Invalid("books_bad_category", value=request.category)
    amount = parse_amount(request.amount)
    try:
        spent_on = date.fromisoformat(str(request.spent_on).strip())
    except ValueError:
        raise Invalid("books_bad_date", value=request.spent_on) from None
    if len(request.payee) > 200 or len(request.note) > 500:
        raise Invalid("books_too_long")
    expense = Expense(community_id=community.id, category=category, amount=amount, spent_on=spent_on,
                      payee=request.payee.strip(), note=request.note.strip(),
                      invoice_ref=request.invoice_ref.strip()[:300], recorded_by=actor.audit_name,
                      source=source, created_at=now)
    uow.operations.add(expense)
    uow.audit.record(now, actor.audit_name, "expense_recorded", f"expense:{expense.id}", {
        "community_id": community.id, "category": category, "amount": str(amount),
        "date": spent_on.isoformat(), "payee": expense.payee})
    return expense


def parse_amount(text: object) -> Decimal:
    """`1234.50` → Decimal; more than 2 decimals, not positive or too big → Invalid."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise Invalid("books_bad_amount", value=text) from None
    if not value.is_finite() or value <= 0 or value >= MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise Invalid("books_bad_amount", value=text)
    return value.quantize(Decimal("0.01"))


def month_bounds(month: str) -> tuple[date, date]:
    """`2026-11` → (1 November, 30 November); Invalid for anything else."""
    try:
        first = date.fromisoformat(f"{month.strip()}-01")
    except ValueError:
        raise Invalid("books_bad_month", value=month) from None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


@dataclass
class MonthSummary:
    """A community's month: income by bill item, expenses by category, and the lines."""

    community: str
    month: str
    income: dict[str, Decimal] = field(default_factory=dict)  # item → amount, BILL_ITEMS order
    expenses: dict[str, Decimal] = field(default_factory=dict)  # category → amount, largest first
    lines: list[Expense] = field(default_factory=list)

    @property
    def income_total(self) -> Decimal:
        return sum(self.income.values(), Decimal("0"))

    @property
    def expense_total(self) -> Decimal:
        return sum(self.expenses.values(), Decimal("0"))

    @property
    def balance(self) -> Decimal:
        return self.income_total - self.expense_total


def month_summary(uow: UnitOfWork, community: Community, month: str, tz: ZoneInfo) -> MonthSummary:
    """Income (bills settled in the month, by item) and expenses (by category) of one community."""
    first, last = month_bounds(month)
    summary = MonthSummary(community.name, month)
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    stmt = (select(Bill.item, Bill.amount).join(Home, Bill.home_id == Home.id)
            .join(Building, Home.building_id == Building.id)
            .where(Building.community_id == community.id, Bill.status == "paid",
                   Bill.paid_at >= start, Bill.paid_at < end))
    income: dict[str, Decimal] = defaultdict(Decimal)
    for item, amount in uow.session.execute(stmt):
        income[item] += amount
    summary.income = {item: income[item] for item in (*BILL_ITEMS, *sorted(set(income) - set(BILL_ITEMS)))
                      if item in income}
    summary.lines = uow.operations.expenses(community.id, first, last)
    spent: dict[str, Decimal] = defaultdict(Decimal)
    for expense in summary.lines:
        spent[expense.category] += expense.amount
    summary.expenses = dict(sorted(spent.items(), key=lambda kv: (-kv[1], kv[0])))
    return summary


def community_month(uow: UnitOfWork, actor: OpsActor, community_ref: str | int, month: str,
                    tz: ZoneInfo) -> MonthSummary:
    """The month summary for the console and the report, inside the actor's scope."""
    require(actor, "books.read")
    return month_summary(uow, community_for(uow, actor, community_ref), month, tz)
