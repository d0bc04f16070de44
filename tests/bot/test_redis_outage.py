"""Redis stalled or gone: requests fail fast, the chat degrades to the database, /healthz says so."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App, build_app, upgrade_db
from bot.config import Settings
from bot.http import build_web_app
from handlers.texts import t
from storage.stores.fallback import Breaker, FallbackClaimStore, FallbackKeyValueStore
from storage.stores.memory import MemoryClaimStore, MemoryKeyValueStore
from tests.chat import FakeClock

# A guard against the old behaviour (a request hanging on Redis for ever), not a timing test.
HANG_GUARD_SECONDS = 60


@pytest.fixture
def stalled_redis() -> Iterator[str]:
    """A TCP server that accepts connections and never answers: Redis stalled."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def gone_redis() -> str:
    """A port nobody listens on: Redis down (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def make_client(tmp_path: Path, parser: object, clock: FakeClock) -> Iterator[Any]:
    made: list[tuple[TestClient, App]] = []

    async def factory(redis_url: str) -> tuple[TestClient, App]:
        settings = Settings(
            database={"url": f"sqlite:///{tmp_path / 'outage.sqlite3'}"},
            redis={"url": redis_url, "timeout_seconds": 0.2, "connect_timeout_seconds": 0.2},
            web={"secret_file": tmp_path / "web_secret", "demo_mode": True},
        )
        upgrade_db(settings)
        app = build_app(settings, parser=parser, clock=clock)  # type: ignore[arg-type]
        client = TestClient(TestServer(build_web_app(app, plugins=()), host="127.0.0.1"))
        await client.start_server()
        made.append((client, app))
        return client, app

    yield factory
    for _, app in made:
        app.close()


async def _chat(client: TestClient, text: str) -> tuple[int, dict[str, Any]]:
    response = await asyncio.wait_for(
        client.post("/api/chat", json={"user": "u-1", "text": text}), HANG_GUARD_SECONDS
    )
    return response.status, await response.json()


@pytest.mark.parametrize("which", ["stalled_redis", "gone_redis"])
async def test_chat_keeps_answering_and_keeps_its_dialogue(
    make_client: Any, which: str, request: pytest.FixtureRequest
) -> None:
    client, _ = await make_client(request.getfixturevalue(which))
    try:
        status, body = await _chat(client, "卫生间漏水")
        assert status == 200 and body["replies"]
        # The repair flow's question was kept (in the database): the answer continues it.
        status, body = await _chat(client, "2")
        assert status == 200
        assert "error" not in body and body["replies"]
        texts = " ".join(r["text"] for r in body["replies"])
        assert texts != t("error_generic", "zh") and "系统开小差" not in texts
    finally:
        await client.close()


async def test_healthz_reports_redis_separately(make_client: Any, stalled_redis: str) -> None:
    client, _ = await make_client(stalled_redis)
    try:
        response = await asyncio.wait_for(client.get("/healthz"), HANG_GUARD_SECONDS)
        body = await response.json()
        assert response.status == 200  # the chat still works on the database
        assert body["db"] is True and body["redis"] is False and body["status"] == "degraded"
    finally:
        await client.close()


def test_every_redis_call_is_bounded(stalled_redis: str) -> None:
    from storage.stores.redis_store import connect

    client = connect(stalled_redis, timeout=0.2, connect_timeout=0.2)
    with pytest.raises(redis.TimeoutError):
        client.get("x")
    client.close()


class _Down:
    calls = 0

    def __getattr__(self, name: str) -> Any:
        def fail(*_: Any) -> Any:
            _Down.calls += 1
            raise redis.ConnectionError("down")

        return fail


def test_fallback_uses_the_second_store_while_the_first_is_down() -> None:
    now = [0.0]
    breaker = Breaker((redis.ConnectionError,), cooldown=5, monotonic=lambda: now[0])
    primary_kv = MemoryKeyValueStore()
    kv = FallbackKeyValueStore(_Down(), MemoryKeyValueStore(), breaker)  # type: ignore[arg-type]
    kv.set("k", {"a": 1}, 60)
    assert kv.get("k") == {"a": 1}
    assert _Down.calls == 1  # the breaker skipped the dead store after the first failure
    claims = FallbackClaimStore(_Down(), MemoryClaimStore(), breaker)  # type: ignore[arg-type]
    assert claims.claim("c", 60) and not claims.claim("c", 60)
    now[0] = 6.0  # after the cooldown the first store is tried again
    kv.primary = primary_kv
    kv.set("k", {"a": 2}, 60)
    assert primary_kv.get("k") == {"a": 2}


async def test_dialogue_state_is_kept_in_the_database_meanwhile(make_client: Any, gone_redis: str) -> None:
    from sqlalchemy import select

    from storage.models import KeyValueEntry

    client, app = await make_client(gone_redis)
    try:
        status, body = await _chat(client, "我要交物业费")
        assert status == 200 and body["replies"]
        with app.session_factory() as session:
            keys = list(session.scalars(select(KeyValueEntry.key)))
        assert any(key.startswith(("kv:dialogue:", "kv:recent:")) for key in keys), keys
    finally:
        await client.close()
