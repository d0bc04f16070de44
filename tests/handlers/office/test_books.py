"""Open books: expenses recorded and imported, the owner's chat summary adds up to the report."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.finance_report import write
from handlers.deps import Deps
from handlers.errors import Forbidden, Invalid
from handlers.imports import IMPORTERS, ImportRejectedError, Sheet
from handlers.office.books import ExpenseRequest, community_month, record_expense
from handlers.office.fund import FundApprovalRequest, approve_fund_expenditure, publish_month
from handlers.office.ops_access import OPERATOR, CompanyScope, Operator
from storage.models import AuditLog, Bill, MaintenanceFundEntry, Notice, OutboxMessage
from storage.models.operations import Expense
from tests.chat import Chat, FakeClock
from tests.factories import World, add_other_company
from tests.handlers.office.conftest import SH, at

NOVEMBER = [
    ExpenseRequest("望京花园", "保洁", "12000.00", "2026-11-05", "洁美保洁公司", "11月保洁外包"),
    ExpenseRequest("望京花园", "电梯", "3500.50", "2026-11-10", "奥的斯", "电梯月度维保"),
    ExpenseRequest("望京花园", "cleaning", "800", "2026-11-20", "五金店", "清洁用品"),
    ExpenseRequest("望京花园", "绿化", "999.99", "2026-12-01", "园林公司"),  # December: not in November
]


@pytest.fixture
def books(deps: Deps, world: World, clock: FakeClock) -> None:
    """November: two property-fee bills settled, one water bill; the expenses above."""
    clock.now = at("2026-12-02T10:00")
    with deps.uow() as uow:
        for bill in uow.session.scalars(select(Bill).where(Bill.period == "2026-11")):
            bill.status, bill.paid_at = "paid", at("2026-11-15T09:00")  # 268.50 + 360.00
        water = uow.session.scalars(select(Bill).where(Bill.item == "water")).one()
        water.status, water.paid_at = "paid", at("2026-11-30T23:30")  # 45.20, still November locally
        for request in NOVEMBER:
            record_expense(uow, OPERATOR, request, clock.now)
        uow.commit()


def test_the_owners_summary_adds_up_to_the_report(deps: Deps, books: None, owner_chat: Chat,
                                                  tmp_path: Path) -> None:
    reply = owner_chat.text(owner_chat.say("物业费都花哪了"))
    assert "望京花园 2026-11 收支公开" in reply
    assert "收入合计 673.70元" in reply and "物业费 628.50元" in reply and "水费 45.20元" in reply
    assert "支出合计 16,300.50元" in reply and "保洁 12,800.00元" in reply and "电梯 3,500.50元" in reply
    assert "本月结余 -15,626.80元" in reply and "绿化" not in reply
    with deps.uow() as uow:
        summary = community_month(uow, OPERATOR, "望京花园", "2026-11", SH)
        write(summary, tmp_path / "nov.xlsx")
        write(summary, tmp_path / "nov.pdf")
    sheet = load_workbook(tmp_path / "nov.xlsx")["汇总"]
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert cells["收入合计"] == pytest.approx(673.70) and cells["支出合计"] == pytest.approx(16300.50)
    assert cells["物业费"] == pytest.approx(628.50) and cells["保洁"] == pytest.approx(12800.00)
    assert cells["本月结余"] == pytest.approx(-15626.80)
    detail = list(load_workbook(tmp_path / "nov.xlsx")["支出明细"].iter_rows(values_only=True))
    assert len(detail) == 4 and detail[1][2] == "洁美保洁公司"
    assert (tmp_path / "nov.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("text", ["上个月物业费收支", "物业费都用在哪了", "11月份物业费开支"])
def test_owners_ask_in_their_words(deps: Deps, books: None, owner_chat: Chat, text: str) -> None:
    assert "2026-11 收支公开" in owner_chat.text(owner_chat.say(text))


def test_a_category_in_detail(deps: Deps, books: None, owner_chat: Chat) -> None:
    reply = owner_chat.text(owner_chat.say("上个月保洁支出明细"))
    assert "保洁支出明细（合计 12,800.00元）" in reply
    assert "2026-11-05 洁美保洁公司 12,000.00元（11月保洁外包）" in reply and "五金店" in reply
    assert "没有登记消防支出" in owner_chat.text(owner_chat.say("上个月消防支出多少"))


def test_the_fund_question_still_gets_the_fund(deps: Deps, books: None, owner_chat: Chat) -> None:
    assert "收支公开" not in owner_chat.text(owner_chat.say("维修基金都花哪了"))


def test_unbound_and_empty_months(deps: Deps, world: World, chat: Chat, owner_chat: Chat, clock: FakeClock) -> None:
    assert "绑定" in chat.text(chat.say("物业费都花哪了"))
    clock.now = at("2026-12-02T10:00")
    assert "还没有登记收支" in owner_chat.text(owner_chat.say("物业费都花哪了"))


def test_expense_validation_and_scope(deps: Deps, world: World) -> None:
    bad = [
        (ExpenseRequest("望京花园", "吃饭", "10", "2026-11-01"), "books_bad_category"),
        (ExpenseRequest("望京花园", "保洁", "-1", "2026-11-01"), "books_bad_amount"),
        (ExpenseRequest("望京花园", "保洁", "1.234", "2026-11-01"), "books_bad_amount"),
        (ExpenseRequest("望京花园", "保洁", "abc", "2026-11-01"), "books_bad_amount"),
        (ExpenseRequest("望京花园", "保洁", "10", "2026/11/01"), "books_bad_date"),
    ]
    for request, key in bad:
        with deps.uow() as uow, pytest.raises(Invalid) as err:
            record_expense(uow, OPERATOR, request, at("2026-12-01T10:00"))
        assert err.value.text_key == key
    with deps.uow() as uow:
        other = add_other_company(uow)
        uow.commit()
    stranger = Operator("console:5", "finance", CompanyScope(other["company_id"]))
    with deps.uow() as uow, pytest.raises(Invalid):  # another company's community: as if unknown
        record_expense(uow, stranger, NOVEMBER[0], at("2026-12-01T10:00"))
    cleaner = Operator("console:6", "cleaning", CompanyScope(world.company_id))
    with deps.uow() as uow, pytest.raises(Forbidden):
        record_expense(uow, cleaner, NOVEMBER[0], at("2026-12-01T10:00"))
    finance = Operator("console:7", "finance", CompanyScope(world.company_id))
    with deps.uow() as uow:
        expense = record_expense(uow, finance, NOVEMBER[0], at("2026-12-01T10:00"))
        assert expense.amount == Decimal("12000.00") and expense.recorded_by == "console:7"
        assert uow.session.query(AuditLog).filter_by(action="expense_recorded").count() == 1


def sheet(*rows: list[object]) -> Sheet:
    return Sheet(list(map(str, rows[0])), [(n, list(r)) for n, r in enumerate(rows[1:], start=2)])


def test_expense_import_is_all_or_nothing(deps: Deps, world: World) -> None:
    bad = sheet(["小区", "类别", "金额", "日期", "收款方"],
                ["望京花园", "保洁", "100", "2026-11-01", "A"],
                ["望京花园", "吃饭", "100", "2026-11-02", "B"],
                ["朝阳新城", "保洁", "0", "2026-13-01", "C"])
    with deps.uow() as uow, pytest.raises(ImportRejectedError) as err:
        IMPORTERS["expenses"](uow, bad, at("2026-12-01T10:00"))
    lines = err.value.lines()
    assert lines[0].startswith("第3行") and "吃饭" in lines[0]
    assert any(line.startswith("第4行") for line in lines)
    with deps.uow() as uow:
        assert uow.session.query(Expense).count() == 0
        good = sheet(["小区", "支出类别", "金额", "支出日期", "收款方", "备注"],
                     ["望京花园", "保洁", "1,200.00元", "2026/11/01", "洁美", ""],
                     ["望京花园", "电梯", 350.5, date(2026, 11, 3), "奥的斯", "维保"])
        summary = IMPORTERS["expenses"](uow, good, at("2026-12-01T10:00"), source="nov.xlsx")
        uow.commit()
        assert summary.count("expense").created == 2
        amounts = sorted(e.amount for e in uow.session.query(Expense))
        assert amounts == [Decimal("350.50"), Decimal("1200.00")]


def test_fund_statement_import_is_not_computed_and_repeats_safely(deps: Deps, world: World) -> None:
    statement = sheet(["小区", "交易日期", "类型", "金额", "摘要"],
                      ["望京花园", "2026-11-03", "利息", "1234.56", "第三季度结息"],
                      ["望京花园", "2026-11-20", "支出", "80000", "3号楼屋面防水"])
    with deps.uow() as uow:
        before = uow.session.query(MaintenanceFundEntry).count()
        first = IMPORTERS["fund"](uow, statement, at("2026-12-01T10:00"))
        again = IMPORTERS["fund"](uow, statement, at("2026-12-01T10:00"))
        uow.commit()
        assert first.count("fund_entry").created == 2 and again.count("fund_entry").unchanged == 2
        assert uow.session.query(MaintenanceFundEntry).count() == before + 2


def test_an_approved_fund_expenditure_tells_the_owners(deps: Deps, world: World, owner_chat: Chat) -> None:
    short = FundApprovalRequest("望京花园", "3号楼屋面防水", "80000", "2026-11-18", 40, 100, "4000", "10000")
    with deps.uow() as uow, pytest.raises(Invalid) as err:
        approve_fund_expenditure(uow, OPERATOR, short, at("2026-11-20T10:00"), SH)
    assert err.value.text_key == "fund_vote_short"
    vote = FundApprovalRequest("望京花园", "3号楼屋面防水", "80000", "2026-11-18", 70, 100, "7500.5", "10000",
                               ("media/vote-sheet.pdf", "media/quote.pdf"))
    with deps.uow() as uow:
        approval, published = approve_fund_expenditure(uow, OPERATOR, vote, at("2026-11-20T10:00"), SH)
        uow.commit()
        assert json.loads(approval.documents) == ["media/vote-sheet.pdf", "media/quote.pdf"]
        notice = uow.session.get(Notice, published.notice_id)
        assert "70/100" in notice.body and "80,000.00元" in notice.body
        pushed = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "notice")).all()
        assert len(pushed) == published.queued >= 1


def test_the_month_published_as_a_notice(deps: Deps, books: None, owner_chat: Chat) -> None:
    with deps.uow() as uow:
        published = publish_month(uow, OPERATOR, "望京花园", "2026-11", at("2026-12-02T10:00"), SH)
        uow.commit()
        notice = uow.session.get(Notice, published.notice_id)
        assert notice.title == "望京花园 2026-11 物业费收支公示"
        assert "支出合计 16,300.50元" in notice.body
