"""Import bills: one row per home, item and period; re-importing updates the same bill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from handlers.imports import keys, values
from handlers.imports.bulk import ImportSummary, changed, insert_many, update_many
from handlers.imports.sheet import Collector, Column, Field, Progress, Sheet, parse_rows, ticker
from storage.models import Bill, Building, Home
from storage.uow import UnitOfWork

COLUMNS = (
    Column("community", "小区", ("小区名称", "小区名", "项目名称")),
    Column("building", "楼号", ("楼栋", "楼栋号", "楼", "栋")),
    Column("unit", "单元", ("单元号",), required=False),
    Column("room", "房号", ("室", "房间号", "门牌号", "户号")),
    Column("item", "收费项目", ("项目", "费用项目", "费用类型", "费项", "科目")),
    Column("period", "账期", ("所属期", "计费周期", "月份", "期间", "年月")),
    Column("amount", "金额", ("应收金额", "应缴金额", "费用", "应收")),
    Column("due_date", "截止日期", ("缴费截止日期", "缴费截止日", "到期日", "应缴日期", "最后缴费日")),
    Column("paid", "是否已缴", ("已缴", "是否缴费", "缴费状态", "已缴费"), required=False),
)
DEFAULT_LATE_FEE_RATE = Decimal("0.0003")  # 万分之三 per day, the usual contract clause


@dataclass
class BillRow:
    number: int
    home: tuple[str, str, str, str]  # community, building, unit, room
    item: str
    period: str
    amount: Decimal
    due_date: date
    paid: bool | None
    home_id: int = 0
    community_id: int = 0


FIELDS: tuple[Field, ...] = (
    ("community", values.text_max(200), True), ("building", values.building, True),
    ("unit", values.unit, False), ("room", values.room, True), ("item", values.bill_item, True),
    ("period", values.period, True), ("amount", values.amount, True),
    ("due_date", values.day, True), ("paid", values.paid, False),
)


def validate(uow: UnitOfWork, sheet: Sheet, progress: Progress | None = None) -> list[BillRow]:
    """Parse every row and find its home; raise ImportRejectedError listing the errors."""
    errors = Collector()
    parsed = parse_rows(sheet, COLUMNS, FIELDS, errors, progress)
    communities = keys.communities_by_name(uow.session, {str(v[0]) for _, v in parsed})
    index = keys.home_index(uow.session, (c.id for c in communities.values()))
    seen: dict[tuple[Any, ...], int] = {}
    rows: list[BillRow] = []
    for number, (community, building, unit, room, item, period, amount, due, paid) in parsed:
        bill = BillRow(number, (community, building, unit or "", room), item, period, amount, due, paid)  # type: ignore[arg-type]
        if _resolve(errors, bill, communities, index, seen):
            rows.append(bill)
        elif errors.full:
            break
    errors.raise_if_any()
    return rows


def _resolve(errors: Collector, bill: BillRow, communities: dict[str, Any],
             index: dict[keys.HomeKey, dict[str, Any]], seen: dict[tuple[Any, ...], int]) -> bool:
    """Find the bill's home; False (error recorded) if unknown or the row repeats another."""
    community = communities.get(bill.home[0])
    if community is None:
        errors.fail(bill.number, "community", "import_unknown_community", value=bill.home[0])
        return False
    home = index.get((community.id, *bill.home[1:]))
    if home is None:
        label = "-".join(p for p in bill.home[1:] if p)
        errors.fail(bill.number, "room", "import_unknown_home", community=bill.home[0], home=label)
        return False
    bill.home_id, bill.community_id = home["id"], community.id
    key = (bill.home_id, bill.item, bill.period)
    if key in seen:
        errors.fail(bill.number, "period", "import_duplicate_row", other=seen[key])
        return False
    seen[key] = bill.number
    return True


def import_bills(
    uow: UnitOfWork, sheet: Sheet, now: datetime, progress: Progress | None = None,
    actor: str = "cli", source: str = "",
) -> ImportSummary:
    """Validate the whole sheet, then insert new bills and update existing unpaid ones.

    A bill already paid (or refunded) in the system is never turned back to unpaid nor
    changed by an import: an old export must not undo an owner's online payment.
    """
    rows = validate(uow, sheet, progress)
    summary = ImportSummary("bills", len(rows))
    existing = _existing(uow, {r.community_id for r in rows}, {r.home_id for r in rows})
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    counts = summary.count("bill")
    for r in rows:
        old = existing.get((r.home_id, r.item, r.period))
        paid = bool(r.paid)
        if old is None:
            inserts.append({"home_id": r.home_id, "item": r.item, "period": r.period,
                            "amount": r.amount, "due_date": r.due_date,
                            "late_fee_rate": DEFAULT_LATE_FEE_RATE,
                            "status": "paid" if paid else "unpaid", "paid_at": now if paid else None})
            continue
        if old["status"] != "unpaid":
            counts.kept += int(old["amount"] != r.amount or old["due_date"] != r.due_date)
            counts.unchanged += int(old["amount"] == r.amount and old["due_date"] == r.due_date)
            continue
        new = {"amount": r.amount, "due_date": r.due_date, "status": "paid" if paid else "unpaid",
               "paid_at": now if paid else None}
        if changed(old, new):
            updates.append({"id": old["id"], **new})
        else:
            counts.unchanged += 1
    counts.created, counts.updated = len(inserts), len(updates)
    advance = ticker(progress, "write", len(inserts) + len(updates))
    insert_many(uow.session, Bill, inserts, advance)
    update_many(uow.session, Bill, updates, advance)
    summary.audit(uow, now, actor, source)
    uow.flush()
    return summary


def _existing(uow: UnitOfWork, community_ids: set[int], home_ids: set[int],
              ) -> dict[tuple[int, str, str], dict[str, Any]]:
    # Load by community rather than by a huge IN list of home ids.
    stmt = (
        select(Bill.id, Bill.home_id, Bill.item, Bill.period, Bill.amount, Bill.due_date,
               Bill.status, Bill.paid_at)
        .join(Home, Bill.home_id == Home.id).join(Building, Home.building_id == Building.id)
        .where(Building.community_id.in_(list(community_ids)))
    )
    return {
        (r.home_id, r.item, r.period): {"id": r.id, "amount": r.amount, "due_date": r.due_date,
                                        "status": r.status, "paid_at": r.paid_at}
        for r in uow.session.execute(stmt) if r.home_id in home_ids
    }
