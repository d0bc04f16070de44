"""Rendering replies for Telegram, and outbound delivery with its result mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot

from bot.channels.telegram.deliver import DeliveryResult, deliver
from bot.channels.telegram.lifecycle import build_bot
from bot.channels.telegram.render import (
    CALLBACK_LIMIT,
    TEXT_LIMIT,
    callback_data,
    render,
    resolve,
    split_text,
)
from bot.config import TelegramSettings
from handlers.messages import Button, Reply
from storage.stores.memory import MemoryKeyValueStore
from tests.fakes.telegram_server import FakeTelegramServer

STARS = tuple(Button(f"⭐{n}", f'/rate_service{{"ticket_id": "A1023", "rating": "{n}"}}') for n in range(1, 6))


# --- render ------------------------------------------------------------------------------


def test_ratings_fit_one_row_and_long_titles_get_their_own() -> None:
    store = MemoryKeyValueStore()
    (rating,) = render([Reply("请评价", STARS)], store)
    assert rating.markup is not None
    assert [len(row) for row in rating.markup.inline_keyboard] == [5]
    long_titles = (Button("查看3号楼2单元501的全部账单", "/a"), Button("查看12号楼1102的全部账单", "/b"))
    (lists,) = render([Reply("选哪套？", long_titles)], store)
    assert lists.markup is not None and [len(r) for r in lists.markup.inline_keyboard] == [1, 1]


def test_short_payloads_go_as_is_and_long_ones_through_a_key() -> None:
    store = MemoryKeyValueStore()
    assert callback_data("/help", store) == "/help"
    long = '/staff_transfer{"ticket": "A1023", "to": "张师傅", "note": "业主要求上午上门维修"}'
    assert len(long.encode()) > CALLBACK_LIMIT
    key = callback_data(long, store)
    assert len(key.encode()) <= CALLBACK_LIMIT
    assert key == callback_data(long, store)  # stable: a resend does not pile up keys
    assert resolve(key, store) == long
    assert resolve("/help", store) == "/help"
    assert resolve("#unknownkey00000", store) is None
    # A payload that merely looks like a key is keyed too, never mistaken for one.
    assert resolve(callback_data("#x", store), store) == "#x"


def test_long_text_is_split_and_the_keyboard_rides_on_the_last_part() -> None:
    text = "\n".join(f"第{i}行：2026年10月物业费 268.50 元" for i in range(400))
    messages = render([Reply(text, (Button("缴费", "/pay_bill"),))], MemoryKeyValueStore())
    assert len(messages) > 1
    assert all(len(m.text) <= TEXT_LIMIT for m in messages)
    assert "".join(m.text for m in messages).replace("\n", "") == text.replace("\n", "")
    assert [m.markup is not None for m in messages] == [False] * (len(messages) - 1) + [True]
    assert split_text("短消息") == ["短消息"]


def test_image_reply_carries_its_text_as_caption() -> None:
    (photo,) = render([Reply("停水通知", image="https://example.com/n.jpg")], MemoryKeyValueStore())
    assert photo.image == "https://example.com/n.jpg" and photo.text == "停水通知"


# --- deliver -----------------------------------------------------------------------------


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def bot(tg: FakeTelegramServer) -> AsyncIterator[Bot]:
    bot = build_bot(TelegramSettings(token=tg.token, mode="polling", api_base=tg.base_url))
    yield bot
    await bot.session.close()


PUSH = {"text": "您的报修单 A1023 已派给张师傅", "buttons": [{"title": "催办", "payload": "/urge_ticket"}]}


async def test_deliver_sends_text_and_keyboard(bot: Bot, tg: FakeTelegramServer) -> None:
    assert await deliver(bot, "5550001", PUSH) == DeliveryResult("sent")
    (sent,) = tg.calls_to("sendMessage")
    assert sent["text"] == PUSH["text"]
    assert sent["reply_markup"]["inline_keyboard"] == [[{"text": "催办", "callback_data": "/urge_ticket"}]]


async def test_deliver_maps_flood_control_to_retry_after(bot: Bot, tg: FakeTelegramServer) -> None:
    tg.fail_next("sendMessage", status=429, retry_after=17)
    result = await deliver(bot, 5550001, PUSH)
    assert result.status == "retry_after" and result.retry_after == 17.0


@pytest.mark.parametrize("status,description", [
    (403, "Forbidden: bot was blocked by the user"),
    (403, "Forbidden: user is deactivated"),
    (400, "Bad Request: chat not found"),
])
async def test_deliver_maps_gone_chats_to_blocked(
    bot: Bot, tg: FakeTelegramServer, status: int, description: str
) -> None:
    tg.fail_next("sendMessage", status=status, description=description)
    assert (await deliver(bot, 5550001, PUSH)).status == "blocked"


@pytest.mark.parametrize("status,description", [
    (400, "Bad Request: message text is empty"),
    (500, "Internal Server Error"),
])
async def test_deliver_maps_other_errors_to_failed(
    bot: Bot, tg: FakeTelegramServer, status: int, description: str
) -> None:
    tg.fail_next("sendMessage", status=status, description=description)
    result = await deliver(bot, 5550001, PUSH)
    assert result.status == "failed" and description in result.error


async def test_deliver_keys_long_payloads_in_the_store(bot: Bot, tg: FakeTelegramServer) -> None:
    long = '/staff_transfer{"ticket": "A1023", "to": "张师傅", "note": "业主要求上午上门维修"}'
    payload = {"text": "转派？", "buttons": [{"title": "转派", "payload": long}]}
    assert (await deliver(bot, 5550001, payload)).status == "failed"  # no store: cannot fit it
    store = MemoryKeyValueStore()
    assert (await deliver(bot, 5550001, payload, state=store)).status == "sent"
    (sent,) = tg.calls_to("sendMessage")
    data = sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert resolve(data, store) == long


async def test_deliver_sends_a_stored_photo(bot: Bot, tg: FakeTelegramServer, tmp_path: Path) -> None:
    (tmp_path / "notice.jpg").write_bytes(b"\xff\xd8jpeg")
    result = await deliver(bot, 5550001, {"text": "停水通知", "image": "notice.jpg"}, media_dir=tmp_path)
    assert result.status == "sent"
    (photo,) = tg.calls_to("sendPhoto")
    assert photo["caption"] == "停水通知" and photo["photo"]["size"] == len(b"\xff\xd8jpeg")
