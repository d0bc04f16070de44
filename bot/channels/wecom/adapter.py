"""`GET|POST /webhook/wecom`: the WeCom app's callback (staff on their phones).

Order of checks on a POST, each refusing before anything later runs: the timestamp (403),
the body size (413), the XML envelope (400), the signature over the ciphertext and the
decryption (403), the inner XML (400), then the message itself.

Replies go by the message/send API, never passively. A message is worked on before it is
answered, up to `wecom.reply_deadline`; one taking longer is answered (WeCom would retry
it) and finishes in the background. A reply the API does not take goes to the outbox
(kind `reply`), so a staff member's message is never left without its answer.
Doc: https://developer.work.weixin.qq.com/document/path/90930 (接收消息与事件)
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from weakref import WeakValueDictionary

from aiohttp import web

from bot.channels.wechat import xml
from bot.channels.wechat.inflight import Answer, Flights
from bot.channels.wecom import inbound, render
from bot.channels.wecom.api import CHANNEL, WecomApi
from bot.channels.wecom.crypto import DecryptError, SignatureError, WecomCrypto
from bot.channels.wx_common import mount, read_message, request_fresh, status_response
from bot.config import WecomSettings
from handlers import identity_events
from handlers.deps import Deps
from handlers.messages import Reply
from handlers.util import mask_phones

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhook/wecom"
REPLY_RETRY_SECONDS = 30.0  # a reply the API refused waits this long in the outbox


class WecomWebhook:
    """The callback handlers of one WeCom app."""

    def __init__(self, settings: WecomSettings, deps: Deps, api: WecomApi) -> None:
        self.settings = settings
        self.deps = deps
        self.api = api
        self.crypto = WecomCrypto(settings.token, settings.encoding_aes_key, settings.corp_id)
        # Claims outlive WeCom's retries and every replay the timestamp check still lets in.
        ttl = max(600, 2 * settings.timestamp_tolerance + 60)
        self.flights = Flights(deps.claims, ttl, self._no_late_reply)
        # One member's messages are handled in order (a photo, then `完成 R…` that claims it).
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    def routes(self) -> list[web.RouteDef]:
        """The two routes of the callback URL."""
        return [web.get(WEBHOOK_PATH, self.verify), web.post(WEBHOOK_PATH, self.receive)]

    async def verify(self, request: web.Request) -> web.Response:
        """URL check: decrypt the signed `echostr` and answer with its plaintext."""
        q = request.query
        if not self._fresh(request):
            return status_response(403)
        # Base64 has no spaces: a `+` some proxy left unescaped was decoded as one.
        echostr = q.get("echostr", "").replace(" ", "+")
        try:
            plain = self.crypto.verify_url(
                q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", ""), echostr
            )
        except (SignatureError, DecryptError) as err:
            log.warning("wecom: URL check refused from %s: %s", request.remote, err)
            return status_response(403)
        return web.Response(text=plain, content_type="text/plain")

    async def receive(self, request: web.Request) -> web.Response:
        """One message or event: handled (within the deadline), then answered empty."""
        deadline = asyncio.get_running_loop().time() + self.settings.reply_deadline
        if not self._fresh(request):
            return status_response(403)
        message = await read_message(
            request, self.settings.max_body_bytes, self._open, log, CHANNEL
        )
        if isinstance(message, web.Response):
            return message
        found = inbound.classify(message, self.settings.agent_id)
        if found is None:
            return status_response(400)
        if found.kind == "ignore":
            return _empty()
        verdict, _ = await self.flights.submit(
            found.dedupe_key, lambda: self._work(found), deadline
        )
        if verdict == "failed":
            return status_response(500)  # the claim was released: WeCom's retry runs it again
        return _empty()

    def _fresh(self, request: web.Request) -> bool:
        """The callback's timestamp is near now (a replayed capture is refused)."""
        now = self.deps.clock().timestamp()
        return request_fresh(request, now, self.settings.timestamp_tolerance, log, CHANNEL)

    def _open(self, request: web.Request, body: bytes) -> dict[str, object]:
        """The decrypted message's fields; the signature covers the ciphertext."""
        # Only <Encrypt> is signed: take it out (no DTD, two levels deep at most) before the
        # signature is checked; the decrypted message is parsed only after that.
        encrypt, _ = xml.encrypted_part(body)
        q = request.query
        inner = self.crypto.decrypt(
            encrypt, q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", "")
        )
        return xml.parse(inner)

    async def _work(self, found: inbound.Inbound) -> Answer:
        """Process one message and send its reply; raises only when WeCom should retry it."""
        async with self._lock_for(found.userid):  # replies leave in the order messages came
            replies = await inbound.process(found, self.deps, self.api)
            await self._reply(found, replies)
        return Answer(found.userid, "")  # the reply is already on its way: nothing passive

    async def _reply(self, found: inbound.Inbound, replies: tuple[Reply, ...]) -> None:
        outgoing = render.from_replies(replies)
        if outgoing is None:
            return
        result = await self.api.send(found.userid, outgoing)
        if result.status == "sent":
            return
        who = mask_phones(found.userid)
        if result.status == "blocked":
            log.info("wecom reply to %s dropped: %s", who, result.error)
            return
        log.warning("wecom reply to %s queued: %s", who, result.error)
        # One text with every button numbered once, as dispatch numbered them.
        text = render.plain_text(
            "\n\n".join(r.text.strip() for r in replies if r.text.strip()),
            [b for r in replies for b in r.buttons],
        )
        delay = result.retry_after or REPLY_RETRY_SECONDS
        await asyncio.to_thread(self._queue_reply, found, text, delay)

    def _queue_reply(self, found: inbound.Inbound, text: str, delay: float) -> None:
        if identity_events.identity_id(self.deps, CHANNEL, found.userid) is None:
            # A refused turn (an unbound member) keeps no identity row; the outbox needs one.
            identity_events.subscribed(self.deps, CHANNEL, found.userid)
        identity_events.queue_reply(
            self.deps, CHANNEL, found.userid, text, f"{found.dedupe_key}:reply", delay
        )

    def _lock_for(self, userid: str) -> asyncio.Lock:
        lock = self._locks.get(userid)
        if lock is None:
            lock = asyncio.Lock()  # dropped by the weak dict once nobody holds it
            self._locks[userid] = lock
        return lock

    async def _no_late_reply(self, key: str, answer: Answer) -> None:
        """Never called with text: `_work` sends (or queues) its own reply."""

    async def close(self) -> None:
        """Finish messages under way, then close the API client."""
        await self.flights.drain()
        await self.api.close()


def _empty() -> web.Response:
    # WeCom: an empty body means "received, no passive reply".
    return web.Response(text="", content_type="text/plain")


WEBHOOK_KEY = web.AppKey("wuye_wecom_webhook", WecomWebhook)


def build(app: Any) -> WecomWebhook | None:
    """The webhook for `app` (bot.app.App), or None when WeCom is not configured."""
    settings: WecomSettings = app.settings.wecom
    if not settings.enabled:
        return None
    return WecomWebhook(settings, app.deps, WecomApi(settings, app.deps, app.stores.locks))


def setup(web_app: web.Application, app: Any) -> None:
    """HTTP plugin hook: mount the callback and close it cleanly on shutdown."""
    webhook = build(app)
    if webhook is None:
        log.info("wecom: off (set wecom.corp_id, agent_id, secret, token, encoding_aes_key)")
        return
    mount(web_app, WEBHOOK_KEY, webhook)
    log.info("wecom: callback at %s (agent %s)", WEBHOOK_PATH, webhook.settings.agent_id)
