"""A fake WeChat API server on loopback: issues access tokens, records messages, serves media.

Like the real one, fetching a token invalidates the previous one; any call can be made to
answer a chosen errcode (`fail`), and every token can be revoked at once (`revoke_tokens`).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xmltodict
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from wechatpy.crypto import WeChatCrypto

from bot.channels.wechat.adapter import WechatWebhook
from bot.channels.wechat.api import WechatApi
from bot.config import WechatSettings
from handlers.deps import Deps
from storage.stores.memory import MemoryLockStore

APP_ID = "wx2c2769f8efd9abc2"  # Tencent's sample account, with its token and key below
APP_SECRET = "test-secret"
TOKEN = "spamtest"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ACCOUNT = "gh_10f6c3c3ac5a"  # our account's own id, ToUserName of every callback
TEMPLATES = {"bill_reminder": "TPL_BILL", "notice": "TPL_NOTICE", "ticket_update": "TPL_TICKET"}
DATA = Path(__file__).parents[1] / "data" / "wechat"


def wechat_settings(base_url: str, *, safe: bool = False, **extra: object) -> WechatSettings:
    """The channel's settings pointed at the fake API; `safe` turns on AES mode."""
    values: dict[str, object] = {
        "app_id": APP_ID, "app_secret": APP_SECRET, "token": TOKEN, "api_base": base_url,
        "templates": TEMPLATES, "encoding_aes_key": AES_KEY if safe else "",
    }
    return WechatSettings(**(values | extra))


def payload(name: str, **fields: object) -> str:
    """A recorded callback from tests/data/wechat with its placeholders filled."""
    defaults = {
        "openid": "o-owner-1", "create_time": "1795744800", "msg_id": "1", "content": "",
        "media_id": "", "event": "", "event_key": "",
    }
    text = (DATA / f"{name}.xml").read_text(encoding="utf-8").strip()
    return text.format(**(defaults | {k: str(v) for k, v in fields.items()}))


@dataclass
class Call:
    """One request the bot made: its path, query and JSON body."""

    path: str
    query: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class FakeWechatServer:
    """`async with FakeWechatServer() as wx:` then point `wechat.api_base` at `wx.base_url`."""

    app_id: str = APP_ID
    app_secret: str = APP_SECRET
    calls: list[Call] = field(default_factory=list)
    accepted: list[Call] = field(default_factory=list)  # messages answered errcode 0
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # media_id → (bytes, type)
    failures: dict[str, list[int]] = field(default_factory=dict)  # path → errcodes to answer
    held: set[str] = field(default_factory=set)  # paths that never answer (until shutdown)
    base_url: str = ""

    def __post_init__(self) -> None:
        self._serial = itertools.count(1)
        self._valid: set[str] = set()
        self._changed = asyncio.Condition()
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeWechatServer:
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._message)
        app.router.add_post("/cgi-bin/message/template/send", self._message)
        app.router.add_get("/cgi-bin/media/get", self._media)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- test controls -------------------------------------------------------------

    def fail(self, path: str, *errcodes: int) -> None:
        """The next calls to `path` answer these errcodes, one each, in order."""
        self.failures.setdefault(path, []).extend(errcodes)

    def revoke_tokens(self) -> None:
        """Every token issued so far becomes invalid (WeChat answers 40001)."""
        self._valid.clear()

    def sent(self, kind: str = "custom") -> list[dict[str, Any]]:
        """Bodies of the messages accepted so far: `custom` or `template`."""
        path = f"/cgi-bin/message/{kind}/send"
        return [c.body for c in self.accepted if c.path == path and c.body is not None]

    def count(self, path: str) -> int:
        """How many requests reached `path`."""
        return sum(1 for c in self.calls if c.path == path)

    async def wait_for(self, path: str, count: int = 1, timeout: float = 10.0) -> None:
        """Until `count` requests reached `path` (bounded, so a broken test fails, not hangs)."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self.count(path) >= count), timeout
            )

    # --- the API -------------------------------------------------------------------

    async def _record(self, request: web.Request, body: dict[str, Any] | None) -> Call:
        call = Call(request.path, dict(request.query), body)
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()
        if request.path in self.held:
            await self._release.wait()
        return call

    def _failure(self, path: str) -> int:
        queued = self.failures.get(path) or []
        return queued.pop(0) if queued else 0

    async def _token(self, request: web.Request) -> web.Response:
        q = request.query
        await self._record(request, None)
        if q.get("appid") != self.app_id or q.get("secret") != self.app_secret:
            return _error(40125, "invalid appsecret")
        code = self._failure(request.path)
        if code:
            return _error(code, "token refused")
        token = f"ACCESS_TOKEN_{next(self._serial)}"
        self._valid = {token}  # a new token invalidates the previous one
        return web.json_response({"access_token": token, "expires_in": 7200})

    async def _message(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw.decode("utf-8"))
        call = await self._record(request, body)
        if request.query.get("access_token") not in self._valid:
            return _error(40001, "invalid credential, access_token is invalid or not latest")
        code = self._failure(request.path)
        if code:
            return _error(code, "chosen failure")
        self.accepted.append(call)
        return web.json_response({"errcode": 0, "errmsg": "ok", "msgid": next(self._serial)})

    async def _media(self, request: web.Request) -> web.StreamResponse:
        await self._record(request, None)
        if request.query.get("access_token") not in self._valid:
            return _error(40001, "invalid credential")
        found = self.media.get(request.query.get("media_id", ""))
        if found is None:
            return _error(40007, "invalid media_id")
        content, ctype = found
        return web.Response(body=content, content_type=ctype)


def _error(code: int, message: str) -> web.Response:
    # The real API answers errors as JSON labelled text/plain.
    return web.Response(text=json.dumps({"errcode": code, "errmsg": message}), content_type="text/plain")


class WechatCallbacks:
    """WeChat's other half: signs (and in safe mode encrypts, with wechatpy) callbacks to our
    webhook through an aiohttp test client, and reads the passive replies back."""

    def __init__(self, client: Any, token: str, now: Any, crypto: Any | None = None) -> None:
        self.client = client  # aiohttp.test_utils.TestClient
        self.token = token
        self.now = now  # () -> aware datetime: the clock the server checks timestamps against
        self.crypto = crypto  # wechatpy.crypto.WeChatCrypto for safe mode, None for plain
        self._nonces = itertools.count(1)

    def query(self, timestamp: str | None = None, nonce: str | None = None) -> dict[str, str]:
        """A correctly signed callback query."""
        ts = timestamp or str(int(self.now().timestamp()))
        nonce = nonce or f"n{next(self._nonces)}"
        signature = hashlib.sha1("".join(sorted([self.token, ts, nonce])).encode()).hexdigest()
        return {"signature": signature, "timestamp": ts, "nonce": nonce, "openid": "o"}

    async def post(self, message: str | bytes, **query: str) -> tuple[int, str]:
        """POST one message (encrypted in safe mode); (status, body text)."""
        q = self.query(query.pop("timestamp", None), query.pop("nonce", None))
        body = message
        if self.crypto is not None:
            text = message.decode() if isinstance(message, bytes) else message
            body = self.crypto.encrypt_message(text, q["nonce"], q["timestamp"])
            q["msg_signature"] = _between(str(body), "<MsgSignature><![CDATA[", "]]>")
            q["encrypt_type"] = "aes"
        q.update(query)
        resp = await self.client.post("/webhook/wechat", params=q, data=body)
        return resp.status, await resp.text()

    def content(self, reply: str) -> str | None:
        """The text of a passive reply (decrypted with wechatpy in safe mode); None for `success`."""
        if reply in ("success", ""):
            return None
        if self.crypto is not None:
            envelope = xmltodict.parse(reply)["xml"]
            reply = self.crypto.decrypt_message(
                reply, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
            )
        fields = xmltodict.parse(reply)["xml"]
        assert fields["MsgType"] == "text"
        return str(fields["Content"])


def _between(text: str, start: str, end: str) -> str:
    head = text.index(start) + len(start)
    return text[head:text.index(end, head)]


@dataclass
class Served:
    """A running webhook: its object (to drain), the callback sender, and WeChat's API side."""

    webhook: WechatWebhook
    wechat: WechatCallbacks


@asynccontextmanager
async def serve_webhook(deps: Deps, settings: WechatSettings) -> AsyncIterator[Served]:
    """Our webhook on loopback, with `WechatCallbacks` signing (and encrypting) for WeChat."""
    webhook = WechatWebhook(settings, deps, WechatApi(settings, deps, MemoryLockStore()))
    app = web.Application()
    app.router.add_routes(webhook.routes())
    crypto = (
        WeChatCrypto(settings.token, settings.encoding_aes_key, settings.app_id)
        if settings.encoding_aes_key
        else None
    )
    try:
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            yield Served(webhook, WechatCallbacks(client, settings.token, deps.clock, crypto))
    finally:
        await webhook.close()
