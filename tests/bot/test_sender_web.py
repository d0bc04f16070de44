"""Pushes to web chat users: the inbox, `GET /api/updates`, and the sender inside `serve`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App, build_app, upgrade_db
from bot.channels import web
from bot.channels.web_inbox import WebInbox
from bot.config import Settings
from bot.deliverers import Target
from bot.http import build_web_app
from storage.models import ChannelIdentity
from storage.stores.memory import MemoryKeyValueStore, MemoryLockStore
from tests.bot.sender_kit import queue
from tests.chat import FakeClock
from tests.factories import bind_identity, build_world


def inbox(keep: int = 50) -> WebInbox:
    return WebInbox(MemoryKeyValueStore(), MemoryLockStore(), keep=keep)


async def test_a_push_lands_in_the_user_s_inbox_once() -> None:
    box = inbox()
    payload = {"text": "停水通知", "buttons": [{"title": "查看", "payload": "/query_notice"}]}
    target = Target(7, 1, "web", "wang")
    assert (await box.deliver(target, payload, "notice")).status == "sent"
    assert (await box.deliver(target, payload, "notice")).status == "sent"  # re-sent after a crash
    items, last = box.since("wang", 0)
    assert last == 1 and len(items) == 1
    assert items[0]["text"] == "停水通知" and items[0]["buttons"][0]["payload"] == "/query_notice"
    assert "id" not in items[0]
    assert box.since("wang", 1) == ([], 1) and box.since("li", 0) == ([], 0)


async def test_the_inbox_keeps_the_newest_items() -> None:
    box = inbox(keep=3)
    for i in range(5):
        await box.deliver(Target(i, 1, "web", "wang"), {"text": f"#{i}"}, "notice")
    items, last = box.since("wang", 0)
    assert last == 5 and [i["text"] for i in items] == ["#2", "#3", "#4"]


async def test_a_busy_inbox_asks_to_retry() -> None:
    box = inbox()
    assert box.locks.acquire("web-inbox:wang", "someone-else", 10)
    result = await box.deliver(Target(1, 1, "web", "wang"), {"text": "x"}, "notice")
    assert result.status == "retry_after" and result.retry_after > 0


@pytest.fixture
def make_app(tmp_path: Path, clock: FakeClock) -> Iterator[Any]:
    apps: list[App] = []

    def factory(**options: Any) -> App:
        settings = Settings(
            database={"url": f"sqlite:///{tmp_path / 'web.sqlite3'}"},
            web={"secret_file": tmp_path / "web_secret", "demo_mode": True, **options.pop("web", {})},
            **options,
        )
        upgrade_db(settings)
        app = build_app(settings, parser=object(), clock=clock)  # type: ignore[arg-type]
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.close()


async def client_for(app: App, plugins: tuple[str, ...]) -> TestClient:
    client = TestClient(TestServer(build_web_app(app, plugins=plugins), host="127.0.0.1"))
    await client.start_server()
    return client


async def test_updates_endpoint_in_demo_mode(make_app: Any) -> None:
    app = make_app()
    WebInbox(app.stores.kv, app.stores.locks).put("wang", 3, {"text": "电梯停运"}, "notice")
    client = await client_for(app, ("bot.channels.web_inbox",))
    try:
        resp = await client.get("/api/updates", params={"user": "wang"})
        body = await resp.json()
        assert resp.status == 200 and body["last"] == 1
        assert body["updates"][0]["text"] == "电梯停运"
        assert (await (await client.get("/api/updates?user=wang&after=1")).json())["updates"] == []
        assert (await client.get("/api/updates?user=a%20b")).status == 400
        assert (await client.get("/api/updates?user=wang&after=-1")).status == 400
    finally:
        await client.close()


async def test_updates_need_the_user_s_token_outside_demo_mode(make_app: Any, clock: FakeClock) -> None:
    app = make_app(web={"demo_mode": False, "secret": "s3cret"})
    client = await client_for(app, ("bot.channels.web_inbox",))
    token = web.make_token(b"s3cret", "wang", clock() + timedelta(days=1))
    other = web.make_token(b"s3cret", "li", clock() + timedelta(days=1))
    try:
        assert (await client.get("/api/updates", params={"user": "wang"})).status == 401
        assert (await client.get("/api/updates", params={"user": "wang", "token": other})).status == 401
        ok = await client.get("/api/updates", params={"user": "wang", "token": token})
        assert ok.status == 200
        bearer = await client.get("/api/updates?user=wang", headers={"Authorization": f"Bearer {token}"})
        assert bearer.status == 200
    finally:
        await client.close()


async def test_serve_runs_the_sender_and_the_page_gets_the_push(make_app: Any, clock: FakeClock) -> None:
    app = make_app(sender={"poll_seconds": 0.05})
    with app.deps.uow() as uow:
        world = build_world(uow)
        ident = bind_identity(uow, "web", "wang", clock(), owner_id=world.owner_ids["13812345678"])
        uow.commit()
    client = await client_for(app, ("bot.channels.web_inbox", "bot.sender"))
    try:
        queue(app.deps.uow, [ident], clock(), kind="ticket_update", text="您的报修已完成")
        for _ in range(200):  # the timeout only guards a hung test
            body = await (await client.get("/api/updates?user=wang")).json()
            if body["updates"]:
                break
            await asyncio.sleep(0.05)
        assert body["updates"][0]["text"].startswith("您的报修已完成")
    finally:
        await client.close()  # on_shutdown stops the sender
    with app.deps.uow() as uow:
        assert uow.outbox.status_counts() == {"sent": 1}
        identity = uow.session.get(ChannelIdentity, ident)
        assert identity is not None and identity.reachable
