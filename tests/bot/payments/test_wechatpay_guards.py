"""Guards around real money: whose merchant, who may open an order, secrets never shown,
configuration refused when incomplete, concurrent notifications on PostgreSQL, changed bills."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.config import ConfigError, Settings, load_settings
from handlers.errors import Invalid
from storage.models import AuditLog, Bill, Company, OutboxMessage, Payment
from tests.bot.payments.conftest import PaySite
from tests.chat import Chat
from tests.fakes.wechatpay_server import API_V3_KEY


async def test_direct_mode_never_takes_another_companys_fees(make_paysite: Any) -> None:
    site: PaySite = await make_paysite(company="京华物业服务有限公司")
    try:
        assert site.new_order().merchant == "1900000109"
        with site.app.deps.uow() as uow:  # a second company takes over 3-2-502's community
            other = Company(name="远洋物业")
            uow.session.add(other)
            uow.session.flush()
            home = uow.org.home(site.world.home_ids["3-2-502"])
            home.building.community.company_id = other.id  # type: ignore[union-attr]
            uow.commit()
        with pytest.raises(Invalid) as err:
            site.new_order(home="3-2-502")
        assert err.value.text_key == "pay_not_enabled"
    finally:
        await site.client.close()


async def test_without_a_named_company_direct_mode_needs_a_single_company(paysite: PaySite) -> None:
    with paysite.app.deps.uow() as uow:
        uow.session.add(Company(name="另一家物业"))
        uow.commit()
    with pytest.raises(Invalid):
        paysite.new_order()
    assert not paysite.rows(Payment)


async def test_owner_is_told_clearly_when_online_payment_is_not_open(make_paysite: Any, parser: object) -> None:
    site: PaySite = await make_paysite(sub_mch_mode=True, parser=parser)
    try:
        with site.app.deps.uow() as uow:
            company = uow.org.company(site.world.company_id)
            company.wechat_pay_sub_mchid = ""  # type: ignore[union-attr]
            uow.commit()
        chat = Chat(site.app.deps, user="u-wang")
        chat.say("我要交物业费")
        replies = chat.press('/pay_bill{"confirm": "1"}')
        assert "暂未开通在线缴费" in chat.text(replies) and "010-64001234" in chat.text(replies)
        assert not site.rows(Payment) and not site.fake.orders
    finally:
        await site.client.close()


async def test_order_link_needs_its_signature(paysite: PaySite) -> None:
    payment = paysite.new_order()
    good = "/pay/" + paysite.provider.link(payment.reference).split("/pay/")[1]
    assert (await paysite.client.get(good)).status == 200
    forged = good[:-4] + ("0000" if not good.endswith("0000") else "1111")
    assert (await paysite.client.get(forged)).status == 401
    other = paysite.new_order(home="3-2-502")
    borrowed = f"/pay/{other.reference}?s=" + good.split("?s=")[1]
    assert (await paysite.client.get(borrowed)).status == 401
    # The demo's confirm button does not exist for real orders.
    response = await paysite.client.post(f"/pay/{payment.reference}/confirm", data={"amount": "582.20"})
    assert response.status in (401, 403)
    assert paysite.payment(payment.reference).status == "pending"


async def test_secrets_never_reach_logs_or_reprs(paysite: PaySite, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    payment = paysite.new_order()
    await paysite.client.get("/pay/" + paysite.provider.link(payment.reference).split("/pay/")[1])
    paysite.fake.pay(payment.reference)
    headers, body = paysite.fake.notification(paysite.fake.transaction(payment.reference))
    headers["Wechatpay-Signature"] = "WECHATPAY/SIGNTEST/x"
    await paysite.notify(headers, body)
    key_text = Path(paysite.app.settings.wechat_pay.private_key_file).read_text()  # type: ignore[arg-type]
    seen = caplog.text + repr(paysite.app.settings) + str(paysite.app.settings.model_dump())
    assert API_V3_KEY not in seen
    assert key_text.splitlines()[1] not in seen
    assert "notification refused" in caplog.text


def test_incomplete_configuration_is_refused_with_the_missing_keys(monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WUYE_WECHAT_PAY__MCH_ID", "1900000109")
    with pytest.raises(ConfigError) as err:
        load_settings()
    message = str(err.value)
    for key in ("app_id", "cert_serial_no", "private_key_file", "api_v3_key"):
        assert key in message
    monkeypatch.delenv("WUYE_WECHAT_PAY__MCH_ID")
    assert Settings().wechat_pay.enabled is False  # the default: the demo provider


def test_concurrent_duplicate_notifications_settle_once_on_postgresql(make_paysite: Any) -> None:
    from tests.storage.backends import fresh_pg_schema

    with fresh_pg_schema() as url:
        async def run() -> PaySite:
            site: PaySite = await make_paysite(database_url=url)
            payment = site.new_order()
            await site.client.get("/pay/" + site.provider.link(payment.reference).split("/pay/")[1])
            site.fake.pay(payment.reference)
            sends = [site.fake.notification(site.fake.transaction(payment.reference)) for _ in range(5)]
            answers = await asyncio.gather(*(site.notify(h, b) for h, b in sends))
            assert [a.status for a in answers] == [204] * 5
            await site.client.close()
            return site

        loop = asyncio.new_event_loop()
        try:
            site = loop.run_until_complete(run())
        finally:
            loop.close()
        assert len(site.rows(AuditLog, AuditLog.action == "payment_settled")) == 1
        assert len(site.rows(OutboxMessage, OutboxMessage.kind == "payment")) == 2
        site.app.close()


async def test_money_for_bills_changed_meanwhile_is_recorded_and_flagged(paysite: PaySite) -> None:
    payment = paysite.new_order()
    await paysite.client.get("/pay/" + paysite.provider.link(payment.reference).split("/pay/")[1])
    paysite.fake.pay(payment.reference)
    with paysite.app.deps.uow() as uow:  # an import corrects the water bill after payment
        water = [b for b in uow.billing.unpaid_bills(payment.home_id) if b.item == "water"][0]
        water.amount = Decimal("40.00")
        uow.commit()
    headers, body = paysite.fake.notification(paysite.fake.transaction(payment.reference))
    assert (await paysite.notify(headers, body)).status == 204
    assert paysite.payment(payment.reference).status == "succeeded"
    assert paysite.rows(AuditLog, AuditLog.action == "payment_needs_review")
    assert len(paysite.rows(Bill, Bill.status == "unpaid")) == 4  # finance decides


async def test_platform_certificates_are_downloaded_and_checked_by_decryption(paysite: PaySite) -> None:
    import argparse

    from bot.commands.wechat_pay import _certificates
    from bot.payments.wechatpay.crypto import PlatformKeys

    folder = paysite.app.settings.wechat_pay.platform_cert_dir
    assert folder is not None
    for old in folder.glob("*.pem"):
        old.unlink()
    assert _certificates(argparse.Namespace(), paysite.app) == 0
    loaded = PlatformKeys.load(None, "", folder)
    assert list(loaded.keys) == [paysite.fake.keys.cert_serial]
    original = paysite.provider.api_v3_key
    paysite.provider.api_v3_key = b"x" * 32  # a certificate that does not decrypt is not saved
    try:
        for old in folder.glob("*.pem"):
            old.unlink()
        assert _certificates(argparse.Namespace(), paysite.app) == 1
        assert not list(folder.glob("*.pem"))
    finally:
        paysite.provider.api_v3_key = original
