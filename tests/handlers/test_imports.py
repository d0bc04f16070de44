"""Spreadsheet imports: CSV (UTF-8, GBK) and XLSX, Chinese headers, updates not duplicates,
and any bad row refuses the whole file with its row and column named."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.spreadsheets import read_sheet
from handlers.imports import (
    MAX_ERRORS,
    ImportRejectedError,
    ImportSummary,
    import_bills,
    import_staff,
    import_units,
    values,
)
from handlers.imports.sheet import CellError
from storage.models import Bill, Building, Community, Company, Home, HomeMember, Owner, Staff
from tests.chat import FakeClock
from tests.factories import World

UNITS_HEADER = ["小区名称", "楼栋", "单元", "房号", "建筑面积（㎡）", "业主姓名", "手机号", "产权年限", "物业服务企业"]
BILLS_HEADER = ["小区", "楼号", "单元", "房号", "收费项目", "账期", "金额", "截止日期", "是否已缴"]
STAFF_HEADER = ["物业公司", "姓名", "手机", "岗位", "维修类别", "负责楼栋"]
MODELS = (Company, Community, Building, Home, Owner, HomeMember, Bill, Staff)


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as out:
        csv.writer(out).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def counts(uow_factory: Callable) -> dict[str, int]:
    with uow_factory() as uow:
        return {m.__name__: uow.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def run(uow_factory: Callable, importer: Callable, path: Path, now: datetime) -> ImportSummary:
    with uow_factory() as uow:
        summary = importer(uow, read_sheet(path), now)
        uow.commit()
    return summary


def rejected(uow_factory: Callable, importer: Callable, path: Path, now: datetime) -> list[str]:
    """The error lines of a refused import, checking that nothing at all was written."""
    before = counts(uow_factory)
    with uow_factory() as uow, pytest.raises(ImportRejectedError) as caught:
        importer(uow, read_sheet(path), now)
    assert counts(uow_factory) == before
    return caught.value.lines()


UNITS = [
    UNITS_HEADER,
    ["望京花园", "3号楼", "2单元", "501", "89.5", "王建国", "138 1234 5678", "70", "京华物业服务有限公司"],
    ["望京花园", "3", "2", "502", "120", "李秀英", "13900001111", "", "京华物业服务有限公司"],
    ["望京花园", "12栋", "", "1102", "66", "王建国", "13812345678", "", ""],
    ["朝阳新城", "1", "1", "101", "70", "赵丽", "+86 13600002222", "50", "京华物业服务有限公司"],
]


def test_units_create_company_community_buildings_homes_owners(uow_factory, clock: FakeClock, tmp_path: Path) -> None:
    summary = run(uow_factory, import_units, write_csv(tmp_path / "u.csv", UNITS), clock())
    assert counts(uow_factory) | {"Bill": 0, "Staff": 0} == {
        "Company": 1, "Community": 2, "Building": 3, "Home": 4, "Owner": 3, "HomeMember": 4,
        "Bill": 0, "Staff": 0,
    }
    assert summary.counts["home"].created == 4
    with uow_factory() as uow:
        s = uow.session
        home = s.scalars(select(Home).join(Building).where(Building.name == "3", Home.room == "501")).one()
        assert (home.unit, home.area_m2, home.property_years) == ("2", Decimal("89.50"), 70)
        assert s.scalars(select(Home).where(Home.room == "101")).one().property_years == 50
        wang = s.scalars(select(Owner).where(Owner.phone == "13812345678")).one()
        assert {m.home.label for m in wang.memberships} == {"3-2-501", "12-1102"}
        assert s.scalars(select(Building).where(Building.name == "12")).one().floors == 11
        assert {c.company.name for c in s.scalars(select(Community))} == {"京华物业服务有限公司"}


def test_reimport_updates_and_never_duplicates(uow_factory, clock: FakeClock, tmp_path: Path) -> None:
    run(uow_factory, import_units, write_csv(tmp_path / "u.csv", UNITS), clock())
    before = counts(uow_factory)
    changed = [row[:] for row in UNITS]
    changed[1][4], changed[2][5] = "90.25", "李秀兰"  # a corrected area, a corrected name
    summary = run(uow_factory, import_units, write_csv(tmp_path / "u2.csv", changed), clock())
    assert counts(uow_factory) == before
    assert (summary.counts["home"].updated, summary.counts["home"].unchanged) == (1, 3)
    assert summary.counts["owner"].updated == 1
    with uow_factory() as uow:
        assert uow.session.scalars(select(Home).where(Home.room == "501")).one().area_m2 == Decimal("90.25")
        assert uow.session.scalars(select(Owner).where(Owner.phone == "13900001111")).one().name == "李秀兰"


def test_xlsx_with_typed_cells(uow_factory, clock: FakeClock, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["小区", "楼号", "单元", "室", "面积", "业主", "电话", "产权年限", "产权起始日期"],
        ["望京花园", 3, 2, 501, 89.5, "王建国", 13812345678, 70, datetime(2005, 6, 1)],
        ["望京花园", 12, None, 1102, 66, "王建国", 13812345678, None, None],
        [None, None, None, None, None, None, None, None, None],  # a blank line is skipped
    ]
    run(uow_factory, import_units, write_xlsx(tmp_path / "u.xlsx", rows), clock())
    with uow_factory() as uow:
        home = uow.session.scalars(select(Home).where(Home.room == "501")).one()
        assert (home.label, home.area_m2, home.property_start) == ("3-2-501", Decimal("89.50"), date(2005, 6, 1))
        assert uow.session.scalars(select(Home).where(Home.room == "1102")).one().label == "12-1102"


def test_english_headers_and_extra_columns(uow_factory, clock: FakeClock, tmp_path: Path) -> None:
    rows = [
        ["community", "building", "unit", "room", "area_m2", "owner_name", "owner_phone", "备注"],
        ["Park View", "A", "", "1201", "120.5", "John Smith", "13700001234", "corner flat"],
    ]
    summary = run(uow_factory, import_units, write_csv(tmp_path / "en.csv", rows), clock())
    assert summary.counts["home"].created == 1
    with uow_factory() as uow:
        assert uow.session.scalars(select(Home)).one().label == "A-1201"


def test_gbk_encoded_csv(uow_factory, clock: FakeClock, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", UNITS, encoding="gbk")
    assert read_sheet(path).header[0] == "小区名称"
    run(uow_factory, import_units, path, clock())
    assert counts(uow_factory)["Home"] == 4


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({4: "八十"}, "第3行 “建筑面积（㎡）” 列：不是数字 “八十”"),
        ({6: "1381234567"}, "第3行 “手机号” 列：不是有效的手机号（11位）或带区号的座机号 “138***4567”"),
        ({0: ""}, "第3行 “小区名称” 列：不能为空"),
        ({3: "501"}, "第3行 “房号” 列：与第2行重复"),
        ({7: "七十"}, "第3行 “产权年限” 列：不是整数 “七十”"),
    ],
    ids=["area-not-a-number", "bad-phone-masked", "empty-required-cell", "duplicate-row", "bad-years"],
)
def test_a_bad_unit_row_refuses_the_whole_file(
    uow_factory, world: World, clock: FakeClock, tmp_path: Path, cells: dict[int, str], expected: str,
) -> None:
    good = ["望京花园", "5", "1", "101", "80", "孙立", "17000000001", "70", ""]
    bad = ["望京花园", "5", "1", "201", "80", "孙立", "17000000001", "70", ""]
    if 3 in cells:  # the duplicate: the very same home and owner again
        bad = good[:]
    for position, value in cells.items():
        if position != 3:
            bad[position] = value
    lines = rejected(uow_factory, import_units, write_csv(tmp_path / "bad.csv", [UNITS_HEADER, good, bad]), clock())
    assert lines == [expected]


def test_missing_column_is_a_row_one_error(uow_factory, clock: FakeClock, tmp_path: Path) -> None:
    rows = [[c for c in row[:4] + row[5:]] for row in UNITS]  # no area column
    lines = rejected(uow_factory, import_units, write_csv(tmp_path / "m.csv", rows), clock())
    assert lines == ["第1行：缺少“面积”列"]


def test_errors_are_capped_and_no_phone_is_shown_whole(uow_factory, clock: FakeClock, tmp_path: Path) -> None:
    rows = [UNITS_HEADER] + [["望京花园", "5", "1", f"{n}01", "80", "某", f"1380000{n:04d}1", "", ""]
                             for n in range(1, 31)]
    lines = rejected(uow_factory, import_units, write_csv(tmp_path / "many.csv", rows), clock())
    assert len(lines) == MAX_ERRORS + 1 and lines[-1].startswith("……还有更多错误")
    assert lines[0].startswith("第2行 “手机号” 列") and "138*****0011" in lines[0]


BILLS = [
    BILLS_HEADER,
    ["望京花园", "3", "2", "501", "物业费", "2026-10", "268.50", "2026-10-31", "否"],
    ["望京花园", "3号楼", "2单元", "501室", "管理费", "2026/11", "268.5", "2026/11/30", ""],
    ["望京花园", "3", "2", "501", "水费", "2026年10月", "45.2", "2026年11月15日", "已缴"],
    ["望京花园", "12", "", "1102", "取暖费", "2025", "1980", "2025-11-15", "是"],
    ["望京花园", "3", "2", "502", "parking", "2026-11", "1,234.50", "2026-11-30", "0"],
]


def test_bills_accept_names_codes_and_date_formats(uow_factory, world: World, clock: FakeClock, tmp_path: Path) -> None:
    before = counts(uow_factory)["Bill"]
    summary = run(uow_factory, import_bills, write_csv(tmp_path / "b.csv", BILLS), clock())
    # The test world already has 3-2-501's property fees (the same) and October water (now paid).
    bill = summary.counts["bill"]
    assert (bill.created, bill.updated, bill.unchanged) == (2, 1, 2)
    assert counts(uow_factory)["Bill"] == before + 2
    with uow_factory() as uow:
        bills = {(b.home.label, b.item, b.period): (b.amount, b.due_date, b.status, b.paid_at)
                 for b in uow.session.scalars(select(Bill))}
    assert bills[("3-2-501", "water", "2026-10")] == (Decimal("45.20"), date(2026, 11, 15), "paid", clock())
    assert bills[("12-1102", "heating", "2025")][2] == "paid"
    assert bills[("3-2-502", "parking", "2026-11")][0] == Decimal("1234.50")


def test_bill_reimport_updates_amount_but_never_unpays(uow_factory, world: World, clock: FakeClock, tmp_path: Path) -> None:
    rows = [
        BILLS_HEADER,
        ["望京花园", "3", "2", "501", "物业费", "2026-11", "300.00", "2026-11-30", "否"],
        # Paid online in the system (the test world); an old export says unpaid and another amount.
        ["望京花园", "3", "2", "501", "物业费", "2026-09", "1.00", "2026-09-30", "否"],
    ]
    before = counts(uow_factory)["Bill"]
    summary = run(uow_factory, import_bills, write_csv(tmp_path / "b.csv", rows), clock())
    assert (summary.counts["bill"].updated, summary.counts["bill"].kept) == (1, 1)
    assert counts(uow_factory)["Bill"] == before
    with uow_factory() as uow:
        bills = {b.period: (b.status, b.amount) for b in uow.session.scalars(
            select(Bill).where(Bill.home_id == world.home_ids["3-2-501"], Bill.item == "property_fee"))}
    assert bills["2026-11"] == ("unpaid", Decimal("300.00"))
    assert bills["2026-09"] == ("paid", Decimal("268.50"))


def test_bills_from_xlsx_with_date_cells(uow_factory, world: World, clock: FakeClock, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        BILLS_HEADER,
        ["望京花园", 3, 2, 502, "电费", datetime(2026, 10, 1), 123.4, datetime(2026, 11, 15), 1],
        ["望京花园", 12, None, 1102, "燃气费", 2026, 80, 46341, "no"],  # 46341 = Excel serial date
    ]
    run(uow_factory, import_bills, write_xlsx(tmp_path / "b.xlsx", rows), clock())
    with uow_factory() as uow:
        found = {(b.item, b.period): (b.amount, b.due_date, b.status) for b in uow.session.scalars(
            select(Bill).where(Bill.item.in_(["electricity", "gas"])))}
    assert found[("electricity", "2026-10")] == (Decimal("123.40"), date(2026, 11, 15), "paid")
    assert found[("gas", "2026")] == (Decimal("80.00"), date(2026, 11, 15), "unpaid")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({4: "宽带费"}, "第3行 “收费项目” 列：不认识的收费项目 “宽带费”，可用：物业费、水费、电费、燃气费、暖气费、停车费"),
        ({5: "2026-13"}, "第3行 “账期” 列：账期格式不对 “2026-13”，应写成 2026-10、2026年10月 或 2026"),
        ({6: "-1"}, "第3行 “金额” 列：金额不能为负数 “-1”"),
        ({6: "12.345"}, "第3行 “金额” 列：最多两位小数 “12.345”"),
        ({6: "NaN"}, "第3行 “金额” 列：不是数字 “NaN”"),
        ({7: "2026-02-30"}, "第3行 “截止日期” 列：日期格式不对 “2026-02-30”，应写成 2026-10-31 或 2026/10/31"),
        ({8: "也许"}, "第3行 “是否已缴” 列：应填 是/否（或 已缴/未缴、1/0） “也许”"),
        ({3: "509"}, "第3行 “房号” 列：在望京花园找不到房屋 3-2-509，请先导入房屋"),
        ({0: "不存在小区"}, "第3行 “小区” 列：找不到小区 “不存在小区”，请先导入房屋"),
        ({5: "2026-08"}, "第3行 “账期” 列：与第2行重复"),
    ],
    ids=["unknown-item", "bad-period", "negative", "three-decimals", "nan", "bad-date", "bad-paid",
         "unknown-home", "unknown-community", "duplicate-row"],
)
def test_a_bad_bill_row_refuses_the_whole_file(
    uow_factory, world: World, clock: FakeClock, tmp_path: Path, changes: dict[int, str], expected: str,
) -> None:
    good = ["望京花园", "3", "2", "501", "水费", "2026-08", "30", "2026-09-15", ""]
    bad = ["望京花园", "3", "2", "501", "水费", "2026-07", "30", "2026-08-15", ""]
    for position, value in changes.items():
        bad[position] = value
    path = write_csv(tmp_path / "bad.csv", [BILLS_HEADER, good, bad])
    assert rejected(uow_factory, import_bills, path, clock()) == [expected]


def test_staff_roles_categories_and_buildings(uow_factory, world: World, clock: FakeClock, tmp_path: Path) -> None:
    rows = [
        STAFF_HEADER,
        ["京华物业服务有限公司", "张建军", "13700000001", "维修", "水电、电梯", ""],
        ["京华物业服务有限公司", "周桂芳", "17100000005", "保洁", "", "3号楼, 望京花园/12"],
        ["京华物业服务有限公司", "前台小陈", "010-6400 1234", "客服", "", ""],
    ]
    summary = run(uow_factory, import_staff, write_csv(tmp_path / "s.csv", rows), clock())
    assert (summary.counts["staff"].created, summary.counts["staff"].updated) == (2, 1)
    with uow_factory() as uow:
        staff = {s.phone: (s.name, s.role, s.categories, s.buildings) for s in uow.session.scalars(select(Staff))}
    assert staff["13700000001"] == ("张建军", "repair", "electrical,elevator,plumbing", "")
    assert staff["17100000005"] == ("周桂芳", "cleaning", "", "望京花园/3,望京花园/12")
    assert staff["010-64001234"][1] == "front_desk"
    again = run(uow_factory, import_staff, write_csv(tmp_path / "s.csv", rows), clock())
    assert again.counts["staff"].unchanged == 3


def test_bad_staff_rows(uow_factory, world: World, clock: FakeClock, tmp_path: Path) -> None:
    rows = [
        STAFF_HEADER,
        ["京华物业服务有限公司", "王五", "13700000009", "厨师", "", ""],
        ["京华物业服务有限公司", "赵六", "13700000010", "维修", "飞行", ""],
        ["京华物业服务有限公司", "钱七", "13700000011", "保安", "", "99号楼"],
    ]
    assert rejected(uow_factory, import_staff, write_csv(tmp_path / "s.csv", rows), clock()) == [
        "第2行 “岗位” 列：不认识的岗位 “厨师”，可用：经理、维修、保洁、保安、财务、前台",
        "第3行 “维修类别” 列：不认识的维修类别 “飞行”，可用：水电、水、电、电梯、门禁、燃气、暖气、土建、公共设施、消防、其他",
        "第4行 “负责楼栋” 列：找不到楼栋 “99号楼”（可写成 小区名/楼号）",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-10", "2026-10"), ("2026/10", "2026-10"), ("2026年10月", "2026-10"), ("2026.1", "2026-01"),
     ("2026", "2026"), ("2026年", "2026"), (2026, "2026"), (datetime(2026, 3, 1), "2026-03")],
    ids=str,
)
def test_period_formats(raw: object, expected: str) -> None:
    assert values.period(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("13812345678", "13812345678"), ("138-1234-5678", "13812345678"), ("+8613812345678", "13812345678"),
     (13812345678, "13812345678"), ("010-64001234", "010-64001234"), ("01064001234", "010-64001234"),
     ("0571 8888 1234", "0571-88881234")],
    ids=str,
)
def test_phone_formats(raw: object, expected: str) -> None:
    assert values.phone(raw) == expected


@pytest.mark.parametrize("raw", ["1381234567", "23812345678", "64001234", "电话", "138123456789"], ids=str)
def test_bad_phones(raw: str) -> None:
    with pytest.raises(CellError):
        values.phone(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("268.5", Decimal("268.50")), ("¥1,234.50元", Decimal("1234.50")), (268.5, Decimal("268.50")),
     (0.1 + 0.2, None), ("inf", None), ("1e3", Decimal("1000.00")), ("12.300", Decimal("12.30")),
     ("10000000000", None), ("true", None)],
    ids=str,
)
def test_amounts(raw: object, expected: Decimal | None) -> None:
    if expected is None:
        with pytest.raises(CellError):
            values.amount(raw)
    else:
        assert values.amount(raw) == expected
