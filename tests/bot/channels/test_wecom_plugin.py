"""The WeCom channel as `python -m bot serve` mounts it: the HTTP plugin on the composition
root's stores (SQL claims, locks and token cache), and its deliverer for the sender."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from wechatpy.enterprise.crypto import PrpCrypto

from bot.app import App, build_app, upgrade_db
from bot.channels.wecom.adapter import WEBHOOK_KEY
from bot.config import Settings
from bot.deliverers import DELIVERERS, Target, build_deliverers
from bot.http import HTTP_PLUGINS, build_web_app
from tests.fakes.wecom_server import (
    AES_KEY,
    AGENT_ID,
    CORP_ID,
    SECRET,
    SEND,
    TOKEN,
    FakeWecomServer,
    WecomCallbacks,
    payload,
    sign,
)

if TYPE_CHECKING:
    from tests.chat import FakeClock

PLUGIN = "bot.channels.wecom.adapter"


def make_app(tmp_path: Path, parser: Any, clock: FakeClock, **wecom: Any) -> App:
    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'wecom.sqlite3'}"},
        media={"dir": tmp_path / "media"},
        web={"secret_file": tmp_path / "web_secret"},
        wecom=wecom,
    )
    upgrade_db(settings)
    return build_app(settings, parser=parser, clock=clock)


@pytest.fixture
async def wc() -> AsyncIterator[FakeWecomServer]:
    async with FakeWecomServer() as server:
        yield server


def test_the_plugin_is_mounted_by_serve_and_delivers_for_the_sender() -> None:
    assert PLUGIN in HTTP_PLUGINS
    assert DELIVERERS["wecom"] == "bot.channels.wecom.deliver:deliverer"


async def test_without_credentials_the_channel_is_off(
    tmp_path: Path, parser: Any, clock: FakeClock
) -> None:
    app = make_app(tmp_path, parser, clock, corp_id=CORP_ID, token=TOKEN)  # no secret, no key
    try:
        web_app = build_web_app(app, plugins=(PLUGIN,))
        async with TestClient(TestServer(web_app, host="127.0.0.1")) as client:
            assert (await client.get("/webhook/wecom")).status == 404
        deliverers = await build_deliverers(app)
        assert "wecom" not in deliverers
        for other in deliverers.values():
            await other.close()
    finally:
        app.close()


async def test_mounted_channel_checks_the_url_answers_and_delivers(
    tmp_path: Path, parser: Any, clock: FakeClock, wc: FakeWecomServer
) -> None:
    app = make_app(
        tmp_path, parser, clock, corp_id=CORP_ID, agent_id=AGENT_ID, secret=SECRET, token=TOKEN,
        encoding_aes_key=AES_KEY, api_base=wc.base_url,
    )
    try:
        web_app = build_web_app(app, plugins=(PLUGIN,))
        async with TestClient(TestServer(web_app, host="127.0.0.1")) as client:
            # The URL check: WeCom sends echostr encrypted; the answer is its plaintext.
            key = base64.b64decode(AES_KEY + "=")
            echostr = PrpCrypto(key).encrypt("4832271926", CORP_ID).decode()
            ts, nonce = str(int(clock().timestamp())), "n1"
            query = {"msg_signature": sign(TOKEN, ts, nonce, echostr), "timestamp": ts,
                     "nonce": nonce, "echostr": echostr}
            resp = await client.get("/webhook/wecom", params=query)
            assert (resp.status, await resp.text()) == (200, "4832271926")

            wecom = WecomCallbacks(client, app.settings.wecom, clock)
            message = payload("text", content="你好", msg_id=5)
            assert await wecom.post(message) == (200, "")
            assert await wecom.post(message) == (200, "")  # a retry: claimed in the database
            webhook = web_app[WEBHOOK_KEY]
            await webhook.flights.drain()
            assert wc.count(SEND) == 1

            deliverers = await build_deliverers(app, web_app)
            deliverer = deliverers["wecom"]
            assert deliverer.api is webhook.api  # type: ignore[attr-defined]
            target = Target(message_id=1, identity_id=1, channel="wecom", external_id="zhangsan")
            result = await deliverer.deliver(target, {"text": "新工单"}, "staff_ticket")
            for each in deliverers.values():
                await each.close()  # the webhook's own client stays open: it is not theirs
            assert result.status == "sent"
            assert wc.count("/cgi-bin/gettoken") == 1  # one token, kept in the shared store
    finally:
        app.close()
