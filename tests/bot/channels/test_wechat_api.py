"""The outbound WeChat client against the fake WeChat API server on loopback: the shared
access token, invalid-token refresh, the 48-hour window and its count, templates, errcodes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from bot.channels.wechat.api import WechatApi, WechatApiError
from handlers.deps import Deps
from storage.models import ChannelIdentity
from storage.stores.memory import MemoryLockStore
from tests.fakes.wechat_server import FakeWechatServer, wechat_settings

if TYPE_CHECKING:
    from tests.chat import FakeClock

CUSTOM = "/cgi-bin/message/custom/send"
TEMPLATE = "/cgi-bin/message/template/send"
TOKEN = "/cgi-bin/token"
OPENID = "o-owner-api-1"


@pytest.fixture
async def wx() -> AsyncIterator[FakeWechatServer]:
    async with FakeWechatServer() as server:
        yield server


@pytest.fixture
async def api(wx: FakeWechatServer, deps: Deps) -> AsyncIterator[WechatApi]:
    client = WechatApi(wechat_settings(wx.base_url), deps, MemoryLockStore())
    yield client
    await client.close()


def add_identity(deps: Deps, hours_since_inbound: float | None, *, reachable: bool = True,
                 replies: int = 0, openid: str = OPENID) -> None:
    now = deps.clock()
    with deps.uow() as uow:
        last = None if hours_since_inbound is None else now - timedelta(hours=hours_since_inbound)
        uow.session.add(ChannelIdentity(
            channel="wechat", external_id=openid, created_at=now - timedelta(days=10),
            last_inbound_at=last, reachable=reachable, replies_since_inbound=replies,
        ))
        uow.commit()


def replies_counted(deps: Deps, openid: str = OPENID) -> int:
    with deps.uow() as uow:
        identity = uow.identities.by_external("wechat", openid)
        assert identity is not None
        return identity.replies_since_inbound


# --- the access token ------------------------------------------------------------------


async def test_two_processes_share_one_token_fetch(wx: FakeWechatServer, deps: Deps) -> None:
    locks = MemoryLockStore()  # stands for Redis: both "processes" see the same stores
    first = WechatApi(wechat_settings(wx.base_url), deps, locks)
    second = WechatApi(wechat_settings(wx.base_url), deps, locks)
    try:
        tokens = await asyncio.gather(*(c.tokens.get() for c in (first, second, first, second)))
    finally:
        await first.close()
        await second.close()
    assert len(set(tokens)) == 1
    assert wx.count(TOKEN) == 1


async def test_token_is_reused_then_refreshed_before_expiry(
    wx: FakeWechatServer, api: WechatApi, clock: FakeClock
) -> None:
    first = await api.tokens.get()
    assert await api.tokens.get() == first
    clock.advance(seconds=7200 - 300 - 1)
    assert await api.tokens.get() == first
    clock.advance(seconds=2)  # inside the 300 s margin before WeChat's expiry
    assert await api.tokens.get() != first
    assert wx.count(TOKEN) == 2


async def test_invalid_token_refreshes_once_and_retries(
    wx: FakeWechatServer, api: WechatApi, deps: Deps
) -> None:
    add_identity(deps, 1)
    await api.tokens.get()
    wx.revoke_tokens()  # e.g. someone fetched a token with the same secret elsewhere
    result = await api.deliver(OPENID, {"text": "您的报修已受理"}, "ticket_update")
    assert result.status == "sent"
    assert wx.count(TOKEN) == 2
    assert [b["text"]["content"] for b in wx.sent("custom")] == ["您的报修已受理"]


async def test_a_token_that_keeps_failing_is_not_retried_forever(
    wx: FakeWechatServer, api: WechatApi, deps: Deps
) -> None:
    add_identity(deps, 1)
    wx.fail(CUSTOM, 40001, 40001, 40001)
    result = await api.deliver(OPENID, {"text": "x"}, "reply")
    assert result.status == "retry_after"
    assert wx.count(CUSTOM) == 2
    assert wx.count(TOKEN) == 2


async def test_refused_credentials_mean_retry_later(wx: FakeWechatServer, deps: Deps) -> None:
    add_identity(deps, 1)
    client = WechatApi(wechat_settings(wx.base_url, app_secret="wrong"), deps, MemoryLockStore())
    try:
        result = await client.deliver(OPENID, {"text": "x"}, "reply")
    finally:
        await client.close()
    assert result.status == "retry_after"
    assert "40125" in result.error


# --- the 48-hour window ----------------------------------------------------------------


async def test_inside_the_window_a_customer_service_message_with_numbered_buttons(
    wx: FakeWechatServer, api: WechatApi, deps: Deps
) -> None:
    add_identity(deps, 47)
    payload = {
        "text": "您的报修 R2026001 已完成，请评价。",
        "buttons": [{"title": "满意", "payload": "/rate_service{\"score\": 5}"},
                    {"title": "不满意", "payload": "/rate_service{\"score\": 1}"}],
    }
    result = await api.deliver(OPENID, payload, "ticket_update")
    assert result.status == "sent"
    (body,) = wx.sent("custom")
    assert body["touser"] == OPENID and body["msgtype"] == "text"
    assert body["text"]["content"] == "您的报修 R2026001 已完成，请评价。\n回复数字：\n1. 满意\n2. 不满意"
    assert replies_counted(deps) == 1
    with deps.uow() as uow:
        identity = uow.identities.by_external("wechat", OPENID)
        assert identity is not None
        state = deps.state.get(f"dialogue:{identity.id}")
    assert state is not None and state["buttons"][0] == "/rate_service{\"score\": 5}"


async def test_five_messages_per_owner_message_then_templates(
    wx: FakeWechatServer, api: WechatApi, deps: Deps
) -> None:
    add_identity(deps, 2)
    results = [await api.deliver(OPENID, {"text": f"通知{i}"}, "notice") for i in range(7)]
    assert [r.status for r in results] == ["sent"] * 7
    assert len(wx.sent("custom")) == 5
    assert [b["template_id"] for b in wx.sent("template")] == ["TPL_NOTICE", "TPL_NOTICE"]
    assert replies_counted(deps) == 5


async def test_outside_the_window_a_template_with_short_flat_fields_and_a_link(
    wx: FakeWechatServer, api: WechatApi, deps: Deps
) -> None:
    add_identity(deps, 49)
    payload = {
        "text": "2026年11月物业费账单已出，金额268.50元，请于11月30日前缴纳。\n详情见链接。",
        "url": "https://wuye.example.com/bills/2026-11",
        "template": {"data": {"thing1": "3号楼2单元501\n2026年11月物业费及水费合计", "amount2": "268.50元"}},
    }
    result = await api.deliver(OPENID, payload, "bill_reminder")
    assert result.status == "sent"
    assert wx.count(CUSTOM) == 0
    (body,) = wx.sent("template")
    assert body["template_id"] == "TPL_BILL"
    assert body["url"] == "https://wuye.example.com/bills/2026-11"
    values = [field["value"] for field in body["data"].values()]
    assert all(len(v) <= 20 and "\n" not in v for v in values)
    assert body["data"]["amount2"]["value"] == "268.50元"
    assert body["data"]["thing1"]["value"].startswith("3号楼2单元501 2026")


async def test_without_template_data_the_first_line_is_the_summary(
    wx: FakeWechatServer, api: WechatApi, deps: Deps
) -> None:
    add_identity(deps, None)
    await api.deliver(OPENID, {"text": "停水通知：12月1日9:00-17:00\n第二行", "url": "u"}, "notice")
    (body,) = wx.sent("template")
    assert body["data"] == {"thing1": {"value": "停水通知：12月1日9:00-17:00"}}


async def test_out_of_window_errcode_falls_back_to_template(
    wx: FakeWechatServer, api: WechatApi, deps: Deps
) -> None:
    add_identity(deps, 1)
    wx.fail(CUSTOM, 45015)
    result = await api.deliver(OPENID, {"text": "工单进展"}, "ticket_update")
    assert result.status == "sent"
    assert [b["template_id"] for b in wx.sent("template")] == ["TPL_TICKET"]


async def test_window_used_up_errcode_falls_back_or_waits(
    wx: FakeWechatServer, api: WechatApi, deps: Deps
) -> None:
    add_identity(deps, 1)
    wx.fail(CUSTOM, 45047)
    assert (await api.deliver(OPENID, {"text": "a"}, "notice")).status == "sent"
    assert replies_counted(deps) == 5  # no more customer-service tries until the owner writes
    result = await api.deliver(OPENID, {"text": "b"}, "reply")  # no template for plain replies
    assert result.status == "retry_after" and result.retry_after > 0
    assert wx.count(CUSTOM) == 1


@pytest.mark.parametrize(
    ("errcode", "status"),
    [(43004, "blocked"), (43101, "blocked"), (45009, "retry_after"), (-1, "retry_after"),
     (40003, "failed")],
)
async def test_errcodes_map_to_results(
    wx: FakeWechatServer, api: WechatApi, deps: Deps, errcode: int, status: str
) -> None:
    add_identity(deps, 1)
    wx.fail(CUSTOM, errcode)
    result = await api.deliver(OPENID, {"text": "x"}, "reply")
    assert result.status == status
    assert str(errcode) in result.error
    with deps.uow() as uow:
        identity = uow.identities.by_external("wechat", OPENID)
        assert identity is not None and identity.reachable == (status != "blocked")


async def test_daily_quota_waits_until_midnight_beijing(
    wx: FakeWechatServer, api: WechatApi, deps: Deps
) -> None:
    add_identity(deps, 1)
    wx.fail(CUSTOM, 45009)
    result = await api.deliver(OPENID, {"text": "x"}, "reply")
    assert result.retry_after == 14 * 3600  # the test clock says 10:00 in Beijing


async def test_unknown_and_unfollowed_accounts(wx: FakeWechatServer, api: WechatApi, deps: Deps) -> None:
    assert (await api.deliver("o-nobody", {"text": "x"}, "notice")).status == "failed"
    add_identity(deps, 1, reachable=False)
    assert (await api.deliver(OPENID, {"text": "x"}, "notice")).status == "blocked"
    assert wx.count(CUSTOM) == 0


async def test_no_answer_in_time_is_unknown_not_resent(wx: FakeWechatServer, deps: Deps) -> None:
    # The message may have reached the owner and WeChat has no idempotency key: the sender
    # records `unknown` and never resends it by itself (issue 8; before: retry_after 30 s).
    add_identity(deps, 1)
    wx.held.add(CUSTOM)
    client = WechatApi(wechat_settings(wx.base_url, http_timeout=0.2), deps, MemoryLockStore())
    try:
        result = await client.deliver(OPENID, {"text": "x"}, "reply")
    finally:
        await client.close()
    assert result.status == "unknown"


async def test_unreachable_api_means_retry_later(deps: Deps) -> None:
    add_identity(deps, 1)
    client = WechatApi(wechat_settings("http://127.0.0.1:9"), deps, MemoryLockStore())
    try:
        result = await client.deliver(OPENID, {"text": "x"}, "reply")
    finally:
        await client.close()
    assert result.status == "retry_after"


# --- media -----------------------------------------------------------------------------


async def test_media_download(wx: FakeWechatServer, api: WechatApi) -> None:
    wx.media["m1"] = (b"\xff\xd8\xff\xe0jpeg", "image/jpeg")
    assert await api.download_media("m1") == (b"\xff\xd8\xff\xe0jpeg", "image/jpeg")
    with pytest.raises(WechatApiError) as err:
        await api.download_media("gone")
    assert err.value.errcode == 40007


async def test_media_larger_than_the_cap_is_refused(wx: FakeWechatServer, deps: Deps) -> None:
    wx.media["big"] = (b"x" * 4096, "image/jpeg")
    client = WechatApi(wechat_settings(wx.base_url, media_max_bytes=1024), deps, MemoryLockStore())
    try:
        with pytest.raises(Exception, match="larger than"):
            await client.download_media("big")
    finally:
        await client.close()
