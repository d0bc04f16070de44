"""A fake WeCom API server on loopback, and WeCom's other half: signed, encrypted callbacks.

The server issues access tokens, records app messages (answering a chosen errcode on
request, `fail`), serves media, and can revoke every token (`revoke_tokens`). The callback
side encrypts with wechatpy's enterprise crypto, as WeCom does, and posts to our webhook.
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
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.channels.wecom.adapter import WecomWebhook
from bot.channels.wecom.api import WecomApi
from bot.config import WecomSettings
from handlers.deps import Deps
from storage.stores.memory import MemoryLockStore

CORP_ID = "ww5823bf96d3bd56c7"
AGENT_ID = 1000002
SECRET = "app-secret"
TOKEN = "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
DATA = Path(__file__).parents[1] / "data" / "wecom"
SEND = "/cgi-bin/message/send"


def wecom_settings(base_url: str, **extra: object) -> WecomSettings:
    """The channel's settings pointed at the fake API."""
    values: dict[str, object] = {
        "corp_id": CORP_ID, "agent_id": AGENT_ID, "secret": SECRET, "token": TOKEN,
        "encoding_aes_key": AES_KEY, "api_base": base_url,
    }
    return WecomSettings(**(values | extra))


def payload(name: str, **fields: object) -> str:
    """A recorded callback (decrypted form) from tests/data/wecom with its placeholders filled."""
    defaults = {
        "corp_id": CORP_ID, "agent_id": AGENT_ID, "userid": "zhangsan", "create_time": "1795744800",
        "msg_id": "1", "content": "", "media_id": "", "event": "", "event_key": "",
        "task_id": "task1",
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
class FakeWecomServer:
    """`async with FakeWecomServer() as wc:` then point `wecom.api_base` at `wc.base_url`."""

    corp_id: str = CORP_ID
    secret: str = SECRET
    calls: list[Call] = field(default_factory=list)
    accepted: list[Call] = field(default_factory=list)  # messages answered errcode 0
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    failures: dict[str, list[int]] = field(default_factory=dict)  # path → errcodes to answer
    invalid_users: set[str] = field(default_factory=set)  # answered 0 with `invaliduser`
    held: set[str] = field(default_factory=set)  # paths that do not answer until `release()`
    base_url: str = ""

    def __post_init__(self) -> None:
        self._serial = itertools.count(1)
        self._valid: set[str] = set()
        self._changed = asyncio.Condition()
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeWecomServer:
        app = web.Application()
        app.router.add_get("/cgi-bin/gettoken", self._token)
        app.router.add_post(SEND, self._send)
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
        """Every token issued so far becomes invalid (WeCom answers 42001)."""
        self._valid.clear()

    def release(self) -> None:
        """Let held requests answer."""
        self._release.set()

    def sent(self) -> list[dict[str, Any]]:
        """Bodies of the app messages accepted so far."""
        return [c.body for c in self.accepted if c.body is not None]

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
        if q.get("corpid") != self.corp_id:
            return _error(40013, "invalid corpid")
        if q.get("corpsecret") != self.secret:
            return _error(40001, "invalid secret")
        code = self._failure(request.path)
        if code:
            return _error(code, "token refused")
        token = f"WECOM_TOKEN_{next(self._serial)}"
        self._valid.add(token)  # unlike WeChat, a new WeCom token leaves the old one valid
        return web.json_response(
            {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        )

    async def _send(self, request: web.Request) -> web.Response:
        body = json.loads((await request.read()).decode("utf-8"))
        call = await self._record(request, body)
        if request.query.get("access_token") not in self._valid:
            return _error(42001, "access_token expired")
        code = self._failure(request.path)
        if code:
            return _error(code, "chosen failure")
        answer: dict[str, Any] = {"errcode": 0, "errmsg": "ok", "msgid": f"msg{next(self._serial)}"}
        if body.get("touser") in self.invalid_users:
            answer["invaliduser"] = body["touser"]
        else:
            self.accepted.append(call)
        if body.get("msgtype") == "template_card":
            answer["response_code"] = f"RC{next(self._serial)}"
        return web.json_response(answer)

    async def _media(self, request: web.Request) -> web.StreamResponse:
        await self._record(request, None)
        if request.query.get("access_token") not in self._valid:
            return _error(42001, "access_token expired")
        found = self.media.get(request.query.get("media_id", ""))
        if found is None:
            return _error(40007, "invalid media_id")
        content, ctype = found
        return web.Response(body=content, content_type=ctype)


def _error(code: int, message: str) -> web.Response:
    return web.json_response({"errcode": code, "errmsg": message})


def sign(*parts: str) -> str:
    """WeCom's msg_signature: SHA-1 of the parts sorted and joined."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


class WecomCallbacks:
    """WeCom's side of the callback: encrypts (wechatpy) and signs messages to our webhook."""

    def __init__(self, client: Any, settings: WecomSettings, now: Any) -> None:
        self.client = client  # aiohttp.test_utils.TestClient
        self.now = now  # () -> aware datetime: the clock the server checks timestamps against
        self.token = settings.token
        self.crypto = WeChatCrypto(settings.token, settings.encoding_aes_key, settings.corp_id)
        self._nonces = itertools.count(1)

    def timestamp(self) -> str:
        return str(int(self.now().timestamp()))

    async def post(self, message: str, **query: str) -> tuple[int, str]:
        """POST one message as WeCom would: encrypted and signed; (status, body)."""
        ts = query.pop("timestamp", None) or self.timestamp()
        nonce = query.pop("nonce", None) or f"n{next(self._nonces)}"
        envelope = self.crypto.encrypt_message(message, nonce, ts)
        fields = xmltodict.parse(envelope)["xml"]
        body = (
            f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
            f"<Encrypt><![CDATA[{fields['Encrypt']}]]></Encrypt>"
            f"<AgentID><![CDATA[{AGENT_ID}]]></AgentID></xml>"
        )
        params = {"msg_signature": fields["MsgSignature"], "timestamp": ts, "nonce": nonce}
        return await self.raw(body, **(params | query))

    async def raw(self, body: str | bytes, **query: str) -> tuple[int, str]:
        """POST `body` as it is, with `query` as it is."""
        resp = await self.client.post("/webhook/wecom", params=query, data=body)
        return resp.status, await resp.text()

    def signed_query(self, encrypt: str) -> dict[str, str]:
        """A correct query for a body whose <Encrypt> is `encrypt`."""
        ts, nonce = self.timestamp(), f"n{next(self._nonces)}"
        return {"msg_signature": sign(self.token, ts, nonce, encrypt), "timestamp": ts, "nonce": nonce}


@dataclass
class Served:
    """A running webhook: its object (to drain), and WeCom's callback side."""

    webhook: WecomWebhook
    wecom: WecomCallbacks


@asynccontextmanager
async def serve_webhook(deps: Deps, settings: WecomSettings) -> AsyncIterator[Served]:
    """Our webhook on loopback, with `WecomCallbacks` encrypting and signing for WeCom."""
    webhook = WecomWebhook(settings, deps, WecomApi(settings, deps, MemoryLockStore()))
    app = web.Application()
    app.router.add_routes(webhook.routes())
    try:
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            yield Served(webhook, WecomCallbacks(client, settings, deps.clock))
    finally:
        await webhook.close()
