"""The demo checkout page over real HTTP on loopback: show, confirm, idempotency, access, escaping."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import App, build_app, upgrade_db
from bot.channels import web
from bot.config import Settings
from bot.http import HTTP_PLUGINS, build_web_app
from storage.models import AuditLog, Bill, Building, Community, OutboxMessage, Payment, Refund
from tests.chat import FakeClock
from tests.factories import World, bind_identity, build_world

PLUGINS = ("bot.channels.web_pay",)
LINK = re.compile(r"http://127\.0\.0\.1:8080(/pay/WY\w+)")


class ButtonsOnlyParser:
    """The NLU interface without understanding: these tests only press buttons."""

    def parse(self, text: str, now: datetime | None = None) -> dict:
        return {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.0}, "entities": []}


@dataclasses.dataclass(frozen=True)
class FakeProvider:
    """A real provider's shape (handlers.payments.PaymentProvider) with no network."""

    name: str = "fakepay"

    def create_checkout(self, reference: str, amount: Decimal, description: str) -> str:
        return f"https://pay.example/{reference}"


@dataclasses.dataclass
class Site:
    client: TestClient
    app: App
    world: World
    clock: FakeClock


@pytest.fixture
def make_site(tmp_path: Path, clock: FakeClock) -> Iterator[Any]:
    made: list[Site] = []

    async def factory(provider: object | None = None, **web_options: Any) -> Site:
        settings = Settings(
            database={"url": f"sqlite:///{tmp_path / 'pay.sqlite3'}"},
            media={"dir": tmp_path / "media"},
            web={"secret_file": tmp_path / "web_secret", "demo_mode": True, **web_options},
        )
        upgrade_db(settings)
        app = build_app(settings, parser=ButtonsOnlyParser(), clock=clock)
        app.deps = dataclasses.replace(app.deps, payments=provider)
        with app.deps.uow() as uow:
            world = build_world(uow)
            now = clock()
            bind_identity(uow, "web", "u-wang", now, owner_id=world.owner_ids["13812345678"],
                          home_id=world.home_ids["3-2-501"])
            bind_identity(uow, "telegram", "555", now, owner_id=world.owner_ids["13812345678"],
                          home_id=world.home_ids["3-2-501"])
            bind_identity(uow, "web", "u-li", now, owner_id=world.owner_ids["13900001111"],
                          home_id=world.home_ids["3-2-502"])
            uow.commit()
        client = TestClient(TestServer(build_web_app(app, plugins=PLUGINS), host="127.0.0.1"))
        await client.start_server()
        site = Site(client, app, world, clock)
        made.append(site)
        return site

    yield factory
    for site in made:
        site.app.close()


@pytest.fixture
async def site(make_site: Any) -> AsyncIterator[Site]:
    made = await make_site()
    yield made
    await made.client.close()


def add_order(site: Site, reference: str = "WY261127100000A1B2", provider: str = "demo") -> Payment:
    """A pending order for every unpaid bill of 3-2-501 (268.50 + 268.50 + 45.20)."""
    home_id = site.world.home_ids["3-2-501"]
    with site.app.deps.uow() as uow:
        bills = uow.billing.unpaid_bills(home_id, None, None)
        payment = uow.billing.add_payment(Payment(
            reference=reference, home_id=home_id, amount=sum((b.amount for b in bills), Decimal(0)),
            bill_ids=",".join(str(b.id) for b in sorted(bills, key=lambda b: b.id)),
            provider=provider, status="pending", created_at=site.clock(),
        ))
        uow.commit()
        return payment


def rows(site: Site, model: type, *where: Any) -> list[Any]:
    with site.app.session_factory() as session:
        return list(session.scalars(select(model).where(*where)))


async def chat(site: Site, button: str) -> str:
    response = await site.client.post("/api/chat", json={"user": "u-wang", "text": "", "button": button})
    assert response.status == 200
    return "\n".join(r["text"] for r in (await response.json())["replies"])


async def test_the_link_the_chat_sends_opens_the_order(site: Site) -> None:
    await chat(site, "/pay_bill")
    text = await chat(site, '/pay_bill{"confirm": "1"}')
    path = LINK.search(text).group(1)  # type: ignore[union-attr]
    page = await site.client.get(path)
    html = await page.text()
    assert page.status == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in page.headers
    assert '<td class="num total" id="total">582.20元</td>' in html
    for shown in ("望京花园", "3-2-501", "物业费", "水费", "2026年10月", "2026年11月", "待支付",
                  path.rsplit("/", 1)[1], 'action="' + path + '/confirm"', "确认支付 582.20元"):
        assert shown in html
    assert "已支付" not in html


async def test_confirm_settles_the_bills_and_pushes_the_receipt_to_the_household(site: Site) -> None:
    order = add_order(site)
    response = await site.client.post(f"/pay/{order.reference}/confirm", data={"amount": "582.20"})
    html = await response.text()
    assert response.status == 200 and "已支付" in html and "支付成功" in html
    assert 'id="confirm"' not in html  # nothing left to confirm
    home_id = site.world.home_ids["3-2-501"]
    assert {b.status for b in rows(site, Bill, Bill.home_id == home_id)} == {"paid"}
    [payment] = rows(site, Payment, Payment.reference == order.reference)
    assert payment.status == "succeeded" and payment.paid_at == site.clock()
    pushes = rows(site, OutboxMessage, OutboxMessage.kind == "payment")
    assert sorted(p.channel for p in pushes) == ["telegram", "web"]  # 王's accounts, not 李's
    assert all(p.dedupe_key.startswith(f"payment:{order.reference}:") for p in pushes)
    text = json.loads(pushes[0].payload)["text"]
    assert "缴费成功" in text and order.reference in text and "582.20元" in text


async def test_confirming_twice_is_harmless(site: Site) -> None:
    order = add_order(site)
    first = await site.client.post(f"/pay/{order.reference}/confirm", data={"amount": "582.20"})
    site.clock.advance(minutes=5)
    again = await site.client.post(f"/pay/{order.reference}/confirm", data={"amount": "582.20"})
    assert first.status == again.status == 200 and "已支付" in await again.text()
    [payment] = rows(site, Payment, Payment.reference == order.reference)
    assert payment.paid_at == site.clock() - timedelta(minutes=5)  # the first settlement stands
    assert len(rows(site, OutboxMessage, OutboxMessage.kind == "payment")) == 2  # one per account
    assert rows(site, Refund) == []
    assert len(rows(site, AuditLog, AuditLog.action == "payment_settled")) == 1


async def test_a_paid_order_shows_paid_without_a_button(site: Site) -> None:
    order = add_order(site)
    await site.client.post(f"/pay/{order.reference}/confirm")  # no amount: the order's own
    page = await site.client.get(f"/pay/{order.reference}")
    html = await page.text()
    assert page.status == 200 and "已支付" in html and "支付时间" in html and "2026-11-27 10:00" in html
    assert 'id="confirm"' not in html and "待支付" not in html


@pytest.mark.parametrize("path", ["/pay/WY000000000000FFFF", "/pay/%3Cscript%3E", "/pay/a.b"])
async def test_an_unknown_reference_is_a_404_page(site: Site, path: str) -> None:
    page = await site.client.get(path)
    assert page.status == 404 and "订单不存在" in await page.text()
    confirm = await site.client.post(path + "/confirm")
    assert confirm.status == 404


async def test_a_wrong_amount_settles_nothing(site: Site) -> None:
    order = add_order(site)
    response = await site.client.post(f"/pay/{order.reference}/confirm", data={"amount": "1.00"})
    assert response.status == 409 and "无法完成支付" in await response.text()
    bad = await site.client.post(f"/pay/{order.reference}/confirm", data={"amount": "1e9"})
    assert bad.status == 400
    [payment] = rows(site, Payment, Payment.reference == order.reference)
    assert payment.status == "pending" and rows(site, OutboxMessage) == []


async def test_names_from_imports_are_escaped(site: Site) -> None:
    with site.app.session_factory() as session:
        building = session.scalars(select(Building).where(Building.name == "3")).one()
        building.name = '<script>alert("x")</script>'
        session.scalars(select(Community)).one().name = "望京<b>花园</b> & $content"
        session.commit()
    order = add_order(site)
    html = await (await site.client.get(f"/pay/{order.reference}")).text()
    assert "<script>alert" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;-2-501" in html
    assert "望京&lt;b&gt;花园&lt;/b&gt; &amp; $content" in html


async def test_the_page_uses_only_its_own_assets(site: Site) -> None:
    order = add_order(site)
    html = await (await site.client.get(f"/pay/{order.reference}")).text()
    assert "<script>" not in html and "style=" not in html  # the CSP allows neither inline
    for asset in ("/static/chat.css", "/static/pay.css", "/static/pay.js"):
        assert asset in html
        body = await (await site.client.get(asset)).text()
        assert "http://" not in body and "https://" not in body


async def test_with_a_real_provider_the_page_cannot_settle(make_site: Any) -> None:
    site = await make_site(provider=FakeProvider())
    try:
        order = add_order(site, provider="fakepay")
        html = await (await site.client.get(f"/pay/{order.reference}")).text()
        assert "待支付" in html and 'id="confirm"' not in html
        response = await site.client.post(f"/pay/{order.reference}/confirm")
        assert response.status == 403
        assert rows(site, Payment)[0].status == "pending"
    finally:
        await site.client.close()


async def test_outside_demo_mode_the_owners_token_is_needed(make_site: Any) -> None:
    site = await make_site(demo_mode=False)
    try:
        order = add_order(site)
        secret = web.load_secret(site.app.settings.web)
        expires = site.clock() + timedelta(days=1)
        path = f"/pay/{order.reference}"
        bare = await site.client.get(path)
        assert bare.status == 401 and 'data-state="auth"' in await bare.text()
        assert (await site.client.post(path + "/confirm")).status == 401
        stranger = {"user": "u-li", "token": web.make_token(secret, "u-li", expires)}
        assert (await site.client.get(path, params=stranger)).status == 404  # 李 is not of 3-2-501
        owner = {"user": "u-wang", "token": web.make_token(secret, "u-wang", expires)}
        page = await site.client.get(path, params=owner)
        html = await page.text()
        assert page.status == 200 and f'name="token" value="{owner["token"]}"' in html
        forged = {**owner, "token": web.make_token(b"other key", "u-wang", expires)}
        assert (await site.client.post(path + "/confirm", data=forged)).status == 401
        confirmed = await site.client.post(path + "/confirm", data={**owner, "amount": "582.20"})
        assert confirmed.status == 200 and rows(site, Payment)[0].status == "succeeded"
    finally:
        await site.client.close()


def test_the_server_mounts_the_page() -> None:
    assert PLUGINS[0] in HTTP_PLUGINS
