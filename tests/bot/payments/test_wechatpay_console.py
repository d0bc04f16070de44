"""The console's payments page and API with WeChat Pay on (the fake): finance refunds,
other roles and other companies are refused, the report shows the day, all audited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App, build_app, upgrade_db
from bot.config import Settings
from bot.console.passwords import Argon2Hasher
from bot.http import build_web_app
from bot.payments.wechatpay.provider import WechatPayProvider
from handlers.jobs_payments import payment_reconciliation
from handlers.office.accounts import set_password
from handlers.owners.pay_orders import checkout, ensure_order
from storage.models import AuditLog, Payment, Refund
from tests.bot.console.conftest import PASSWORD, Office, login, seed_office
from tests.chat import FakeClock
from tests.factories import add_staff
from tests.fakes.wechatpay_server import FakeWechatPay, Keys, settings_for


@dataclass
class Site:
    app: App
    office: Office
    fake: FakeWechatPay
    client: TestClient
    reference: str


@pytest.fixture
async def site(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Site]:
    keys = Keys()
    fake = FakeWechatPay(keys, clock).start()
    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'c.sqlite3'}"}, web={"secret_file": tmp_path / "s"},
        wechat_pay=settings_for(fake, keys.write(tmp_path / "keys"), company="京华物业服务有限公司"),
    )
    upgrade_db(settings)
    app = build_app(settings, clock=clock)
    office = seed_office(app)
    provider = app.deps.payments
    assert isinstance(provider, WechatPayProvider)
    with app.deps.uow() as uow:
        add_staff(uow, office.company_b, "安居财务", "13500009999", "finance")
        set_password(uow, Argon2Hasher(), "13500009999", PASSWORD, clock())
        home = uow.org.home(office.world.home_ids["3-2-501"])
        payment = ensure_order(uow, provider, home, uow.billing.unpaid_bills(home.id), clock(), "WYCONSOLE0001")
        uow.commit()
        checkout(uow, provider, payment.reference, clock(), "NATIVE")
        uow.commit()
    fake.pay("WYCONSOLE0001")
    headers, body = fake.notification(fake.transaction("WYCONSOLE0001"))
    client = TestClient(TestServer(build_web_app(app, plugins=("bot.console", "bot.payments.wechatpay.notify")),
                                   host="127.0.0.1"))
    await client.start_server()
    assert (await client.post("/pay/notify/wechat", data=body, headers=headers)).status == 204
    yield Site(app, office, fake, client, "WYCONSOLE0001")
    await client.close()
    app.close()
    fake.stop()


async def post_refund(site: Site, phone: str, **body: object) -> tuple[int, dict]:
    csrf = await login(site.client, phone)
    response = await site.client.post("/console/api/payments/refunds", headers={"X-CSRF-Token": csrf},
                                      json={"reference": site.reference, "reason": "多收", **body})
    return response.status, await response.json()


async def test_finance_refunds_from_the_console(site: Site) -> None:
    status, refund = await post_refund(site, site.office.phones["a:finance"], amount="45.20")
    assert status == 200 and refund["status"] == "processing" and refund["amount"] == "45.20"
    assert refund["created_at"].endswith("+08:00")
    assert refund["out_refund_no"] in site.fake.refunds
    csrf = await login(site.client, site.office.phones["a:finance"])
    listing = await site.client.get("/console/api/payments/refunds", params={"reference": site.reference},
                                    headers={"X-CSRF-Token": csrf})
    data = await listing.json()
    assert data["refunded"] == "45.20" and [r["status"] for r in data["refunds"]] == ["processing"]
    with site.app.session_factory() as session:
        audit = [a for a in session.query(AuditLog).all() if a.action == "console.refund"]
        assert len(audit) == 1 and audit[0].actor.startswith("console:")
    status, again = await post_refund(site, site.office.phones["a:finance"], amount="600.00")
    assert status == 400 and again["error"] == "invalid"


async def test_other_roles_get_403_and_other_companies_404(site: Site) -> None:
    status, body = await post_refund(site, site.office.phones["a:manager"])
    assert status == 403 and body["error"] == "forbidden"
    status, body = await post_refund(site, "13500009999")  # company B's finance
    assert status == 404 and body["error"] == "not_found"
    csrf = await login(site.client, "13500009999")
    listing = await site.client.get("/console/api/payments/refunds", params={"reference": site.reference},
                                    headers={"X-CSRF-Token": csrf})
    assert listing.status == 404
    with site.app.session_factory() as session:
        assert not session.query(Refund).all()
        assert session.query(Payment).one().refunded == 0


async def test_report_api_and_page_show_the_day(site: Site, clock: FakeClock) -> None:
    site.fake.extra_bill_lines.append(site.fake.bill_line("COUNTER0009", "77.00", clock()))
    clock.advance(days=1)
    payment_reconciliation(site.app.deps, clock())
    csrf = await login(site.client, site.office.phones["a:manager"])
    response = await site.client.get("/console/api/payments/report", params={"date": "2026-11-27"},
                                     headers={"X-CSRF-Token": csrf})
    report = await response.json()
    assert response.status == 200 and report["collected"] == "582.20"
    assert [m["reference"] for m in report["mismatches"]] == ["COUNTER0009"]
    page = await site.client.get("/console/payments?date=2026-11-27")
    html = await page.text()
    assert page.status == 200 and "COUNTER0009" in html and "WYCONSOLE0001" in html
    assert "refund-form" not in html  # a manager sees the report, cannot refund
    await login(site.client, site.office.phones["a:finance"])
    assert "refund-form" in await (await site.client.get("/console/payments?date=2026-11-27")).text()
    await login(site.client, "13500009999")  # company B sees none of A's money
    other = await (await site.client.get("/console/payments?date=2026-11-27")).text()
    assert "WYCONSOLE0001" not in other and "COUNTER0009" not in other
    await login(site.client, site.office.phones["a:repair"])
    assert (await site.client.get("/console/payments")).status == 403
