"""`POST /pay/notify/wechat` against the fake WeChat Pay: settled once; every forgery refused."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import select

from storage.models import AuditLog, Bill, OutboxMessage
from tests.bot.payments.conftest import SUB_MCHID, PaySite
from tests.fakes.wechatpay_server import API_V3_KEY, Keys


async def _checkout(site: PaySite, user_agent: str = "Mozilla/5.0 (X11; Linux x86_64)") -> str:
    """An order, opened on the pay page (which places it with WeChat); its reference."""
    payment = site.new_order()
    response = await site.client.get(site.provider.link(payment.reference).split("8080", 1)[1],
                                     headers={"User-Agent": user_agent})
    assert response.status == 200, await response.text()
    return payment.reference


async def test_pay_then_notify_settles_once_and_pushes_one_receipt(paysite: PaySite) -> None:
    reference = await _checkout(paysite)
    paysite.fake.pay(reference)
    headers, body = paysite.fake.notification(paysite.fake.transaction(reference))
    first = await paysite.notify(headers, body)
    assert first.status == 204 and await first.read() == b""
    payment = paysite.payment(reference)
    assert payment.status == "succeeded" and payment.provider_ref.startswith("42000")
    bills = paysite.rows(Bill, Bill.home_id == paysite.world.home_ids["3-2-501"], Bill.status == "paid")
    assert len(bills) == 4  # three paid now, one paid before
    receipts = paysite.rows(OutboxMessage, OutboxMessage.kind == "payment")
    assert len(receipts) == 2  # web and WeChat accounts of the household
    # WeChat redelivers the very same notification: 204 again, nothing changes.
    again = await paysite.notify(headers, body)
    assert again.status == 204
    assert len(paysite.rows(OutboxMessage, OutboxMessage.kind == "payment")) == 2
    settled = paysite.rows(AuditLog, AuditLog.action == "payment_settled")
    assert len(settled) == 1


async def test_both_serial_kinds_are_accepted_at_once(paysite: PaySite) -> None:
    for kind in ("cert", "key"):
        paysite.clock.advance(minutes=1)
        reference = await _checkout(paysite) if kind == "cert" else None
        if reference is None:  # a second order needs unpaid bills: another household's
            payment = paysite.new_order(home="3-2-502")
            await paysite.client.get(f"/pay/{payment.reference}?s=" + paysite.provider.link(
                payment.reference).split("?s=")[1])
            reference = payment.reference
        paysite.fake.pay(reference)
        headers, body = paysite.fake.notification(paysite.fake.transaction(reference), kind=kind)
        assert headers["Wechatpay-Serial"].startswith("PUB_KEY_ID_") == (kind == "key")
        assert (await paysite.notify(headers, body)).status == 204
        assert paysite.payment(reference).status == "succeeded"


async def _refused(site: PaySite, headers: dict[str, str], body: bytes, status: int, reference: str) -> None:
    response = await site.notify(headers, body)
    assert response.status == status, await response.text()
    assert (await response.json())["code"] == "FAIL"
    assert site.payment(reference).status == "pending"
    assert not site.rows(OutboxMessage, OutboxMessage.kind == "payment")
    assert site.rows(AuditLog, AuditLog.action == "payment_notify_refused")


async def test_forged_signature_is_refused(paysite: PaySite) -> None:
    reference = await _checkout(paysite)
    paysite.fake.pay(reference)
    forger = Keys().platform  # a key that is not WeChat's
    headers, body = paysite.fake.notification(paysite.fake.transaction(reference), key=forger)
    await _refused(paysite, headers, body, 401, reference)


async def test_tampered_body_is_refused(paysite: PaySite) -> None:
    reference = await _checkout(paysite)
    paysite.fake.pay(reference)
    headers, body = paysite.fake.notification(paysite.fake.transaction(reference))
    envelope = json.loads(body)
    envelope["summary"] = "改过"
    await _refused(paysite, headers, json.dumps(envelope, ensure_ascii=False).encode(), 401, reference)


async def test_resource_encrypted_with_another_key_is_refused(paysite: PaySite) -> None:
    reference = await _checkout(paysite)
    paysite.fake.pay(reference)
    headers, body = paysite.fake.notification(paysite.fake.transaction(reference),
                                              api_v3_key=API_V3_KEY[::-1])
    await _refused(paysite, headers, body, 400, reference)


async def test_wrong_amount_currency_merchant_or_app_is_refused(paysite: PaySite) -> None:
    reference = await _checkout(paysite)
    paysite.fake.pay(reference)
    good = paysite.fake.transaction(reference)
    changes = [
        {"amount": {**good["amount"], "total": good["amount"]["total"] - 1}},
        {"amount": {**good["amount"], "currency": "USD"}},
        {"mchid": "1900000999"},
        {"appid": "wx0000000000000000"},
    ]
    for change in changes:
        headers, body = paysite.fake.notification(good | change)
        await _refused(paysite, headers, body, 400, reference)


async def test_stale_timestamp_and_signature_probe_are_refused(paysite: PaySite) -> None:
    reference = await _checkout(paysite)
    paysite.fake.pay(reference)
    old = int(paysite.clock().timestamp()) - 301
    headers, body = paysite.fake.notification(paysite.fake.transaction(reference), timestamp=old)
    await _refused(paysite, headers, body, 401, reference)
    headers, body = paysite.fake.notification(paysite.fake.transaction(reference))
    headers["Wechatpay-Signature"] = "WECHATPAY/SIGNTEST/" + headers["Wechatpay-Signature"]
    await _refused(paysite, headers, body, 401, reference)


async def test_replayed_notification_for_another_order_is_refused(paysite: PaySite) -> None:
    """A genuine notification replayed later (stale) changes nothing; an unknown order is 404."""
    reference = await _checkout(paysite)
    paysite.fake.pay(reference)
    resource = paysite.fake.transaction(reference)
    headers, body = paysite.fake.notification(resource | {"out_trade_no": "WY000000000000FFFF"})
    response = await paysite.notify(headers, body)
    assert response.status == 404
    paysite.clock.advance(minutes=10)
    headers, body = paysite.fake.notification(resource, timestamp=int(paysite.clock().timestamp()) - 600)
    await _refused(paysite, headers, body, 401, reference)


async def test_unknown_serial_is_refused(paysite: PaySite) -> None:
    reference = await _checkout(paysite)
    paysite.fake.pay(reference)
    headers, body = paysite.fake.notification(paysite.fake.transaction(reference))
    headers["Wechatpay-Serial"] = "PUB_KEY_ID_0000"
    await _refused(paysite, headers, body, 401, reference)


async def test_expired_order_page_refuses_and_wechat_refuses_to_take_money(paysite: PaySite) -> None:
    payment = paysite.new_order()
    paysite.clock.advance(minutes=121)
    page = await paysite.client.get(paysite.provider.link(payment.reference).split("8080", 1)[1])
    html = await page.text()
    assert page.status == 200 and "已过期" in html and "wxpay" not in html
    assert payment.reference not in paysite.fake.orders  # never placed with WeChat


async def test_service_provider_mode_checks_the_sub_merchant(make_paysite: object) -> None:
    site = await make_paysite(sub_mch_mode=True)  # type: ignore[operator]
    try:
        reference = await _checkout(site)
        placed = site.fake.orders[reference].body
        assert placed["sp_mchid"] == "1900000109" and placed["sub_mchid"] == SUB_MCHID
        assert "mchid" not in placed
        site.fake.pay(reference)
        good = site.fake.transaction(reference)
        headers, body = site.fake.notification(good | {"sub_mchid": "1900000777"})
        assert (await site.notify(headers, body)).status == 400
        assert site.payment(reference).status == "pending"
        headers, body = site.fake.notification(good)
        assert (await site.notify(headers, body)).status == 204
        assert site.payment(reference).status == "succeeded"
        assert site.payment(reference).merchant == SUB_MCHID
    finally:
        await site.client.close()


async def test_company_without_sub_merchant_cannot_pay_online(make_paysite: object) -> None:
    site = await make_paysite(sub_mch_mode=True)  # type: ignore[operator]
    try:
        with site.app.deps.uow() as uow:
            company = uow.org.company(site.world.company_id)
            company.wechat_pay_sub_mchid = ""  # type: ignore[union-attr]
            uow.commit()
        from handlers.errors import Invalid

        try:
            site.new_order()
        except Invalid as err:
            assert err.text_key == "pay_not_enabled"
        else:
            raise AssertionError("an order without a sub-merchant was made")
        assert not site.fake.orders
        with site.app.session_factory() as session:
            assert session.scalar(select(Bill.id).where(Bill.status == "paid", Bill.amount == Decimal("45.20"))) is None
    finally:
        await site.client.close()
