"""Demo mode is an explicit choice and trusts the request, not the network (issue 8)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App, build_app, upgrade_db
from bot.config import Settings, load_settings
from bot.http import build_web_app
from tests.chat import FakeClock

PLUGINS = ("bot.channels.web_inbox", "bot.channels.web_pay")


@pytest.fixture
def make_client(tmp_path: Path, parser: object, clock: FakeClock) -> Iterator[Any]:
    made: list[tuple[TestClient, App]] = []

    async def factory(**web_options: Any) -> TestClient:
        settings = Settings(
            database={"url": f"sqlite:///{tmp_path / 'demo.sqlite3'}"},
            web={"secret_file": tmp_path / "web_secret", **web_options},
        )
        upgrade_db(settings)
        app = build_app(settings, parser=parser, clock=clock)  # type: ignore[arg-type]
        client = TestClient(TestServer(build_web_app(app, plugins=PLUGINS), host="127.0.0.1"))
        await client.start_server()
        made.append((client, app))
        return client

    yield factory
    for _, app in made:
        app.close()


@pytest.fixture
async def demo(make_client: Any) -> AsyncIterator[TestClient]:
    client = await make_client(demo_mode=True)
    yield client
    await client.close()


def test_default_config_and_committed_file_are_not_demo() -> None:
    assert Settings().demo_mode is False
    assert load_settings(Path("config.yaml")).web.demo_mode is False


def test_make_run_and_only_make_run_asks_for_demo_mode() -> None:
    makefile = Path("Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "WUYE_WEB__DEMO_MODE=true" in run and "serve" in run
    dockerfile = Path("Dockerfile").read_text(encoding="utf-8")
    assert "WUYE_WEB__DEMO_MODE=true" not in dockerfile


async def test_default_config_needs_a_token_even_on_loopback(make_client: Any) -> None:
    client = await make_client()
    try:
        chat = await client.post("/api/chat", json={"user": "demo", "text": "你好"})
        updates = await client.get("/api/updates", params={"user": "demo"})
        pay = await client.get("/pay/WY20261127100000abcd")
        assert (chat.status, updates.status, pay.status) == (401, 401, 401)
    finally:
        await client.close()


async def test_demo_mode_serves_plain_loopback_requests(demo: TestClient) -> None:
    chat = await demo.post("/api/chat", json={"user": "demo", "text": "你好"})
    updates = await demo.get("/api/updates", params={"user": "demo"})
    assert (chat.status, updates.status) == (200, 200)


@pytest.mark.parametrize(
    "header",
    [
        {"X-Forwarded-For": "203.0.113.9"},
        {"Forwarded": "for=203.0.113.9;proto=https"},
        {"X-Real-IP": "203.0.113.9"},
        {"x-forwarded-for": "127.0.0.1"},  # even one claiming loopback: a proxy is in between
    ],
)
async def test_demo_mode_refuses_requests_through_a_proxy(demo: TestClient, header: dict[str, str]) -> None:
    chat = await demo.post("/api/chat", json={"user": "demo", "text": "我家物业费还欠多少"}, headers=header)
    updates = await demo.get("/api/updates", params={"user": "demo"}, headers=header)
    pay = await demo.get("/pay/WY20261127100000abcd", headers=header)
    confirm = await demo.post("/pay/WY20261127100000abcd/confirm", data={"amount": "1"}, headers=header)
    assert (chat.status, updates.status, pay.status, confirm.status) == (401, 401, 401, 401)
