"""The demo's money: the service contract, a year of bills with payments, the fund ledger."""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from handlers.demo_seed import content
from handlers.demo_seed.homes import DemoHome, DemoOrg
from handlers.imports.bulk import insert_many
from storage.models import Bill, Home, MaintenanceFundEntry, Payment, ServiceContract
from storage.uow import UnitOfWork

TZ = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")
ARREARS_SHARE = 0.10  # about one home in ten owes money past its due date


@dataclass(frozen=True)
class Charge:
    """A bill before it is written: issued on `issued`, due on `due`."""

    home: DemoHome
    item: str
    period: str
    amount: Decimal
    issued: date
    due: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months(today: date, count: int) -> list[tuple[int, int]]:
    """The `count` months up to and including today's, oldest first."""
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def build_contract(uow: UnitOfWork, org: DemoOrg, today: date) -> None:
    """The service contract, one clause per line, running from last January for three years."""
    start, end = date(today.year - 1, 1, 1), date(today.year + 1, 12, 31)
    terms = "\n".join(content.CONTRACT_TERMS).format(start=f"{start:%Y年%m月%d日}", end=f"{end:%Y年%m月%d日}")
    uow.session.add(ServiceContract(
        community_id=org.community_id, company_id=org.company_id, title=f"{org.community_name}物业服务合同",
        start_date=start, end_date=end, fee_per_m2=content.FEE_PER_M2, terms=terms,
    ))


def charges(org: DemoOrg, today: date, rng: random.Random) -> list[Charge]:
    """A year of monthly property fees, water, electricity, parking for some, two heating seasons."""
    out: list[Charge] = []
    parkers = {h.id for h in org.homes if rng.random() < 0.15}
    season = today.year if today.month >= 10 else today.year - 1  # 2025 = the 2025-2026 season
    for home in org.homes:
        for year, month in _months(today, 12):
            period, first = f"{year:04d}-{month:02d}", date(year, month, 1)
            end = _month_end(year, month)
            next_first = end + timedelta(days=1)
            fee = (home.area_m2 * content.FEE_PER_M2).quantize(CENT)
            out.append(Charge(home, "property_fee", period, fee, first, end))
            # Meters are read at month end; the bill is due mid next month.
            water = Decimal(rng.randint(1800, 9000)) / 100
            power = Decimal(rng.randint(6000, 26000)) / 100
            out.append(Charge(home, "water", period, water, next_first, next_first + timedelta(days=14)))
            out.append(Charge(home, "electricity", period, power, next_first, next_first + timedelta(days=14)))
            if home.id in parkers:
                out.append(Charge(home, "parking", period, content.PARKING_MONTHLY, first, end))
        for year in (season - 1, season):
            amount = (home.area_m2 * content.HEATING_PER_M2).quantize(CENT)
            out.append(Charge(home, "heating", str(year), amount, date(year, 10, 1), date(year, 11, 15)))
    return [c for c in out if c.issued <= today]


def build_bills(uow: UnitOfWork, org: DemoOrg, now: datetime, rng: random.Random) -> int:
    """Write the bills and the payments that settled the paid ones; returns the bill count."""
    today = now.astimezone(TZ).date()
    owing = {h.id: rng.randint(2, 4) for h in org.homes if rng.random() < ARREARS_SHARE}
    assert org.demo_home is not None
    owing[org.demo_home.id] = 3
    rows: list[dict[str, Any]] = []
    habit: dict[tuple[Any, ...], int] = {}
    for charge in charges(org, today, rng):
        paid_on = _paid_on(charge, today, owing.get(charge.home.id), habit, rng)
        paid_at = None
        if paid_on is not None:
            paid_at = datetime.combine(paid_on, time(rng.randint(8, 21), rng.randint(0, 59)), TZ)
            paid_at = min(paid_at, now)
        rows.append({"home_id": charge.home.id, "item": charge.item, "period": charge.period,
                     "amount": charge.amount, "due_date": charge.due, "late_fee_rate": Decimal("0.0003"),
                     "status": "paid" if paid_at else "unpaid", "paid_at": paid_at})
    insert_many(uow.session, Bill, rows)
    _payments(uow, org)
    return len(rows)


def _paid_on(charge: Charge, today: date, owing_months: int | None, habit: dict[tuple[Any, ...], int],
             rng: random.Random) -> date | None:
    """When an owner paid this charge, or None if it is still open.

    Bills issued the same month are paid together (one payment), in the first two weeks;
    about one month in twenty, late (after the due date).
    """
    if charge.due >= today:
        return None  # not due yet: most owners pay near the deadline
    if owing_months is not None and charge.due >= today - timedelta(days=31 * owing_months):
        return None  # the arrears: unpaid past the due date
    key = (charge.home.id, charge.issued.year, charge.issued.month)
    if key not in habit:
        habit[key] = -rng.randint(1, 20) if rng.random() < 0.05 else rng.randint(0, 13)
    offset = habit[key]
    if offset < 0:
        return min(charge.due - timedelta(days=offset), today - timedelta(days=1))
    return charge.issued.replace(day=1) + timedelta(days=offset)


def _payments(uow: UnitOfWork, org: DemoOrg) -> None:
    """One succeeded payment per home and day, covering the bills paid that day."""
    session = uow.session
    stmt = (select(Bill.id, Bill.home_id, Bill.amount, Bill.paid_at)
            .join(Home, Bill.home_id == Home.id)
            .where(Home.building_id.in_(list(org.building_ids.values())), Bill.status == "paid"))
    groups: dict[tuple[int, date], list[Any]] = defaultdict(list)
    for bill in session.execute(stmt):
        groups[(bill.home_id, bill.paid_at.astimezone(TZ).date())].append(bill)
    rows = []
    for (home_id, day), bills in sorted(groups.items()):
        paid_at = max(b.paid_at for b in bills)
        rows.append({"reference": f"WY{day:%Y%m%d}{home_id:06d}", "home_id": home_id,
                     "amount": sum((b.amount for b in bills), Decimal(0)),
                     "bill_ids": ",".join(str(b.id) for b in bills), "provider": "demo",
                     "provider_ref": f"DEMO-{day:%Y%m%d}-{home_id}", "status": "succeeded",
                     "created_at": paid_at, "paid_at": paid_at})
    insert_many(session, Payment, rows)


def build_fund(uow: UnitOfWork, org: DemoOrg, today: date) -> None:
    """The maintenance fund ledger: first deposits per building, yearly interest, approved works."""
    area: dict[str, Decimal] = defaultdict(Decimal)
    for home in org.homes:
        area[home.building] += home.area_m2
    entries: list[tuple[date, str, Decimal, str, str]] = []
    for name, floors, _units, _per_floor, age in content.BUILDINGS:
        rate = Decimal("200") if floors > 6 else Decimal("100")  # with lifts the deposit is higher
        entries.append((date(today.year - age, 6, 30), "deposit", (area[name] * rate).quantize(CENT),
                        f"{name}号楼业主首次交存专项维修资金（{rate}元/㎡）", ""))
    works = (
        (4, 5, "expense", Decimal("368000.00"), "5号楼、6号楼电梯主板及曳引钢丝绳更换",
         "经相关业主表决通过（专有部分面积和人数双过半同意），已公示7日"),
        (2, 7, "expense", Decimal("286500.00"), "1-3号楼屋面防水层翻修",
         "经相关业主表决通过，已在小区公告栏及本平台公示"),
        (1, 1, "expense", Decimal("152300.00"), "消防管网更换及消防水泵维修",
         "危及安全的紧急情况，按规定应急使用，事后已公示"),
        (0, 0, "expense", Decimal("48600.00"), "8号楼外墙空鼓脱落隐患排查与修复",
         "经相关业主表决通过，区住建委备案"),
    )
    for years_ago, month, kind, amount, text, approval in works:
        day = date(today.year - years_ago, month or max(today.month - 1, 1), 15)
        entries.append((min(day, today), kind, amount, text, approval))
    first_year = min(e[0].year for e in entries)
    balance_by_year = _interest(entries, first_year, today)
    entries.extend(balance_by_year)
    uow.session.add_all(MaintenanceFundEntry(
        community_id=org.community_id, occurred_on=day, kind=kind, amount=amount,
        description=text, approval=approval,
    ) for day, kind, amount, text, approval in sorted(entries))


def _interest(entries: list[tuple[date, str, Decimal, str, str]], first_year: int,
              today: date) -> list[tuple[date, str, Decimal, str, str]]:
    """Yearly interest on the balance (about 1.5 % a year), booked on 31 December."""
    out = []
    for year in range(first_year, today.year):
        balance = sum((a if k != "expense" else -a for d, k, a, _, _ in entries + out
                       if d <= date(year, 12, 31)), Decimal(0))
        interest = (balance * Decimal("0.015")).quantize(CENT)
        out.append((date(year, 12, 31), "interest", interest, f"{year}年度专户存款利息", ""))
    return out
