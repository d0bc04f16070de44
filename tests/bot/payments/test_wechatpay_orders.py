"""Orders against the fake WeChat Pay: expiry, changed amounts, stale orders closed, and the
sync job recovering a missed notification."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

from handlers.jobs_payments import payment_reconciliation, payment_sync
from storage.models import Bill, OutboxMessage, Payment
from tests.bot.payments.conftest import PaySite


async def open_page(site: PaySite, reference: str, user_agent: str = "Mozilla/5.0 (X11; Linux)") -> str:
    response = await site.client.get("/pay/" + site.provider.link(reference).split("/pay/")[1],
                                     headers={"User-Agent": user_agent})
    assert response.status == 200
    return await response.text()


async def test_order_carries_time_expire_amount_and_notify_url(paysite: PaySite) -> None:
    payment = paysite.new_order()
    html = await open_page(paysite, payment.reference)
    assert 'id="wxpay-qr"' in html and "<svg" in html and "weixin://wxpay/bizpayurl" in html
    placed = paysite.fake.orders[payment.reference]
    assert placed.trade_type == "NATIVE"
    assert placed.body["amount"] == {"total": 58220, "currency": "CNY"}
    expires = datetime.fromisoformat(placed.body["time_expire"])
    assert expires - paysite.clock() == timedelta(minutes=120)
    assert placed.body["notify_url"] == "http://127.0.0.1:8080/pay/notify/wechat"
    assert placed.body["mchid"] == "1900000109" and placed.body["appid"] == "wxd678efh567hg6787"
    # Opening the page again reuses the order placed: one prepay per trade type.
    await open_page(paysite, payment.reference)
    assert sum(1 for _, p, _ in paysite.fake.requests if p.endswith("/native")) == 1


async def test_trade_type_follows_the_browser(paysite: PaySite) -> None:
    payment = paysite.new_order(openid="o-wang-openid")
    wechat = await open_page(paysite, payment.reference,
                             "Mozilla/5.0 (iPhone) AppleWebKit MicroMessenger/8.0.50")
    assert 'id="wxpay"' in wechat and "paySign" in wechat
    assert paysite.fake.orders[payment.reference].body["payer"] == {"openid": "o-wang-openid"}
    phone = await open_page(paysite, payment.reference, "Mozilla/5.0 (Linux; Android 14) Mobile Safari")
    assert 'id="wxpay-h5"' in phone and "wx.tenpay.com" in phone and 'id="wxpay-qr"' in phone
    h5 = [b for _, p, b in paysite.fake.requests if p.endswith("/h5")][0]
    assert h5["scene_info"]["h5_info"] == {"type": "Wap"}
    # Without the payer's openid (an order made in the web chat), WeChat's browser gets the QR.
    other = paysite.new_order(home="3-2-502")
    html = await open_page(paysite, other.reference, "Mozilla/5.0 MicroMessenger/8.0")
    assert 'id="wxpay-qr"' in html


async def test_jsapi_pay_sign_verifies_with_the_merchant_key(paysite: PaySite) -> None:
    import base64
    import html as html_lib
    import re

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    payment = paysite.new_order(openid="o-wang-openid")
    page = await open_page(paysite, payment.reference, "MicroMessenger/8.0")
    params = json.loads(html_lib.unescape(re.search(r'data-params="([^"]+)"', page).group(1)))  # type: ignore[union-attr]
    message = f"{params['appId']}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n"
    paysite.fake.keys.merchant.public_key().verify(
        base64.b64decode(params["paySign"]), message.encode(), padding.PKCS1v15(), hashes.SHA256())
    assert params["signType"] == "RSA" and params["package"].startswith("prepay_id=wx")


async def test_changed_amount_gets_a_new_out_trade_no_and_the_old_one_is_closed(paysite: PaySite) -> None:
    first = paysite.new_order()
    await open_page(paysite, first.reference)
    with paysite.app.deps.uow() as uow:  # the office corrects the water bill meanwhile
        water = [b for b in uow.billing.unpaid_bills(first.home_id) if b.item == "water"][0]
        water.amount = Decimal("40.00")
        uow.commit()
    old_page = await open_page(paysite, first.reference)
    assert "账单已经变化" in old_page and "wxpay" not in old_page
    paysite.clock.advance(minutes=1)
    second = paysite.new_order()
    assert second.reference != first.reference and second.amount == Decimal("577.00")
    assert paysite.payment(first.reference).status == "closed"
    assert paysite.fake.orders[first.reference].state == "CLOSED"


async def test_same_bills_same_amount_reuse_the_open_order(paysite: PaySite) -> None:
    first = paysite.new_order()
    paysite.clock.advance(minutes=30)
    assert paysite.new_order().reference == first.reference
    paysite.clock.advance(minutes=85)  # 5 minutes left: too close to expiry to hand out
    again = paysite.new_order()
    assert again.reference != first.reference
    assert paysite.payment(first.reference).status == "closed"


async def test_missed_notification_is_recovered_by_the_sync_job(paysite: PaySite) -> None:
    payment = paysite.new_order()
    await open_page(paysite, payment.reference)
    paysite.fake.pay(payment.reference)  # WeChat's notification never arrives
    paysite.clock.advance(minutes=10)
    report = payment_sync(paysite.app.deps, paysite.clock())
    assert report.changed == 1
    assert paysite.payment(payment.reference).status == "succeeded"
    assert len(paysite.rows(OutboxMessage, OutboxMessage.kind == "payment")) == 2
    # The late notification then arrives: 204, nothing changes.
    headers, body = paysite.fake.notification(paysite.fake.transaction(payment.reference))
    assert (await paysite.notify(headers, body)).status == 204
    assert len(paysite.rows(OutboxMessage, OutboxMessage.kind == "payment")) == 2
    assert payment_sync(paysite.app.deps, paysite.clock()).changed == 0


async def test_expired_orders_are_closed_by_the_sync_job(paysite: PaySite) -> None:
    placed = paysite.new_order()
    await open_page(paysite, placed.reference)
    never_placed = paysite.new_order(home="3-2-502")
    paysite.clock.advance(minutes=121)
    payment_sync(paysite.app.deps, paysite.clock())
    assert paysite.payment(placed.reference).status == "closed"
    assert paysite.fake.orders[placed.reference].state == "CLOSED"
    assert paysite.payment(never_placed.reference).status == "closed"
    assert never_placed.reference not in paysite.fake.orders
    unpaid = paysite.rows(Bill, Bill.status == "unpaid")
    assert len(unpaid) == 4  # nothing was paid


async def test_jobs_do_nothing_without_wechat_pay(paysite: PaySite) -> None:
    from tests.bot.payments.conftest import replace_payments

    replace_payments(paysite.app, None)
    assert payment_sync(paysite.app.deps, paysite.clock()).skipped == "no_provider"
    assert payment_reconciliation(paysite.app.deps, paysite.clock()).skipped == "no_provider"
    assert not paysite.rows(Payment)
