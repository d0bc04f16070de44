"""Reconciliation against the fake's trade bill with injected mismatches, the XLSX report,
and the operators' CLI (company set, refund create/list, report payments)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handlers.jobs_payments import payment_reconciliation
from handlers.payment_gateway import GatewayError
from storage.models import AuditLog, Bill, OutboxMessage, ReconciliationItem, Refund
from tests.bot.payments.conftest import PaySite
from tests.bot.payments.test_wechatpay_refunds import paid_order, refund
from tests.factories import bind_identity


async def _placed(site: PaySite, home: str) -> str:
    payment = site.new_order(home=home)
    page = await site.client.get("/pay/" + site.provider.link(payment.reference).split("/pay/")[1])
    assert page.status == 200
    return payment.reference


def _add_bill(site: PaySite, home: str, amount: str) -> None:
    with site.app.deps.uow() as uow:
        uow.session.add(Bill(home_id=site.world.home_ids[home], item="parking", period="2026-11",
                             amount=Decimal(amount), due_date=date(2026, 11, 30)))
        uow.commit()


async def test_reconciliation_settles_flags_and_reports_injected_mismatches(paysite: PaySite) -> None:
    site = paysite
    with site.app.deps.uow() as uow:
        bind_identity(uow, "wecom", "qian-kuaiji", site.clock(), staff_id=site.world.staff_ids["finance"])
        uow.commit()
    matched = await paid_order(site)  # 3-2-501, notified: matches the bill
    refunded = refund(site, matched.reference, "45.20", "水费多收", bills=[])
    site.fake.finish_refund(refunded.out_refund_no, "SUCCESS")
    headers, body = site.fake.notification(site.fake.refund_resource(refunded.out_refund_no), "REFUND.SUCCESS")
    assert (await site.notify(headers, body)).status == 204
    missed = await _placed(site, "3-2-502")  # paid at WeChat, notification lost, no sync yet
    site.fake.pay(missed)
    _add_bill(site, "12-1102", "150.00")
    hidden = await paid_order(site, home="12-1102")  # settled here, missing from WeChat's bill
    site.fake.hide_from_bill.add(hidden.reference)
    day_time = site.clock()
    site.fake.extra_bill_lines.append(site.fake.bill_line("COUNTER0001", "99.00", day_time))
    site.clock.advance(days=1)
    site.clock.now = site.clock.now.replace(hour=10, minute=30)
    report = payment_reconciliation(site.app.deps, site.clock())
    assert report.changed == 3, report.details
    items = {i.kind: i for i in site.rows(ReconciliationItem)}
    assert set(items) == {"settled_flagged", "only_there", "only_here"}
    assert items["settled_flagged"].reference == missed
    assert site.payment(missed).status == "succeeded"  # settled from the bill, receipt pushed
    assert items["only_there"].reference == "COUNTER0001" and items["only_there"].amount_there == Decimal("99.00")
    assert items["only_here"].reference == hidden.reference and items["only_here"].amount_here == Decimal("150.00")
    assert all(i.day == date(2026, 11, 27) for i in items.values())
    told = site.rows(OutboxMessage, OutboxMessage.dedupe_key.like("recon:%"))
    assert len(told) == 1 and "3 项不符" in told[0].payload
    # Running the day again replaces its rows and tells nobody twice.
    assert payment_reconciliation(site.app.deps, site.clock()).changed == 2  # the missed one now matches
    assert {i.kind for i in site.rows(ReconciliationItem)} == {"only_there", "only_here"}
    assert len(site.rows(AuditLog, AuditLog.action == "reconciliation_run")) == 2


async def test_amount_and_refund_mismatches_are_flagged_only(paysite: PaySite) -> None:
    site = paysite
    paid = await paid_order(site)
    when = site.clock()
    site.fake.hide_from_bill.add(paid.reference)
    site.fake.extra_bill_lines.append(site.fake.bill_line(paid.reference, "500.00", when))
    ghost = site.fake.bill_line("WYGHOST", "10.00", when)
    ghost[9], ghost[14], ghost[15], ghost[16], ghost[19] = "REFUND", "50300GHOST", "RFGHOST", "10.00", "SUCCESS"
    site.fake.extra_bill_lines.append(ghost)
    site.clock.advance(days=1)
    payment_reconciliation(site.app.deps, site.clock())
    kinds = sorted(i.kind for i in site.rows(ReconciliationItem))
    assert kinds == ["amount_mismatch", "refund_only_there"]
    assert site.payment(paid.reference).amount == Decimal("582.20")  # flag only: nothing changed


async def test_a_bill_that_fails_its_digest_is_refused(paysite: PaySite) -> None:
    await paid_order(paysite)
    paysite.fake.corrupt_bill = True
    paysite.clock.advance(days=1)
    with pytest.raises(GatewayError) as err:
        payment_reconciliation(paysite.app.deps, paysite.clock())
    assert err.value.code == "DIGEST_MISMATCH"
    assert not paysite.rows(ReconciliationItem)


async def test_report_payments_writes_the_xlsx(paysite: PaySite, tmp_path: Path) -> None:
    from bot.commands.report_payments import write_xlsx
    from handlers.office.payments_report import payments_report

    paid = await paid_order(paysite)
    refund(paysite, paid.reference, "10.00", "多收")
    paysite.fake.extra_bill_lines.append(paysite.fake.bill_line("COUNTER0002", "88.00", paysite.clock()))
    paysite.clock.advance(days=1)
    payment_reconciliation(paysite.app.deps, paysite.clock())
    with paysite.app.deps.uow() as uow:
        report = payments_report(uow, date(2026, 11, 27), paysite.app.deps.settings.timezone)
    out = tmp_path / "payments.xlsx"
    write_xlsx(report, out)
    book = load_workbook(out)
    assert book.sheetnames == ["对账差异", "收款", "退款"]
    mismatch = list(book["对账差异"].iter_rows(min_row=3, values_only=True))
    assert mismatch == [("微信有收款、本地无订单", "COUNTER0002", mismatch[0][2], 88, None, None, "1900000109")]
    collected = list(book["收款"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[2]) for r in collected] == [(paid.reference, 582.2)]
    refunds = list(book["退款"].iter_rows(min_row=3, values_only=True))
    assert [(r[2], r[3], r[4]) for r in refunds] == [(10, "处理中", "多收")]


def test_cli_company_refund_and_report(make_paysite: object, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       clock: object) -> None:
    """The operators' commands through `python -m bot`, against the fake (real time: the CLI's clock)."""
    import asyncio
    from zoneinfo import ZoneInfo

    import yaml

    from bot.cli import main

    clock.now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(microsecond=0)  # type: ignore[attr-defined]
    loop = asyncio.new_event_loop()
    site: PaySite = loop.run_until_complete(make_paysite())  # type: ignore[operator]
    try:
        paid = loop.run_until_complete(paid_order(site))
    finally:
        loop.run_until_complete(site.client.close())
        loop.close()
    settings = site.app.settings
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({
        "database": {"url": settings.database.url}, "web": {"secret_file": str(tmp_path / "web_secret")},
        "wechat_pay": {k: (str(v) if isinstance(v, Path) else v) for k, v in
                       settings.wechat_pay.model_dump(mode="json").items()} | {
            "api_v3_key": settings.wechat_pay.api_v3_key.get_secret_value()},
    }, allow_unicode=True), encoding="utf-8")
    assert main(["--config", str(config), "company", "set", "京华物业服务有限公司",
                 "--wechat-pay-sub-mchid", "1900000201"]) == 0
    assert main(["--config", str(config), "company", "set", "没有这家公司",
                 "--wechat-pay-sub-mchid", "1900000202"]) == 1
    assert main(["--config", str(config), "refund", "create", paid.reference, "--amount", "20.00",
                 "--reason", "多收", "--staff", "13700000003"]) == 0
    assert main(["--config", str(config), "refund", "create", paid.reference, "--amount", "600.00",
                 "--reason", "太多", "--staff", "13700000003"]) == 1
    assert main(["--config", str(config), "refund", "create", paid.reference, "--all",
                 "--reason", "不是财务", "--staff", "13700000002"]) == 1
    [made] = site.rows(Refund)
    assert made.amount == Decimal("20.00") and made.status == "processing" and made.actor.startswith("staff:")
    capsys.readouterr()
    assert main(["--config", str(config), "pay-link", "--home", "望京花园/3-2-502"]) == 0
    printed = capsys.readouterr().out
    assert "360.00元" in printed and "/pay/WY" in printed and "?s=" in printed
    assert main(["--config", str(config), "pay-link", "--home", "望京花园/9-9-999"]) == 1
    out = tmp_path / "r.xlsx"
    today = site.clock().date().isoformat()
    assert main(["--config", str(config), "report", "payments", "--date", today, "--out", str(out)]) == 0
    assert load_workbook(out)["收款"].max_row == 3
