"""A fake Telegram Bot API server on loopback, driven by the real aiogram client in tests.

It implements the handful of methods the bot uses, records every call, serves queued
updates to `getUpdates`, serves file downloads, and fails chosen calls on demand
(429 with `retry_after`, 403 blocked, 400 chat not found, 500).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "物业管家", "username": "wuye_test_bot"}
JSON_FIELDS = frozenset({"reply_markup", "commands", "allowed_updates", "scope"})


@dataclass
class Call:
    """One request the bot made: the method name and its decoded parameters."""

    method: str
    params: dict[str, Any]


@dataclass
class Failure:
    status: int
    description: str
    retry_after: int | None = None


@dataclass
class FakeTelegramServer:
    """`async with FakeTelegramServer() as tg:` then `Bot(tg.token, session=...tg.base_url...)`."""

    token: str = "123456789:TESTTOKEN-fake_server"
    max_poll_wait: float = 0.2  # getUpdates long-polls at most this long, whatever was asked
    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id → (path, bytes)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    stalls: dict[str, list[float]] = field(default_factory=dict)  # method → seconds to sit on it
    base_url: str = ""

    def __post_init__(self) -> None:
        self._ids = itertools.count(1000)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeTelegramServer:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- test controls -------------------------------------------------------------

    def queue_update(self, update: dict[str, Any]) -> None:
        """Make `update` available to the next getUpdates."""
        self.updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())

    def add_file(self, file_id: str, content: bytes, file_path: str = "") -> None:
        """Register a file that getFile describes and the download path serves."""
        self.files[file_id] = (file_path or f"photos/{file_id}.jpg", content)

    def fail_next(
        self, method: str, status: int = 429, description: str = "", retry_after: int | None = None
    ) -> None:
        """The next call of `method` answers with this error instead of succeeding."""
        if status == 429 and retry_after is None:
            retry_after = 5
        text = description or {
            429: f"Too Many Requests: retry after {retry_after}",
            403: "Forbidden: bot was blocked by the user",
            400: "Bad Request: chat not found",
        }.get(status, "Internal Server Error")
        self.failures.setdefault(method, []).append(Failure(status, text, retry_after))

    def stall_next(self, method: str, seconds: float) -> None:
        """The next call of `method` is carried out (recorded) but answered only after `seconds`:
        the client times out while the message has in fact been delivered."""
        self.stalls.setdefault(method, []).append(seconds)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call of `method`, oldest first."""
        return [c.params for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until `method` was called `count` times (the timeout only guards a hung test)."""
        await self.wait_until(lambda: len(self.calls_to(method)) >= count, timeout)
        return self.calls_to(method)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate()` holds, re-checked after every call the server records."""

        async def reached() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(reached(), timeout)

    # --- HTTP ----------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _params(request)
        queued = self.failures.get(method)
        if queued:
            failure = queued.pop(0)
            self.calls.append(Call(method, params))
            await self._notify()
            return _error(failure.status, failure.description, failure.retry_after)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result = await handler(params)
        # Record after the result is ready, so a test that saw the call sees its effects.
        self.calls.append(Call(method, params))
        await self._notify()
        stalls = self.stalls.get(method)
        if stalls:
            await asyncio.sleep(stalls.pop(0))
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        for file_path, content in self.files.values():
            if file_path == path:
                self.calls.append(Call("download", {"path": path}))
                await self._notify()
                return web.Response(body=content, content_type="image/jpeg")
        return web.Response(status=404)

    # --- methods -------------------------------------------------------------------

    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        return self._message(params, text=params.get("text", ""))

    async def _m_sendphoto(self, params: dict[str, Any]) -> Any:
        photo = [{"file_id": "sent-photo", "file_unique_id": "sent", "width": 640, "height": 480}]
        return self._message(params, photo=photo, caption=params.get("caption"))

    async def _m_getfile(self, params: dict[str, Any]) -> Any:
        file_id = params.get("file_id", "")
        if file_id not in self.files:
            raise web.HTTPBadRequest(
                text=json.dumps({"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}),
                content_type="application/json",
            )
        path, content = self.files[file_id]
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(content), "file_path": path}

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates:
            wait = min(float(params.get("timeout") or 0), self.max_poll_wait)
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(self.updates)), wait)
        return self.updates[:100]

    def _message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        body = {k: v for k, v in content.items() if v is not None}
        return {
            "message_id": next(self._ids),
            "date": 1795000000,
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            **body,
        }


async def _params(request: web.Request) -> dict[str, Any]:
    """Decode form/multipart/JSON parameters; JSON-valued fields are decoded too."""
    if request.content_type == "application/json":
        return dict(await request.json())
    form = await request.post()
    out: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            out[key] = {"filename": value.filename, "size": len(value.file.read())}
        elif key in JSON_FIELDS:
            out[key] = json.loads(str(value))
        else:
            out[key] = str(value)
    # Uploaded files travel as a separate part named by an `attach://NAME` value.
    for key, value in list(out.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            out[key] = out.pop(value.removeprefix("attach://"), value)
    return out


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


# --- update builders -----------------------------------------------------------------

def _user(user_id: int, language_code: str) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Jianguo", "last_name": "Wang",
            "language_code": language_code}


def message_update(
    update_id: int, chat_id: int = 5550001, language_code: str = "zh-hans",
    chat_type: str = "private", **content: Any,
) -> dict[str, Any]:
    """An update carrying one message; `content` is e.g. text=..., photo=[...], location={...}."""
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = "Jianguo"
    else:
        chat["title"] = "3号楼业主群"
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id + 10,
            "date": 1795000000,
            "chat": chat,
            "from": _user(chat_id if chat_type == "private" else 5550999, language_code),
            **content,
        },
    }


def text_update(update_id: int, text: str, chat_id: int = 5550001, **kw: Any) -> dict[str, Any]:
    """A private text message (commands get their `bot_command` entity, as Telegram sends them)."""
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        length = len(text.split()[0])
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return message_update(update_id, chat_id, **kw, **content)


def photo_update(update_id: int, file_id: str, chat_id: int = 5550001, caption: str = "") -> dict[str, Any]:
    """A photo in three sizes; the largest is `file_id`."""
    sizes = [
        {"file_id": f"{file_id}-s", "file_unique_id": "s", "width": 90, "height": 67, "file_size": 1200},
        {"file_id": f"{file_id}-m", "file_unique_id": "m", "width": 320, "height": 240, "file_size": 9000},
        {"file_id": file_id, "file_unique_id": f"u-{file_id}", "width": 1280, "height": 960, "file_size": 90000},
    ]
    extra = {"caption": caption} if caption else {}
    return message_update(update_id, chat_id, photo=sizes, **extra)


def callback_update(
    update_id: int, data: str, chat_id: int = 5550001, message_id: int = 42, language_code: str = "zh-hans",
) -> dict[str, Any]:
    """A pressed inline button under the bot's message `message_id`."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cq{update_id}",
            "from": _user(chat_id, language_code),
            "chat_instance": "ci-1",
            "data": data,
            "message": {
                "message_id": message_id, "date": 1795000000, "from": BOT_USER,
                "chat": {"id": chat_id, "type": "private", "first_name": "Jianguo"}, "text": "…",
            },
        },
    }


def membership_update(update_id: int, blocked: bool, chat_id: int = 5550001) -> dict[str, Any]:
    """The user blocked (`blocked=True`) or unblocked the bot in their private chat."""
    member = {"status": "member", "user": BOT_USER}
    kicked = {"status": "kicked", "user": BOT_USER, "until_date": 0}
    return {
        "update_id": update_id,
        "my_chat_member": {
            "chat": {"id": chat_id, "type": "private", "first_name": "Jianguo"},
            "from": _user(chat_id, "zh-hans"),
            "date": 1795000000,
            "old_chat_member": member if blocked else kicked,
            "new_chat_member": kicked if blocked else member,
        },
    }
