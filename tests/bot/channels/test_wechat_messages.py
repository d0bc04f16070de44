"""Each kind of WeChat callback through the webhook and the real dispatch: follow/unfollow,
menu clicks, voice, photos (downloaded at once), locations, and types we do not handle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from bot.texts_wechat import wt
from handlers.deps import Deps
from handlers.texts import t
from storage.models import Attachment, ChannelIdentity
from tests.chat import Chat
from tests.fakes.wechat_server import FakeWechatServer, payload, serve_webhook, wechat_settings

if TYPE_CHECKING:
    from tests.factories import World
    from tests.fakes.wechat_server import Served

OPENID = "o-owner-1"


@pytest.fixture
async def wx() -> AsyncIterator[FakeWechatServer]:
    async with FakeWechatServer() as server:
        yield server


@pytest.fixture
async def served(wx: FakeWechatServer, deps: Deps, world: World) -> AsyncIterator[Served]:
    async with serve_webhook(deps, wechat_settings(wx.base_url)) as running:
        yield running


def bind(deps: Deps, world: World) -> None:
    Chat(deps, user=OPENID, channel="wechat").bind_to(
        world.home_ids["3-2-501"], world.owner_ids["13812345678"]
    )


def identity(deps: Deps) -> ChannelIdentity | None:
    with deps.uow() as uow:
        found = uow.identities.by_external("wechat", OPENID)
        if found is not None:
            uow.session.expunge(found)
        return found


async def say(served: Served, name: str, **fields: object) -> str | None:
    status, body = await served.wechat.post(payload(name, **fields))
    assert status == 200
    return served.wechat.content(body)


async def test_follow_welcomes_and_asks_to_bind_then_unfollow_marks_unreachable(
    served: Served, deps: Deps
) -> None:
    reply = await say(served, "event", event="subscribe", create_time=1001)
    assert reply == wt("welcome") + "\n\n" + t("bind_ask", "zh")
    found = identity(deps)
    assert found is not None and found.reachable and found.last_inbound_at is not None
    assert await say(served, "event", event="unsubscribe", create_time=1002) is None
    found = identity(deps)
    assert found is not None and not found.reachable
    await served.webhook.api.tokens.get()
    result = await served.webhook.api.deliver(OPENID, {"text": "停水通知"}, "notice")
    assert result.status == "blocked"


async def test_a_bound_owner_following_again_is_welcomed_back(
    served: Served, deps: Deps, world: World
) -> None:
    bind(deps, world)
    await say(served, "event", event="unsubscribe", create_time=1001)
    assert await say(served, "event", event="subscribe", create_time=1002) == wt("welcome_back")
    found = identity(deps)
    assert found is not None and found.reachable


async def test_the_same_event_delivered_twice_is_handled_once(served: Served) -> None:
    assert await say(served, "event", event="subscribe", create_time=1003)
    assert await say(served, "event", event="subscribe", create_time=1003) is None


@pytest.mark.parametrize("key", ["/check_bill", "check_bill"])
async def test_menu_click_maps_to_the_intent(
    served: Served, deps: Deps, world: World, key: str
) -> None:
    unbound = await say(served, "event", event="CLICK", event_key=key, create_time=1004)
    assert unbound and "绑定" in unbound and "268.50" not in unbound
    bind(deps, world)
    bound = await say(served, "event", event="CLICK", event_key=key, create_time=1005)
    assert bound and "268.50" in bound


async def test_voice_uses_the_recognition_text(served: Served, deps: Deps, world: World) -> None:
    bind(deps, world)
    reply = await say(served, "voice", content="我家物业费还欠多少", msg_id=501)
    assert reply and "268.50" in reply
    assert await say(served, "voice", content="", msg_id=502) == wt("voice_unclear")


async def test_photo_is_downloaded_at_once_and_kept(
    served: Served, wx: FakeWechatServer, deps: Deps, world: World
) -> None:
    bind(deps, world)
    wx.media["MEDIA_1"] = (b"\xff\xd8\xff\xe0 a jpeg of a leaking pipe", "image/jpeg")
    reply = await say(served, "image", media_id="MEDIA_1", msg_id=601)
    assert reply
    kept = list((Path(deps.settings.media_dir) / "wechat").rglob("*.jpg"))
    assert [p.read_bytes() for p in kept] == [b"\xff\xd8\xff\xe0 a jpeg of a leaking pipe"]
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Attachment)) == 1


async def test_a_photo_that_cannot_be_downloaded_gets_a_polite_reply(
    served: Served, deps: Deps
) -> None:
    assert await say(served, "image", media_id="EXPIRED", msg_id=602) == wt("photo_failed")
    assert not (Path(deps.settings.media_dir) / "wechat").exists()


async def test_location_reaches_the_core(served: Served, deps: Deps, world: World) -> None:
    bind(deps, world)
    assert await say(served, "location", msg_id=701)


async def test_unknown_message_types_get_a_polite_text(served: Served) -> None:
    assert await say(served, "video", msg_id=801) == wt("unsupported")
    assert await say(served, "text", content="你好", msg_id=802)  # still serving


async def test_events_we_do_not_handle_are_acknowledged_and_ignored(
    served: Served, deps: Deps
) -> None:
    assert await say(served, "event", event="VIEW", event_key="https://example.com") is None
    assert await say(served, "event", event="TEMPLATESENDJOBFINISH") is None
    assert identity(deps) is None


async def test_a_message_naming_no_sender_is_refused(served: Served) -> None:
    status, _ = await served.wechat.post("<xml><MsgType>text</MsgType><Content>hi</Content></xml>")
    assert status == 400
