"""The WeChat Pay part of the pay page: which trade type fits the browser, and its HTML.

- inside WeChat (`MicroMessenger` in the User-Agent) with the payer's openid known (the
  order came from the Official Account): JSAPI, started by pay.js with WeixinJSBridge;
- a phone browser outside WeChat (Telegram's too): H5 (WeChat forbids H5 inside its own
  browser), with the Native QR code below it;
- anything else (desktop web chat, a Telegram link, the front desk's screen): Native, a QR
  code to scan with WeChat.
An order that expired, changed or closed is refused with a clear sentence, not offered.
"""

from __future__ import annotations

import asyncio
import hmac
import io
import json
import re
from html import escape

import segno
from aiohttp import web

from bot.app import App
from bot.payments.wechatpay.provider import WechatPayProvider
from bot.payments.wechatpay.setup import order_signature
from handlers.errors import DomainError
from handlers.owners.pay_orders import checkout
from handlers.payment_gateway import Checkout, GatewayError
from handlers.texts import t

_MOBILE = re.compile(r"Android|iPhone|iPad|iPod|Mobile|HarmonyOS", re.IGNORECASE)
TEXT = {
    "scan": "请使用微信“扫一扫”扫描二维码完成支付（二维码在订单有效期内可用）。",
    "jsapi": "微信支付 {total}",
    "h5": "前往微信支付 {total}",
    "down": "支付平台暂时无法下单，请稍后刷新本页重试。",
}


def trade_type_for(user_agent: str) -> str:
    """JSAPI in WeChat's browser, H5 in other phone browsers, Native elsewhere."""
    if "MicroMessenger" in user_agent:
        return "JSAPI"
    return "H5" if _MOBILE.search(user_agent) else "NATIVE"


def signed(secret: bytes, reference: str, signature: str) -> bool:
    """True when `signature` is the order link's (the chat sent the link to the household)."""
    return bool(signature) and hmac.compare_digest(order_signature(secret, reference), signature)


def client_ip(request: web.Request) -> str:
    """The payer's address for H5: the proxy's X-Real-IP when the peer is the local proxy."""
    peer = request.remote or ""
    if peer in ("127.0.0.1", "::1"):
        return request.headers.get("X-Real-IP", peer).strip()[:45]
    return peer


async def block(app: App, provider: WechatPayProvider, request: web.Request, reference: str,
                total: str) -> str:
    """The HTML that lets the owner pay this order now, or says why it cannot be paid."""
    trade_type = trade_type_for(request.headers.get("User-Agent", ""))
    ip = client_ip(request)
    try:
        made = await asyncio.to_thread(_prepare, app, provider, reference, trade_type, ip)
        # A phone outside WeChat (e.g. Telegram's browser): H5, and the QR code as well, for
        # an owner who would rather save it and scan it in WeChat.
        extra = (await asyncio.to_thread(_prepare, app, provider, reference, "NATIVE", ip)
                 if trade_type == "H5" else None)
    except DomainError as err:
        return _notice(t(err.text_key, "zh", **err.params))
    except GatewayError:
        return _notice(TEXT["down"])
    now = app.deps.clock().timestamp()
    return render(provider, made, total, now) + (render(provider, extra, total, now) if extra else "")


def _prepare(app: App, provider: WechatPayProvider, reference: str, trade_type: str, ip: str) -> Checkout:
    with app.deps.uow() as uow:
        made = checkout(uow, provider, reference, app.deps.clock(), trade_type, ip)
        uow.commit()
    return made


def render(provider: WechatPayProvider, made: Checkout, total: str, now_ts: float) -> str:
    """The checkout of one trade type as HTML (values escaped; the QR code is inline SVG)."""
    if made.trade_type == "JSAPI":
        params = provider.jsapi_params(str(made.data["prepay_id"]), int(now_ts))
        return (f'<div class="actions" id="wxpay" data-params="{escape(json.dumps(params))}">'
                f'<button type="button" class="primary">{escape(TEXT["jsapi"].format(total=total))}'
                "</button></div>")
    if made.trade_type == "H5":
        return (f'<div class="actions"><a class="primary" id="wxpay-h5" href="{escape(str(made.data["h5_url"]))}">'
                f'{escape(TEXT["h5"].format(total=total))}</a></div>')
    svg = io.BytesIO()
    segno.make(str(made.data["code_url"]), error="m").save(svg, kind="svg", scale=6, xmldecl=False,
                                                          svgns=True, border=2)
    return (f'<div class="actions qr" id="wxpay-qr" data-code-url="{escape(str(made.data["code_url"]))}">'
            f'{svg.getvalue().decode()}<p class="hint">{escape(TEXT["scan"])}</p></div>')


def _notice(text: str) -> str:
    return f'<p class="hint refused" id="pay-refused">{escape(text)}</p>'
