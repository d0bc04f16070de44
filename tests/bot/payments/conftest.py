"""A site with WeChat Pay on: the app (real client and HTTP routes) against the fake WeChat
Pay server, keys generated per test, on SQLite (or PostgreSQL for the concurrency tests)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import App, build_app, upgrade_db
from bot.config import Settings
from bot.http import build_web_app
from bot.payments.wechatpay.provider import WechatPayProvider
from storage.models import Base, Payment
from tests.chat import FakeClock
from tests.factories import World, bind_identity, build_world
from tests.fakes.wechatpay_server import FakeWechatPay, Keys, settings_for

PLUGINS = ("bot.channels.web_pay", "bot.payments.wechatpay.notify")
SUB_MCHID = "1900000201"


@dataclass
class PaySite:
    app: App
    world: World
    clock: FakeClock
    fake: FakeWechatPay
    client: TestClient

    @property
    def provider(self) -> WechatPayProvider:
        assert isinstance(self.app.deps.payments, WechatPayProvider)
        return self.app.deps.payments

    def rows(self, model: type, *where: Any) -> list[Any]:
        with self.app.session_factory() as session:
            return list(session.scalars(select(model).where(*where).order_by(model.id)))

    def payment(self, reference: str) -> Payment:
        found = self.rows(Payment, Payment.reference == reference)
        assert len(found) == 1
        return found[0]

    async def notify(self, headers: dict[str, str], body: bytes) -> ClientResponse:
        return await self.client.post("/pay/notify/wechat", data=body, headers=headers)

    def new_order(self, home: str = "3-2-501", openid: str = "") -> Payment:
        """An open order of every unpaid bill of `home`, made as the chat makes it."""
        from handlers.owners.pay_orders import ensure_order

        with self.app.deps.uow() as uow:
            home_row = uow.org.home(self.world.home_ids[home])
            assert home_row is not None
            bills = uow.billing.unpaid_bills(home_row.id)
            reference = "WY" + self.clock().strftime("%y%m%d%H%M%S") + f"{len(self.rows(Payment)):04X}"
            payment = ensure_order(uow, self.provider, home_row, bills, self.clock(), reference, openid)
            uow.commit()
            return payment


@pytest.fixture
def make_paysite(tmp_path: Path, clock: FakeClock) -> Iterator[Any]:
    stack = ExitStack()
    sites: list[PaySite] = []

    async def factory(*, sub_mch_mode: bool = False, database_url: str = "", parser: object = None,
                      identities: bool = True, **pay: Any) -> PaySite:
        keys = Keys()
        fake = FakeWechatPay(keys, clock, sub_mch_mode=sub_mch_mode).start()
        stack.callback(fake.stop)
        url = database_url or f"sqlite:///{tmp_path / 'pay.sqlite3'}"
        settings = Settings(
            database={"url": url}, media={"dir": tmp_path / "media"},
            web={"secret_file": tmp_path / "web_secret"},
            wechat_pay=settings_for(fake, keys.write(tmp_path / "keys"), sub_mch_mode=sub_mch_mode, **pay),
        )
        if database_url:
            app = build_app(settings, parser=parser, clock=clock)
            Base.metadata.create_all(app.engine)
        else:
            upgrade_db(settings)
            app = build_app(settings, parser=parser, clock=clock)
        stack.callback(app.close)
        with app.deps.uow() as uow:
            world = build_world(uow)
            if sub_mch_mode:
                company = uow.org.company(world.company_id)
                assert company is not None
                company.wechat_pay_sub_mchid = SUB_MCHID
            if identities:
                now = clock()
                wang, home = world.owner_ids["13812345678"], world.home_ids["3-2-501"]
                bind_identity(uow, "web", "u-wang", now, owner_id=wang, home_id=home)
                bind_identity(uow, "wechat", "o-wang-openid", now, owner_id=wang, home_id=home)
            uow.commit()
        client = TestClient(TestServer(build_web_app(app, plugins=PLUGINS), host="127.0.0.1"))
        await client.start_server()
        site = PaySite(app, world, clock, fake, client)
        sites.append(site)
        return site

    yield factory
    stack.close()


@pytest.fixture
async def paysite(make_paysite: Any) -> AsyncIterator[PaySite]:
    site = await make_paysite()
    yield site
    await site.client.close()


def replace_payments(app: App, provider: object) -> None:
    app.deps = dataclasses.replace(app.deps, payments=provider)


def yuan(text: str) -> Decimal:
    return Decimal(text)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
