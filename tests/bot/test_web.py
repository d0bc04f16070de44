"""The web chat API and page over real HTTP on loopback (aiohttp test server)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

import bot
from bot.app import App, build_app, upgrade_db
from bot.channels import web
from bot.cli import main
from bot.config import Settings
from bot.http import build_web_app
from storage.models import ChannelIdentity
from tests.chat import FakeClock


def make_settings(tmp_path: Path, **web_options: Any) -> Settings:
    return Settings(
        database={"url": f"sqlite:///{tmp_path / 'web.sqlite3'}"},
        media={"dir": tmp_path / "media"},
        web={"secret_file": tmp_path / "web_secret", "demo_mode": True, **web_options},
    )


@pytest.fixture
def make_app(tmp_path: Path, parser: object, clock: FakeClock) -> Iterator[Any]:
    apps: list[App] = []

    def factory(real_clock: bool = False, **web_options: Any) -> App:
        settings = make_settings(tmp_path, **web_options)
        upgrade_db(settings)
        app = build_app(  # type: ignore[arg-type]
            settings, parser=parser, clock=None if real_clock else clock
        )
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.close()


async def start(app: App) -> TestClient:
    client = TestClient(TestServer(build_web_app(app, plugins=()), host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.fixture
async def demo(make_app: Any) -> AsyncIterator[tuple[TestClient, App]]:
    app = make_app()
    client = await start(app)
    yield client, app
    await client.close()


@pytest.fixture
async def locked(make_app: Any) -> AsyncIterator[tuple[TestClient, App]]:
    """Not demo mode: a token is required."""
    app = make_app(demo_mode=False)
    client = await start(app)
    yield client, app
    await client.close()


def identities(app: App) -> int:
    with app.session_factory() as session:
        return session.scalar(select(func.count()).select_from(ChannelIdentity)) or 0


async def test_healthz_reports_database_and_version(demo: tuple[TestClient, App]) -> None:
    client, _ = demo
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "db": True, "version": bot.__version__}


async def test_page_and_its_assets_are_served_without_external_links(
    demo: tuple[TestClient, App],
) -> None:
    client, _ = demo
    page = await client.get("/")
    html = await page.text()
    assert page.status == 200 and "物业管家" in html
    assert "Content-Security-Policy" in page.headers
    for asset in ("/static/chat.js", "/static/chat-text.js", "/static/chat.css"):
        assert asset in html
        response = await client.get(asset)
        assert response.status == 200
        assert "http://" not in await response.text() and "https://" not in await response.text()


async def test_chat_round_trip_creates_a_web_identity(demo: tuple[TestClient, App]) -> None:
    client, app = demo
    response = await client.post("/api/chat", json={"user": "u-1", "text": "你好"})
    assert response.status == 200
    body = await response.json()
    assert body["replies"] and body["replies"][0]["text"]
    assert all(set(reply) >= {"text", "buttons"} for reply in body["replies"])
    with app.session_factory() as session:
        identity = session.scalars(select(ChannelIdentity)).one()
    assert (identity.channel, identity.external_id) == ("web", "u-1")


async def test_a_pressed_button_is_dispatched_as_its_payload(demo: tuple[TestClient, App]) -> None:
    client, _ = demo
    response = await client.post("/api/chat", json={"user": "u-1", "text": "", "button": "/greet"})
    assert response.status == 200
    assert (await response.json())["replies"]


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b'{"user": "u-1", "text": "hi"', b"\xff\xfe\x00binary\x9c"],
    ids=["garbage", "empty", "truncated", "not-utf8"],
)
async def test_malformed_body_is_400_and_writes_nothing(
    demo: tuple[TestClient, App], raw: bytes
) -> None:
    client, app = demo
    response = await client.post("/api/chat", data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert (await response.json())["error"] in {"bad_json", "bad_encoding"}
    assert identities(app) == 0


@pytest.mark.parametrize(
    "body",
    [
        [1, 2],
        {"text": "hi"},
        {"user": 5, "text": "hi"},
        {"user": "", "text": "hi"},
        {"user": "a b", "text": "hi"},
        {"user": "x" * 65, "text": "hi"},
        {"user": "u-1", "text": ["hi"]},
        {"user": "u-1", "text": None},
        {"user": "u-1", "text": "hi", "button": 3},
        {"user": "u-1", "text": "hi", "token": 123},
    ],
    ids=["array", "no-user", "int-user", "empty-user", "space-in-user", "long-user",
         "list-text", "null-text", "int-button", "int-token"],
)
async def test_wrong_types_are_400_with_a_reason(demo: tuple[TestClient, App], body: Any) -> None:
    client, app = demo
    response = await client.post("/api/chat", json=body)
    assert response.status == 400
    error = await response.json()
    assert error["error"] == "bad_request" and error["message"]
    assert identities(app) == 0


async def test_huge_body_is_413(demo: tuple[TestClient, App]) -> None:
    client, app = demo
    huge = json.dumps({"user": "u-1", "text": "楼" * 20_000}).encode()
    response = await client.post("/api/chat", data=huge)
    assert response.status == 413
    assert (await response.json())["error"] == "too_large"
    assert identities(app) == 0


async def test_huge_chunked_body_without_length_is_413(demo: tuple[TestClient, App]) -> None:
    client, _ = demo

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(40):
            yield b" " * 1024

    response = await client.post("/api/chat", data=chunks())
    assert response.status == 413


@pytest.mark.parametrize(
    "text", ["😀😀😀", "\x00\x01你好\x7f", "\u202e\ufeff", "�" * 10], ids=["emoji", "control", "bidi", "replacement"]
)
async def test_odd_text_gets_a_clear_reply(demo: tuple[TestClient, App], text: str) -> None:
    client, _ = demo
    response = await client.post("/api/chat", json={"user": "u-1", "text": text})
    assert response.status == 200
    replies = (await response.json())["replies"]
    assert replies and replies[0]["text"].strip()


async def test_without_demo_mode_a_token_is_required(locked: tuple[TestClient, App]) -> None:
    client, app = locked
    response = await client.post("/api/chat", json={"user": "u-1", "text": "你好"})
    assert response.status == 401
    response = await client.post("/api/chat", json={"user": "u-1", "text": "你好", "token": "x.y"})
    assert response.status == 401
    assert identities(app) == 0


async def test_a_token_from_the_web_token_command_opens_the_chat(
    make_app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The command signs with the wall clock (now + 30 days), so the server checks with it too.
    client = await start(make_app(real_clock=True, demo_mode=False))
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'web.sqlite3'}\n"
        f"web:\n  secret_file: {tmp_path / 'web_secret'}\n",
        encoding="utf-8",
    )
    assert main(["web-token", "owner-7", "--config", str(config)]) == 0
    token = capsys.readouterr().out.strip()
    ok = await client.post("/api/chat", json={"user": "owner-7", "text": "你好", "token": token})
    assert ok.status == 200 and (await ok.json())["replies"]
    other = await client.post("/api/chat", json={"user": "owner-8", "text": "你好", "token": token})
    assert other.status == 401
    await client.close()


async def test_an_expired_token_is_refused(
    locked: tuple[TestClient, App], clock: FakeClock
) -> None:
    client, app = locked
    secret = web.load_secret(app.settings.web)
    token = web.make_token(secret, "u-1", clock() + timedelta(days=1))
    assert (await client.post("/api/chat", json={"user": "u-1", "text": "hi", "token": token})).status == 200
    clock.advance(days=1, seconds=1)
    assert (await client.post("/api/chat", json={"user": "u-1", "text": "hi", "token": token})).status == 401


def test_tokens_are_bound_to_user_secret_and_signature(clock: FakeClock) -> None:
    expires = clock() + timedelta(days=30)
    token = web.make_token(b"k1", "u-1", expires)
    assert web.verify_token(b"k1", token, "u-1", clock())
    assert not web.verify_token(b"k2", token, "u-1", clock())
    assert not web.verify_token(b"k1", token, "u-2", clock())
    payload, signature = token.split(".")
    forged = web.make_token(b"k1", "u-2", expires).split(".")[0] + "." + signature
    assert not web.verify_token(b"k1", forged, "u-2", clock())
    for junk in ("", ".", "a.b.c", "!!.??", payload):
        assert not web.verify_token(b"k1", junk, "u-1", clock())


def test_the_generated_secret_is_kept_private_and_reused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path).web
    first = web.load_secret(settings)
    assert web.load_secret(settings) == first and len(first) >= 32
    assert (tmp_path / "web_secret").stat().st_mode & 0o077 == 0
    assert web.load_secret(settings.model_copy(update={"secret": "configured"})) == b"configured"
