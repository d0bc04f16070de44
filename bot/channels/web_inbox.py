"""Pushes to web chat users: a small inbox per user that the page polls.

The sender's `deliver()` appends to `web-inbox:<user>` in the shared KV store (under a
short lock, so two processes never lose each other's append); `GET /api/updates` returns
what came after the sequence number the page last saw, with /api/chat's token rules.
An item carries its outbox id, so a push re-sent after a crash is stored once.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.app import App
from bot.channels import web as web_channel
from bot.deliverers import Result, Target
from storage.stores import KeyValueStore, LockStore

KEEP = 50  # newest items kept per user; the page shows them on first open
TTL_SECONDS = 30 * 24 * 3600
LOCK_SECONDS = 10
BUSY_RETRY_SECONDS = 1.0


def inbox_key(user: str) -> str:
    """The KV key of one web user's inbox."""
    return f"web-inbox:{user}"


class WebInbox:
    """The web channel's deliverer (see bot.deliverers.Deliverer)."""

    rate_key = "web"
    pauses_channel = False

    def __init__(
        self, kv: KeyValueStore, locks: LockStore, keep: int = KEEP,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.kv = kv
        self.locks = locks
        self.keep = keep
        self.clock = clock

    async def deliver(self, target: Target, payload: Mapping[str, Any], kind: str) -> Result:
        """Append the push to the user's inbox; `retry_after` while another append holds it."""
        stored = await asyncio.to_thread(self.put, target.external_id, target.message_id, payload, kind)
        if not stored:
            return Result("retry_after", BUSY_RETRY_SECONDS, "inbox busy")
        return Result("sent")

    async def close(self) -> None:
        """Nothing to release: the stores belong to the App."""

    def put(self, user: str, message_id: int, payload: Mapping[str, Any], kind: str) -> bool:
        """Append one item (once per outbox id); False when the inbox is locked right now."""
        owner = secrets.token_hex(8)
        lock = inbox_key(user)
        if not self.locks.acquire(lock, owner, LOCK_SECONDS):
            return False
        try:
            box = self.kv.get(inbox_key(user)) or {"seq": 0, "items": []}
            if any(item.get("id") == message_id for item in box["items"]):
                return True  # delivered before a crash: already there
            box["seq"] += 1
            item = _item(box["seq"], message_id, payload, kind, self.clock())
            box["items"] = [*box["items"], item][-self.keep:]
            self.kv.set(inbox_key(user), box, TTL_SECONDS)
            return True
        finally:
            self.locks.release(lock, owner)

    def since(self, user: str, after: int) -> tuple[list[dict[str, Any]], int]:
        """Items newer than sequence number `after`, and the newest sequence number."""
        box = self.kv.get(inbox_key(user)) or {"seq": 0, "items": []}
        items = [_public(item) for item in box["items"] if item["seq"] > after]
        return items, int(box["seq"])


def _item(
    seq: int, message_id: int, payload: Mapping[str, Any], kind: str, now: datetime
) -> dict[str, Any]:
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in payload.get("buttons") or () if isinstance(b, Mapping)
    ]
    item: dict[str, Any] = {
        "seq": seq, "id": message_id, "kind": kind, "text": str(payload.get("text") or ""),
        "buttons": buttons, "at": now.isoformat(timespec="seconds"),
    }
    if payload.get("image"):
        item["image"] = str(payload["image"])
    return item


def _public(item: Mapping[str, Any]) -> dict[str, Any]:
    # The outbox id is ours; the page gets the reply shape of /api/chat plus seq, kind, at.
    return {k: v for k, v in item.items() if k != "id"}


class UpdatesEndpoint:
    """`GET /api/updates?user=U&after=N[&token=T]` → {"updates": [...], "last": seq}."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.inbox = WebInbox(app.stores.kv, app.stores.locks, clock=app.deps.clock)
        self.auth = web_channel.WebAuth(app)

    async def handle(self, request: web.Request) -> web.Response:
        """Validate like /api/chat, then read the inbox off the event loop."""
        user = request.query.get("user", "")
        if not web_channel.valid_user_id(user):
            return _error(400, "bad_request", "user must be 1-64 letters, digits or _ . : @ -")
        after_text = request.query.get("after", "0")
        if not after_text.isdigit() or len(after_text) > 12:
            return _error(400, "bad_request", "after must be a non-negative integer")
        token = request.query.get("token") or _bearer(request)
        if not self.auth.allows(request, user, token):
            return _error(401, "unauthorized", "a valid token for this user is required")
        items, last = await asyncio.to_thread(self.inbox.since, user, int(after_text))
        return web.json_response(
            {"updates": items, "last": last}, headers={"Cache-Control": "no-store"},
            dumps=lambda obj: json.dumps(obj, ensure_ascii=False),
        )


def _bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)


def setup(web_app: web.Application, app: App) -> None:
    """HTTP plugin hook: mount `GET /api/updates`."""
    web_app.router.add_get("/api/updates", UpdatesEndpoint(app).handle)
