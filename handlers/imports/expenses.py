"""Import expenses (the open books) and maintenance-fund statement lines; all or nothing.

Expenses: 小区, 类别, 金额, 日期[, 收款方, 备注, 发票]. Fund statements: 小区, 日期, 类型
(存入/支出/利息), 金额, 摘要[, 批准]; a line already in the ledger (same community, date,
type, amount and description) is counted unchanged, so re-importing a statement is safe.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from handlers.imports import keys, values
from handlers.imports.bulk import ImportSummary, insert_many
from handlers.imports.sheet import CellError, Collector, Column, Field, Progress, Sheet, parse_rows
from handlers.office.books import category_code
from storage.models import MaintenanceFundEntry
from storage.models.operations import Expense
from storage.uow import UnitOfWork

EXPENSE_COLUMNS = (
    Column("community", "小区", ("小区名称", "项目名称")),
    Column("category", "类别", ("支出类别", "费用类别", "科目", "支出科目")),
    Column("amount", "金额", ("支出金额", "金额元")),
    Column("spent_on", "日期", ("支出日期", "付款日期", "发生日期")),
    Column("payee", "收款方", ("收款单位", "供应商", "收款人"), required=False),
    Column("note", "备注", ("说明", "用途", "摘要"), required=False),
    Column("invoice", "发票", ("发票号", "发票照片", "凭证"), required=False),
)
FUND_COLUMNS = (
    Column("community", "小区", ("小区名称", "项目名称")),
    Column("occurred_on", "日期", ("交易日期", "记账日期", "发生日期")),
    Column("kind", "类型", ("交易类型", "收支类型", "借贷")),
    Column("amount", "金额", ("交易金额", "发生额")),
    Column("description", "摘要", ("用途", "说明", "备注")),
    Column("approval", "批准", ("表决结果", "审批", "批准文件"), required=False),
)
FUND_KINDS = {"存入": "deposit", "缴存": "deposit", "deposit": "deposit", "支出": "expense", "使用": "expense",
              "expense": "expense", "利息": "interest", "结息": "interest", "interest": "interest"}


def _category(raw: object) -> str:
    code = category_code(values.text(raw))
    if code is None:
        raise CellError("import_unknown_expense_category", value=values.text(raw))
    return code


def _positive(raw: object) -> object:
    value = values.amount(raw)
    if value <= 0:
        raise CellError("import_not_positive", value=values.text(raw))
    return value


def _fund_kind(raw: object) -> str:
    code = FUND_KINDS.get(values.text(raw).lower())
    if code is None:
        raise CellError("import_unknown_fund_kind", value=values.text(raw))
    return code


EXPENSE_FIELDS: tuple[Field, ...] = (
    ("community", values.text, True), ("category", _category, True), ("amount", _positive, True),
    ("spent_on", values.day, True), ("payee", values.text_max(200), False),
    ("note", values.text_max(500), False), ("invoice", values.text_max(300), False),
)
FUND_FIELDS: tuple[Field, ...] = (
    ("community", values.text, True), ("occurred_on", values.day, True), ("kind", _fund_kind, True),
    ("amount", _positive, True), ("description", values.text_max(300), True),
    ("approval", values.text_max(200), False),
)


def _rows(uow: UnitOfWork, sheet: Sheet, columns: tuple[Column, ...], fields: tuple[Field, ...],
          progress: Progress | None, company_id: int | None) -> list[tuple[int, dict[str, Any]]]:
    """Parsed rows with `community_id` resolved; raises ImportRejectedError on any error."""
    errors = Collector()
    parsed = parse_rows(sheet, columns, fields, errors, progress)
    communities = keys.communities_by_name(uow.session, {str(v[0]) for _, v in parsed})
    rows = []
    for number, cells in parsed:
        data = dict(zip((f[0] for f in fields), cells, strict=True))
        community = communities.get(str(data["community"]))
        # Another company's community does not exist for a console user: same message.
        if community is None or (company_id is not None and community.company_id != company_id):
            errors.fail(number, "community", "import_unknown_community", value=data["community"])
            continue
        data["community_id"] = community.id
        rows.append((number, data))
    errors.raise_if_any()
    return rows


def import_expenses(uow: UnitOfWork, sheet: Sheet, now: datetime, progress: Progress | None = None,
                    actor: str = "cli", source: str = "", company_id: int | None = None) -> ImportSummary:
    """Validate the whole sheet, then add every expense (the caller commits)."""
    rows = _rows(uow, sheet, EXPENSE_COLUMNS, EXPENSE_FIELDS, progress, company_id)
    summary = ImportSummary("expenses", len(rows))
    insert_many(uow.session, Expense, [{
        "community_id": d["community_id"], "category": d["category"], "amount": d["amount"],
        "spent_on": d["spent_on"], "payee": d["payee"] or "", "note": d["note"] or "",
        "invoice_ref": d["invoice"] or "", "recorded_by": actor[:60],
        "source": f"import:{source}"[:200], "created_at": now} for _, d in rows])
    summary.count("expense").created = len(rows)
    summary.audit(uow, now, actor, source)
    return summary


def import_fund(uow: UnitOfWork, sheet: Sheet, now: datetime, progress: Progress | None = None,
                actor: str = "cli", source: str = "", company_id: int | None = None) -> ImportSummary:
    """Validate the statement, then add its lines not yet in the ledger (the caller commits)."""
    rows = _rows(uow, sheet, FUND_COLUMNS, FUND_FIELDS, progress, company_id)
    summary = ImportSummary("fund", len(rows))
    ids = {d["community_id"] for _, d in rows}
    stmt = select(MaintenanceFundEntry).where(MaintenanceFundEntry.community_id.in_(ids))
    known = {_key(e.community_id, e.occurred_on, e.kind, e.amount, e.description)
             for e in uow.session.scalars(stmt)}
    new = []
    for _, d in rows:
        key = _key(d["community_id"], d["occurred_on"], d["kind"], d["amount"], d["description"])
        if key in known:
            continue
        known.add(key)
        new.append({"community_id": d["community_id"], "occurred_on": d["occurred_on"], "kind": d["kind"],
                    "amount": d["amount"], "description": d["description"], "approval": d["approval"] or ""})
    insert_many(uow.session, MaintenanceFundEntry, new)
    counts = summary.count("fund_entry")
    counts.created, counts.unchanged = len(new), len(rows) - len(new)
    summary.audit(uow, now, actor, source)
    return summary


def _key(*parts: object) -> tuple[str, ...]:
    return tuple(str(p) for p in parts)

