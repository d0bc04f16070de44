"""`POST /pay/notify/wechat`: WeChat Pay's payment and refund notifications.

Order of checks, each refusal answered 4xx with nothing changed and a log line (and an
audit line): body size → platform signature over `timestamp\\nnonce\\nbody\\n` with the key
named by `Wechatpay-Serial` (public key id or certificate serial), probes
(`WECHATPAY/SIGNTEST/…`) and stale timestamps refused → AES-256-GCM decryption with the API
v3 key → merchant, app id, order, amount, currency → settle exactly once. Success is 204
with no body, as WeChat asks; a genuine redelivery is answered the same and changes nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiohttp import web

from bot.app import App
from bot.channels.body import read_capped
from bot.channels.serial import KeyedLocks
from bot.payments.wechatpay import crypto, parse
from bot.payments.wechatpay.provider import WechatPayProvider
from bot.payments.wechatpay.setup import NOTIFY_PATH
from handlers.errors import DomainError, NotFound
from handlers.office.refunds import apply_refund
from handlers.owners.pay_settle import TradeRejected, apply_trade

log = logging.getLogger(__name__)


class Refused(Exception):
    """A notification that must be answered 4xx: `status` and a short reason for the log."""

    def __init__(self, status: int, reason: str, reference: str = "") -> None:
        super().__init__(reason)
        self.status, self.reason, self.reference = status, reason, reference


class WechatPayNotify:
    """The route; off (404) while WeChat Pay is not configured."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.limit = app.settings.wechat_pay.max_body_bytes
        self.tolerance = app.settings.wechat_pay.timestamp_tolerance
        self.serial = KeyedLocks()  # one notification per order at a time in this process

    @property
    def provider(self) -> WechatPayProvider | None:
        payments = self.app.deps.payments
        return payments if isinstance(payments, WechatPayProvider) else None

    async def handle(self, request: web.Request) -> web.Response:
        """Verify, decrypt, check, apply; 204 on success, 4xx with WeChat's error JSON if not."""
        provider = self.provider
        if provider is None:
            return web.Response(status=404)
        body = await read_capped(request, self.limit)
        if body is None:
            return _fail(413, "body too large")
        try:
            event, data = self._open(provider, request.headers, body)
            async with self.serial.hold(str(data.get("out_trade_no") or "")):
                result = await asyncio.to_thread(self._apply, provider, event, data)
        except Refused as err:
            log.warning("wechat pay: notification refused (%s): %s %s", err.status, err.reason,
                        err.reference)
            await asyncio.to_thread(self._audit_refusal, err)
            return _fail(err.status, err.reason)
        log.info("wechat pay: %s %s", event, result)
        return web.Response(status=204)

    def _open(self, provider: WechatPayProvider, headers: Any, body: bytes) -> tuple[str, dict[str, Any]]:
        try:
            crypto.verify(provider.client.platform, headers, body,
                          self.app.deps.clock().timestamp(), self.tolerance)
        except crypto.SignatureError as err:
            raise Refused(401, str(err)) from err
        try:
            envelope = json.loads(body)
            resource = envelope["resource"]
            event = str(envelope["event_type"])
        except (ValueError, KeyError, TypeError) as err:
            raise Refused(400, "not a notification") from err
        if not isinstance(resource, dict):
            raise Refused(400, "not a notification")
        try:
            return event, crypto.decrypt_resource(provider.api_v3_key, resource)
        except crypto.DecryptError as err:
            raise Refused(400, str(err)) from err

    def _apply(self, provider: WechatPayProvider, event: str, data: dict[str, Any]) -> str:
        deps = self.app.deps
        now = deps.clock()
        try:
            with deps.uow() as uow:
                if event == "TRANSACTION.SUCCESS":
                    state = parse.trade_state(data)
                    result = apply_trade(uow, provider, state, now, deps.settings.timezone)
                    if result == "not_paid":
                        raise Refused(400, "transaction not successful", state.reference)
                elif event.startswith("REFUND."):
                    refund = parse.refund_state(data)
                    result = apply_refund(uow, provider, refund, now, deps.settings.timezone).status
                else:
                    return "ignored"
                uow.commit()
                return f"{data.get('out_trade_no', '')}: {result}"
        except TradeRejected as err:
            status = 404 if err.reason == "unknown order" else 400
            raise Refused(status, err.reason, str(data.get("out_trade_no") or "")) from err
        except NotFound as err:
            raise Refused(404, "unknown refund", str(data.get("out_refund_no") or "")) from err
        except DomainError as err:
            raise Refused(400, str(err.params.get("reason") or err), str(data.get("out_trade_no") or "")) from err

    def _audit_refusal(self, err: Refused) -> None:
        with self.app.deps.uow() as uow:
            uow.audit.record(self.app.deps.clock(), "wechatpay", "payment_notify_refused",
                             f"payment:{err.reference}" if err.reference else "",
                             {"status": err.status, "reason": err.reason})
            uow.commit()


def _fail(status: int, message: str) -> web.Response:
    # WeChat's documented failure answer; WeChat redelivers later.
    return web.json_response({"code": "FAIL", "message": message[:100]}, status=status)


def setup(web_app: web.Application, app: App) -> None:
    """HTTP plugin hook: mount the notification URL."""
    web_app.router.add_post(NOTIFY_PATH, WechatPayNotify(app).handle)
