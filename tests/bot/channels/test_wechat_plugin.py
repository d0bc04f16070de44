"""The WeChat channel as `python -m bot serve` mounts it: the HTTP plugin on the composition
root's stores (SQL claims, locks and token cache by default; Redis when configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App, build_app, upgrade_db
from bot.config import Settings
from bot.http import HTTP_PLUGINS, build_web_app
from tests.fakes.wechat_server import (
    APP_SECRET,
    TOKEN,
    FakeWechatServer,
    WechatCallbacks,
    payload,
)

if TYPE_CHECKING:
    from tests.chat import FakeClock

PLUGIN = "bot.channels.wechat.adapter"
REDIS_URL = os.environ.get("WUYE_TEST_REDIS_URL", "")


def make_app(tmp_path: Path, parser: Any, clock: FakeClock, **wechat: Any) -> App:
    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'wx.sqlite3'}"},
        media={"dir": tmp_path / "media"},
        web={"secret_file": tmp_path / "web_secret"},
        redis={"url": wechat.pop("redis_url", "")},
        wechat=wechat,
    )
    upgrade_db(settings)
    return build_app(settings, parser=parser, clock=clock)


@pytest.fixture
async def wx() -> AsyncIterator[FakeWechatServer]:
    # A fresh AppID each run: a shared Redis keeps the token of the last run under the old one.
    async with FakeWechatServer(app_id=f"wx{uuid.uuid4().hex[:16]}") as server:
        yield server


def test_the_plugin_is_mounted_by_serve() -> None:
    assert PLUGIN in HTTP_PLUGINS


async def test_without_credentials_the_channel_is_off(
    tmp_path: Path, parser: Any, clock: FakeClock
) -> None:
    app = make_app(tmp_path, parser, clock, token=TOKEN)  # no app_id / app_secret
    try:
        async with TestClient(TestServer(build_web_app(app, plugins=(PLUGIN,)), host="127.0.0.1")) as client:
            assert (await client.get("/webhook/wechat")).status == 404
    finally:
        app.close()


@pytest.mark.parametrize(
    "redis_url",
    [pytest.param("", id="sql-stores"),
     pytest.param(REDIS_URL, id="redis-stores", marks=[
         pytest.mark.redis, pytest.mark.skipif(not REDIS_URL, reason="WUYE_TEST_REDIS_URL not set")])],
)
async def test_mounted_channel_answers_and_dedupes_on_shared_stores(
    tmp_path: Path, parser: Any, clock: FakeClock, wx: FakeWechatServer, redis_url: str
) -> None:
    app = make_app(
        tmp_path, parser, clock, app_id=wx.app_id, app_secret=APP_SECRET, token=TOKEN,
        api_base=wx.base_url, redis_url=redis_url,
    )
    try:
        web_app = build_web_app(app, plugins=(PLUGIN,))
        async with TestClient(TestServer(web_app, host="127.0.0.1")) as client:
            wechat = WechatCallbacks(client, TOKEN, clock)
            query = wechat.query() | {"echostr": "hello"}
            assert await (await client.get("/webhook/wechat", params=query)).text() == "hello"
            message = payload("text", content="你好", msg_id=uuid.uuid4().int % 10**18)
            status, body = await wechat.post(message)
            assert status == 200 and wechat.content(body)
            assert await wechat.post(message) == (200, "success")  # a retry: claimed already
            webhook = web_app[_webhook_key()]
            token = await webhook.api.tokens.get()
            assert token == await webhook.api.tokens.get()
            assert wx.count("/cgi-bin/token") == 1
            with app.deps.uow() as uow:
                identity = uow.identities.by_external("wechat", "o-owner-1")
                assert identity is not None
                app.deps.state.delete(f"dialogue:{identity.id}")  # leave a shared Redis clean
    finally:
        app.close()


def _webhook_key() -> Any:
    from bot.channels.wechat.adapter import WEBHOOK_KEY

    return WEBHOOK_KEY
