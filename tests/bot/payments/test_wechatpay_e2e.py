"""An owner pays end to end against the fake WeChat Pay: from the Official Account (JSAPI,
through the real WeChat webhook and NLU) and from the web chat (Native QR code)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from bot.channels import web as web_channel
from storage.models import Bill, OutboxMessage
from tests.bot.payments.conftest import PaySite
from tests.fakes.wechat_server import FakeWechatServer, payload, serve_webhook, wechat_settings

LINK = re.compile(r"http://127\.0\.0\.1:8080(/pay/WY\w+\?s=\w+)")


async def test_owner_pays_from_the_official_account_with_jsapi(make_paysite: object, parser: object) -> None:
    site: PaySite = await make_paysite(parser=parser)  # type: ignore[operator]
    try:
        async with FakeWechatServer() as wx, serve_webhook(
                site.app.deps, wechat_settings(wx.base_url)) as served:
            status, body = await served.wechat.post(
                payload("text", content="我要交物业费", msg_id=901, openid="o-wang-openid"))
            prompt = served.wechat.content(body) or ""
            assert status == 200 and "537.00元" in prompt and "1. 确认支付" in prompt, prompt
            status, body = await served.wechat.post(
                payload("text", content="1", msg_id=902, openid="o-wang-openid"))
            link = served.wechat.content(body) or ""
            path = LINK.search(link).group(1)  # type: ignore[union-attr]
            page = await site.client.get(path, headers={
                "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) MicroMessenger/8.0.50"})
            html = await page.text()
            assert page.status == 200 and 'id="wxpay"' in html and "paySign" in html
            reference = path.split("/pay/")[1].split("?")[0]
            order = site.fake.orders[reference]
            assert order.trade_type == "JSAPI" and order.body["payer"] == {"openid": "o-wang-openid"}
            assert order.body["amount"]["total"] == 53700  # as the chat showed it
            site.fake.pay(reference)  # the owner confirms in WeChat's pay sheet
            headers, note = site.fake.notification(site.fake.transaction(reference))
            assert (await site.notify(headers, note)).status == 204
            receipts = site.rows(OutboxMessage, OutboxMessage.kind == "payment",
                                 OutboxMessage.channel == "wechat")
            assert len(receipts) == 1 and "缴费成功" in json.loads(receipts[0].payload)["text"]
            status, body = await served.wechat.post(
                payload("text", content="我已经付好了", msg_id=903, openid="o-wang-openid"))
            assert "缴费成功" in (served.wechat.content(body) or "")
        unpaid = site.rows(Bill, Bill.home_id == site.world.home_ids["3-2-501"], Bill.status == "unpaid")
        assert [b.item for b in unpaid] == ["water"]  # only the property fees were asked for
    finally:
        await site.client.close()


async def test_owner_pays_from_the_web_chat_with_a_native_qr_code(make_paysite: object, parser: object) -> None:
    site: PaySite = await make_paysite(parser=parser)  # type: ignore[operator]
    token = web_channel.make_token(web_channel.load_secret(site.app.settings.web), "u-wang",
                                   site.clock() + timedelta(days=30))

    async def say(text: str = "", button: str = "") -> list[dict]:
        response = await site.client.post("/api/chat", json={
            "user": "u-wang", "text": text, "token": token, **({"button": button} if button else {})})
        assert response.status == 200, await response.text()
        return (await response.json())["replies"]

    try:
        replies = await say("物业费还欠多少钱，我要交")
        pay = [b for r in replies for b in r.get("buttons", []) if "确认支付" in b["title"]]
        if not pay:  # the bill overview first: press its 去缴费
            go = [b for r in replies for b in r.get("buttons", []) if b["title"] == "去缴费"]
            replies = await say(button=go[0]["payload"])
            pay = [b for r in replies for b in r.get("buttons", []) if "确认支付" in b["title"]]
        replies = await say(button=pay[0]["payload"])
        path = LINK.search(replies[0]["text"]).group(1)  # type: ignore[union-attr]
        page = await site.client.get(path, headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Chrome/120"})
        html = await page.text()
        assert 'id="wxpay-qr"' in html and "<svg" in html
        reference = path.split("/pay/")[1].split("?")[0]
        assert site.fake.orders[reference].trade_type == "NATIVE"
        assert "payer" not in site.fake.orders[reference].body
        site.fake.pay(reference)  # scanned with WeChat on the phone
        headers, note = site.fake.notification(site.fake.transaction(reference))
        assert (await site.notify(headers, note)).status == 204
        web_receipt = site.rows(OutboxMessage, OutboxMessage.kind == "payment", OutboxMessage.channel == "web")
        assert len(web_receipt) == 1
        replies = await say("我已支付")
        assert "缴费成功" in replies[0]["text"] and reference in replies[0]["text"]
        page = await site.client.get(path)
        assert "已支付" in await page.text()
    finally:
        await site.client.close()
