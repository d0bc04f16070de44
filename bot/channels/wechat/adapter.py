"""`GET|POST /webhook/wechat`: the Official Account callback.

Order of checks on a POST, each refusing before anything later runs: the query signature
and its timestamp (403), the body size (413), the XML (400), in safe mode the message
signature over the ciphertext and the decryption (403), then the message itself.
Doc: https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any

from aiohttp import web

from bot.channels.wechat import inbound, xml
from bot.channels.wechat.api import CHANNEL, WechatApi
from bot.channels.wechat.crypto import DecryptError, MessageCrypto, SignatureError
from bot.channels.wechat.inflight import Answer, Flights
from bot.channels.wx_common import mount, read_message, request_fresh, signature_ok, status_response
from bot.config import WechatSettings
from handlers import identity_events
from handlers.deps import Deps

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhook/wechat"
SUCCESS = "success"  # WeChat's "received, no reply"; an empty body means the same


class WechatWebhook:
    """The callback handlers of one Official Account."""

    def __init__(self, settings: WechatSettings, deps: Deps, api: WechatApi) -> None:
        self.settings = settings
        self.deps = deps
        self.api = api
        self.crypto = (
            MessageCrypto(settings.token, settings.encoding_aes_key, settings.app_id)
            if settings.encoding_aes_key
            else None
        )
        # Claims outlive every retry and every replay the timestamp check still lets in.
        ttl = max(600, 2 * settings.timestamp_tolerance + 60)
        self.flights = Flights(deps.claims, ttl, self._deliver_late)

    def routes(self) -> list[web.RouteDef]:
        """The two routes of the callback URL."""
        return [web.get(WEBHOOK_PATH, self.verify), web.post(WEBHOOK_PATH, self.receive)]

    async def verify(self, request: web.Request) -> web.Response:
        """URL verification: echo `echostr` when the signature is WeChat's."""
        if not self._signed(request):
            return status_response(403)
        return web.Response(text=request.query.get("echostr", ""), content_type="text/plain")

    async def receive(self, request: web.Request) -> web.Response:
        """One message or event; a passive reply when it is ready in time, else `success`."""
        deadline = asyncio.get_running_loop().time() + self.settings.passive_reply_deadline
        if not self._signed(request):
            return status_response(403)
        message = await read_message(
            request, self.settings.max_body_bytes, self._open, log, CHANNEL, "safe-mode message"
        )
        if isinstance(message, web.Response):
            return message
        found = inbound.classify(message)
        if found is None:
            return status_response(400)
        if self.settings.account_id and found.account != self.settings.account_id:
            log.warning("wechat: message for another account refused from %s", request.remote)
            return status_response(403)
        if found.kind == "ignore":
            return _success()
        verdict, answer = await self.flights.submit(
            found.dedupe_key, lambda: self._work(found), deadline
        )
        if verdict == "failed":
            return status_response(500)  # the claim was released: WeChat's next try runs it again
        if verdict == "success" or answer is None or not answer.text:
            return _success()
        return self._passive(request, found.account, answer)

    def _signed(self, request: web.Request) -> bool:
        """The query signature is WeChat's, and fresh (a replay is refused)."""
        q = request.query
        timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
        if not signature_ok((self.settings.token, timestamp, nonce), q.get("signature", "")):
            log.warning("wechat: bad signature from %s", request.remote)
            return False
        now = self.deps.clock().timestamp()
        return request_fresh(request, now, self.settings.timestamp_tolerance, log, CHANNEL)

    def _open(self, request: web.Request, body: bytes) -> dict[str, object]:
        """The message's fields; safe mode verifies msg_signature and decrypts first."""
        encrypted = request.query.get("encrypt_type", "raw") == "aes"
        if self.crypto is None:
            if encrypted:
                raise DecryptError("an encrypted message but no encoding_aes_key configured")
            self._refuse_replayed_query(request, body)
            return xml.parse(body)
        if not encrypted:
            # The plain signature does not cover the body: with a key set, only safe mode.
            raise SignatureError("plain message refused: safe mode is configured")
        # Only <Encrypt> is signed: take it out (no DTD, two levels deep at most), verify and
        # decrypt it, and only then parse what it holds.
        encrypt, _ = xml.encrypted_part(body)
        q = request.query
        inner = self.crypto.decrypt(
            encrypt, q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", ""),
        )
        return xml.parse(inner)

    def _refuse_replayed_query(self, request: web.Request, body: bytes) -> None:
        """Plain mode signs the query, not the body: a captured query must not carry another
        body while its timestamp is fresh. The first body seen with a (timestamp, nonce) is
        remembered; WeChat's own retries repeat it exactly and pass."""
        q = request.query
        key = f"wechat:query:{q.get('timestamp', '')}:{q.get('nonce', '')}"
        digest = hashlib.sha256(body).hexdigest()
        seen = self.deps.state.get(key)
        if seen is not None and seen.get("body") != digest:
            raise SignatureError("a signed query replayed with another body")
        if seen is None:
            ttl = 2 * self.settings.timestamp_tolerance + 60
            self.deps.state.set(key, {"body": digest}, ttl)

    async def _work(self, found: inbound.Inbound) -> Answer:
        return Answer(found.openid, await inbound.process(found, self.deps, self.api))

    def _passive(self, request: web.Request, account: str, answer: Answer) -> web.Response:
        now = str(int(self.deps.clock().timestamp()))
        reply = xml.text_reply(answer.openid, account, answer.text, int(now))
        if self.crypto is not None:
            reply = self.crypto.encrypt_reply(reply, request.query.get("nonce", ""), now)
        return web.Response(text=reply, content_type="application/xml")

    async def _deliver_late(self, key: str, answer: Answer) -> None:
        """The reply missed the passive deadline: send it by the customer-service API."""
        try:
            result = await self.api.deliver(answer.openid, {"text": answer.text}, "reply")
        except Exception:  # never lose the reply to a bug here: it goes to the outbox below
            log.exception("wechat late reply for %s failed", key)
            result = None
        if result is not None and result.status in ("sent", "blocked", "unknown"):
            return  # unknown: it may have arrived; queueing it again could say it twice
        delay = result.retry_after if result is not None else 60.0
        log.warning("wechat late reply for %s queued: %s", key, result.error if result else "error")
        await asyncio.to_thread(
            identity_events.queue_reply, self.deps, CHANNEL, answer.openid, answer.text,
            f"{key}:reply", delay,
        )

    async def close(self) -> None:
        """Finish messages under way and their late replies, then close the API client."""
        await self.flights.drain()
        await self.api.close()


def _success() -> web.Response:
    return web.Response(text=SUCCESS, content_type="text/plain")


WEBHOOK_KEY = web.AppKey("wuye_wechat_webhook", WechatWebhook)


def build(app: Any) -> WechatWebhook | None:
    """The webhook for `app` (bot.app.App), or None when WeChat is not configured."""
    settings: WechatSettings = app.settings.wechat
    if not settings.enabled:
        return None
    api = WechatApi(settings, app.deps, app.stores.locks)
    return WechatWebhook(settings, app.deps, api)


def routes(app: Any) -> list[web.RouteDef]:
    """The callback routes for `app`; none when WeChat is off."""
    webhook = build(app)
    return webhook.routes() if webhook else []


def setup(web_app: web.Application, app: Any) -> None:
    """HTTP plugin hook: mount the callback and close it cleanly on shutdown."""
    webhook = build(app)
    if webhook is None:
        log.info("wechat: off (set wechat.app_id, app_secret and token to turn it on)")
        return
    mount(web_app, WEBHOOK_KEY, webhook)
    log.info("wechat: callback at %s (%s mode)", WEBHOOK_PATH, "safe" if webhook.crypto else "plain")
