"""Telegram long-polling mode: the real aiogram client polls the fake Bot API server."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot.channels.telegram import build_channel, start, stop
from bot.channels.telegram.polling import Poller
from bot.config import TelegramSettings
from handlers.deps import Deps
from tests.fakes.telegram_server import FakeTelegramServer, callback_update, text_update


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


def polling_settings(tg: FakeTelegramServer) -> TelegramSettings:
    return TelegramSettings(token=tg.token, mode="polling", api_base=tg.base_url, poll_timeout=1)


async def test_polling_serves_queued_updates_and_replies(
    tg: FakeTelegramServer, deps: Deps, world: Any
) -> None:
    channel = build_channel(polling_settings(tg), deps)
    poller = await start(channel, "http://127.0.0.1:8080")
    try:
        assert isinstance(poller, Poller)
        assert tg.calls_to("deleteWebhook")  # getUpdates is refused while a webhook is set
        assert tg.calls_to("setWebhook") == []
        assert len(tg.calls_to("setMyCommands")) == 2
        tg.queue_update(text_update(1, "你好"))
        (sent,) = await tg.wait_for("sendMessage")
        assert sent["chat_id"] == "5550001"
        tg.queue_update(callback_update(2, "/bind_account"))
        await tg.wait_for("sendMessage", count=2)
        await tg.wait_for("answerCallbackQuery")
        # The next poll confirms both updates.
        await tg.wait_until(lambda: any(p.get("offset") == "3" for p in tg.calls_to("getUpdates")))
        assert all(p["allowed_updates"] == ["message", "callback_query", "my_chat_member"] for p in tg.calls_to("getUpdates"))
    finally:
        await stop(channel, poller)


async def test_polling_retries_an_update_whose_handling_failed(
    tg: FakeTelegramServer, deps: Deps, world: Any
) -> None:
    real = deps.uow
    failures = {"left": 1}

    def flaky() -> Any:
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("SELECT 1", {}, Exception("database is down"))
        return real()

    channel = build_channel(polling_settings(tg), dataclasses.replace(deps, uow=flaky))
    poller = Poller(channel, timeout=1, retry_delay=0)
    poller.start()
    try:
        tg.queue_update(text_update(10, "你好"))
        await tg.wait_for("sendMessage")
        assert failures["left"] == 0
        await tg.wait_until(lambda: any(p.get("offset") == "11" for p in tg.calls_to("getUpdates")))
    finally:
        await stop(channel, poller)
    assert len(tg.calls_to("sendMessage")) == 1
