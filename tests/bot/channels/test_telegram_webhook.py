"""Telegram webhook mode: the real aiogram client against a fake Bot API server on loopback."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.app import App
from bot.channels.telegram import setup
from bot.channels.telegram.render import callback_data
from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.config import Settings, TelegramSettings
from handlers.binding import issue_invite
from handlers.deps import Deps
from storage.models import Attachment, Base, ChannelIdentity
from tests.fakes.telegram_server import (
    FakeTelegramServer,
    callback_update,
    membership_update,
    message_update,
    photo_update,
    text_update,
)

SECRET = "s3cret_Token-for-tests"
WEBHOOK_URL = "https://wuye.example.com/webhook/telegram"
CHAT = 5550001
CJK = re.compile(r"[\u4e00-\u9fff]")
Serve = Callable[[Deps], Awaitable[TestClient]]


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def serve(tg: FakeTelegramServer, world: object) -> AsyncIterator[Serve]:
    """Start the HTTP server with the Telegram plugin for `deps` (as `python -m bot serve` does)."""
    clients: list[TestClient] = []

    async def start(deps: Deps) -> TestClient:
        settings = Settings(telegram=TelegramSettings(
            token=tg.token, mode="webhook", webhook_secret=SECRET, webhook_url=WEBHOOK_URL,
            api_base=tg.base_url,
        ))
        app = App(settings=settings, engine=None, session_factory=None, stores=None, deps=deps)  # type: ignore[arg-type]
        web_app = web.Application()
        setup(web_app, app)
        client = TestClient(TestServer(web_app))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


@pytest.fixture
async def client(serve: Serve, deps: Deps) -> TestClient:
    return await serve(deps)


async def post(client: TestClient, update: Any, secret: str | None = SECRET) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    kwargs: dict[str, Any] = {"data": update} if isinstance(update, bytes) else {"json": update}
    response = await client.post(WEBHOOK_PATH, headers=headers, **kwargs)
    return response.status


def row_counts(engine: Any) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables}


def identity(deps: Deps, chat_id: int = CHAT) -> ChannelIdentity | None:
    with deps.uow() as uow:
        row = uow.session.scalars(select(ChannelIdentity).filter_by(
            channel="telegram", external_id=str(chat_id))).one_or_none()
        if row is not None:
            uow.session.expunge(row)
        return row


# --- registration ------------------------------------------------------------------------


async def test_start_registers_webhook_with_secret_and_update_types(client: TestClient, tg: FakeTelegramServer) -> None:
    (call,) = tg.calls_to("setWebhook")
    assert call["url"] == WEBHOOK_URL
    assert call["secret_token"] == SECRET
    assert call["allowed_updates"] == ["message", "callback_query", "my_chat_member"]


async def test_start_sets_command_menu_in_chinese_and_english(client: TestClient, tg: FakeTelegramServer) -> None:
    default, english = tg.calls_to("setMyCommands")
    assert "language_code" not in default
    assert {"command": "bill", "description": "查询物业费账单"} in default["commands"]
    assert english["language_code"] == "en"
    assert {"command": "bill", "description": "My bills"} in english["commands"]
    assert [c["command"] for c in default["commands"]] == [c["command"] for c in english["commands"]]


# --- the secret and bad input ------------------------------------------------------------


BAD_SECRETS = [None, "", "wrong", SECRET[:-1], SECRET + "x", SECRET.upper()]
BAD_BODIES = [
    b"{not json", b"", b"[]", b'"hello"', b'{"update_id": "7"}', b'{"message": {}}',
    b'{"update_id": 7, "message": {"chat": 5}}', "\udcff".encode("utf-8", "surrogatepass"),
]


async def test_wrong_or_missing_secret_is_401_and_nothing_happens(
    client: TestClient, tg: FakeTelegramServer, engine: Any
) -> None:
    before = row_counts(engine)
    for secret in BAD_SECRETS:
        status = await post(client, text_update(1, "我家物业费还欠多少"), secret=secret)
        assert status == 401, secret
    assert row_counts(engine) == before
    assert tg.calls_to("sendMessage") == []


async def test_malformed_body_is_400_and_nothing_happens(
    client: TestClient, tg: FakeTelegramServer, engine: Any
) -> None:
    before = row_counts(engine)
    for body in BAD_BODIES:
        assert await post(client, body) == 400, body
    assert row_counts(engine) == before
    assert tg.calls_to("sendMessage") == []


async def test_oversized_body_is_413(client: TestClient, tg: FakeTelegramServer, engine: Any) -> None:
    before = row_counts(engine)
    huge = text_update(1, "修" * 200_000)
    assert await post(client, huge) == 413
    assert row_counts(engine) == before
    # The server keeps serving.
    assert await post(client, text_update(2, "你好")) == 200


# --- messages ----------------------------------------------------------------------------


async def test_text_round_trip(client: TestClient, tg: FakeTelegramServer, deps: Deps) -> None:
    assert await post(client, text_update(100, "你好")) == 200
    (sent,) = tg.calls_to("sendMessage")
    assert sent["chat_id"] == str(CHAT)
    assert CJK.search(sent["text"])
    row = identity(deps)
    assert row is not None and row.display_name == "Jianguo Wang"


async def test_english_user_writing_english_gets_english(client: TestClient, tg: FakeTelegramServer) -> None:
    assert await post(client, text_update(101, "Hello, how much do I owe?", language_code="en")) == 200
    (sent,) = tg.calls_to("sendMessage")
    assert not CJK.search(sent["text"])


async def test_same_update_twice_is_handled_once(client: TestClient, tg: FakeTelegramServer) -> None:
    update = text_update(200, "你好")
    assert await post(client, update) == 200
    assert await post(client, update) == 200
    assert len(tg.calls_to("sendMessage")) == 1


async def test_photo_is_downloaded_at_once_and_stored(
    client: TestClient, tg: FakeTelegramServer, deps: Deps
) -> None:
    jpeg = b"\xff\xd8\xff\xe0fake-jpeg-bytes"
    tg.add_file("big-photo", jpeg, "photos/file_7.jpg")
    assert await post(client, photo_update(300, "big-photo", caption="厨房水管漏水")) == 200
    assert [c["file_id"] for c in tg.calls_to("getFile")] == ["big-photo"]  # the largest size only
    assert tg.calls_to("download") == [{"path": "photos/file_7.jpg"}]
    stored = list(Path(deps.settings.media_dir).rglob("*.jpg"))
    assert len(stored) == 1 and stored[0].read_bytes() == jpeg
    with deps.uow() as uow:
        refs = [a.ref for a in uow.session.scalars(select(Attachment))]
    assert refs == [str(stored[0])]
    assert len(tg.calls_to("sendMessage")) == 1


async def test_location_reaches_the_core(client: TestClient, tg: FakeTelegramServer) -> None:
    update = message_update(310, location={"latitude": 39.99, "longitude": 116.47})
    assert await post(client, update) == 200
    assert len(tg.calls_to("sendMessage")) == 1


async def test_sticker_gets_a_polite_unsupported_reply(client: TestClient, tg: FakeTelegramServer) -> None:
    sticker = {"file_id": "st", "file_unique_id": "st", "type": "regular", "width": 512, "height": 512,
               "is_animated": False, "is_video": False}
    assert await post(client, message_update(320, sticker=sticker)) == 200
    (sent,) = tg.calls_to("sendMessage")
    assert "文字" in sent["text"]


async def test_group_chat_is_not_served(
    client: TestClient, tg: FakeTelegramServer, engine: Any
) -> None:
    before = row_counts(engine)
    assert await post(client, message_update(330, chat_id=-100123, chat_type="supergroup", text="我家欠多少钱")) == 200
    assert tg.calls_to("sendMessage") == []
    command = message_update(331, chat_id=-100123, chat_type="supergroup", text="/start",
                             entities=[{"type": "bot_command", "offset": 0, "length": 6}])
    assert await post(client, command) == 200
    (hint,) = tg.calls_to("sendMessage")
    assert hint["chat_id"] == "-100123" and "@wuye_test_bot" in hint["text"]
    assert row_counts(engine) == before  # nobody's identity was created from a group


async def test_blocking_and_unblocking_the_bot_stops_and_resumes_pushes(
    client: TestClient, tg: FakeTelegramServer, deps: Deps
) -> None:
    assert await post(client, text_update(340, "你好")) == 200
    assert await post(client, membership_update(341, blocked=True)) == 200
    row = identity(deps)
    assert row is not None and row.reachable is False
    assert await post(client, membership_update(342, blocked=False)) == 200
    row = identity(deps)
    assert row is not None and row.reachable is True
    assert len(tg.calls_to("sendMessage")) == 1  # membership changes are not answered


# --- deep links and commands ---------------------------------------------------------------


async def test_start_with_invite_code_binds(
    client: TestClient, tg: FakeTelegramServer, deps: Deps, world: Any
) -> None:
    with deps.uow() as uow:
        code = issue_invite(uow, deps.clock(), home_id=world.home_ids["3-2-501"])
        uow.commit()
    assert await post(client, text_update(400, f"/start {code}")) == 200
    row = identity(deps)
    assert row is not None
    assert row.owner_id == world.owner_ids["13812345678"]
    assert row.home_id == world.home_ids["3-2-501"]
    (sent,) = tg.calls_to("sendMessage")
    assert "绑定成功" in sent["text"]


async def test_start_without_code_greets(client: TestClient, tg: FakeTelegramServer) -> None:
    assert await post(client, text_update(410, "/start")) == 200
    assert len(tg.calls_to("sendMessage")) == 1


async def test_menu_command_runs_its_intent(client: TestClient, tg: FakeTelegramServer) -> None:
    assert await post(client, text_update(420, "/bind")) == 200
    (sent,) = tg.calls_to("sendMessage")
    assert "邀请码" in sent["text"]


# --- buttons -------------------------------------------------------------------------------


async def test_callback_query_is_answered_and_handled(client: TestClient, tg: FakeTelegramServer) -> None:
    assert await post(client, callback_update(500, "/bind_account", message_id=42)) == 200
    assert [c["callback_query_id"] for c in tg.calls_to("answerCallbackQuery")] == ["cq500"]
    (edit,) = tg.calls_to("editMessageReplyMarkup")
    assert edit["chat_id"] == str(CHAT) and edit["message_id"] == "42"
    (sent,) = tg.calls_to("sendMessage")
    assert "邀请码" in sent["text"]


async def test_long_payload_travels_through_a_short_key(
    client: TestClient, tg: FakeTelegramServer, deps: Deps
) -> None:
    payload = '/bind_account{"note": "' + "很长的按钮内容" * 6 + '"}'
    data = callback_data(payload, deps.state)
    assert len(data.encode()) <= 64
    assert await post(client, callback_update(510, data)) == 200
    (sent,) = tg.calls_to("sendMessage")
    assert "邀请码" in sent["text"]


async def test_expired_button_key_is_answered_not_handled(
    client: TestClient, tg: FakeTelegramServer, engine: Any
) -> None:
    before = row_counts(engine)
    assert await post(client, callback_update(520, "#AAAAAAAAAAAAAAAA")) == 200
    (answer,) = tg.calls_to("answerCallbackQuery")
    assert "过期" in answer["text"]
    assert tg.calls_to("sendMessage") == []
    assert row_counts(engine) == before


# --- failures: nothing acknowledged before it is handled -----------------------------------


class FlakyUow:
    """The database is down for the first `failures` units of work, then back."""

    def __init__(self, real: Callable[[], Any], failures: int = 1) -> None:
        self.real, self.failures = real, failures

    def __call__(self) -> Any:
        if self.failures > 0:
            self.failures -= 1
            raise OperationalError("SELECT 1", {}, Exception("database is down"))
        return self.real()


async def test_core_crash_is_500_and_redelivery_is_handled(
    serve: Serve, deps: Deps, tg: FakeTelegramServer
) -> None:
    client = await serve(dataclasses.replace(deps, uow=FlakyUow(deps.uow)))
    update = text_update(600, "你好")
    assert await post(client, update) == 500
    assert tg.calls_to("sendMessage") == []
    assert await post(client, update) == 200  # Telegram redelivers; the claim was released
    assert len(tg.calls_to("sendMessage")) == 1
    assert identity(deps) is not None


@pytest.mark.parametrize("status", [429, 500])
async def test_failed_reply_is_500_and_redelivery_resends_without_rerunning_core(
    client: TestClient, tg: FakeTelegramServer, deps: Deps, clock: Any, status: int
) -> None:
    tg.fail_next("sendMessage", status=status, retry_after=3 if status == 429 else None)
    update = text_update(700, "你好")
    assert await post(client, update) == 500
    first = deps.clock()
    clock.advance(minutes=1)
    assert await post(client, update) == 200
    failed, resent = tg.calls_to("sendMessage")
    assert resent["text"] == failed["text"]
    row = identity(deps)
    assert row is not None and row.last_inbound_at == first  # the core ran once, at the first delivery
    assert await post(client, update) == 200  # a third delivery sends nothing more
    assert len(tg.calls_to("sendMessage")) == 2


# --- bad input (issue 8) -----------------------------------------------------------------


async def test_deeply_nested_json_is_a_400_not_a_500(client: TestClient, deps: Deps) -> None:
    deep = b'{"update_id": 1, "message": ' + b"[" * 5_000 + b"]" * 5_000 + b"}"  # 10 kB
    assert await post(client, deep) == 400
    nested = b'{"update_id": 2, "x": ' + b'{"a": ' * 40 + b"1" + b"}" * 40 + b"}"
    assert await post(client, nested) == 400
    assert identity(deps) is None


async def test_a_non_ascii_secret_header_is_refused_not_a_crash(client: TestClient) -> None:
    response = await client.post(
        WEBHOOK_PATH, json=text_update(400, "你好"),
        headers={SECRET_HEADER: "sécret-密钥".encode().decode("latin-1")},
    )
    assert response.status == 401


async def test_a_photo_that_can_never_be_fetched_is_answered_not_redelivered(
    client: TestClient, tg: FakeTelegramServer, deps: Deps
) -> None:
    # getFile refuses the file id for good (400 invalid file_id): a 500 would make Telegram
    # redeliver the update for ever.
    assert await post(client, photo_update(401, "gone-photo")) == 200
    (sent,) = tg.calls_to("sendMessage")
    assert "图片" in sent["text"]
    assert await post(client, text_update(402, "你好")) == 200  # the chat goes on
