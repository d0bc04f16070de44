"""A fake WeChat API server on loopback: issues access tokens, records messages, serves media.

Like the real one, fetching a token invalidates the previous one; any call can be made to
answer a chosen errcode (`fail`), and every token can be revoked at once (`revoke_tokens`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

APP_ID = "wx2c2769f8efd9abc2"
APP_SECRET = "test-secret"


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
