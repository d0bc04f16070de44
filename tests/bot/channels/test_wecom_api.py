"""The WeCom API client against a fake WeCom on loopback: the shared access token,
`deliver()` and its errcode mapping, message shapes, and media download."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.channels.wecom import render
from bot.channels.wecom.api import WecomApi, WecomApiError, WecomUnavailableError
from handlers.deps import Deps
from handlers.messages import Button
from storage.stores.memory import MemoryLockStore
from tests.factories import bind_identity
from tests.fakes.wecom_server import AGENT_ID, SEND, FakeWecomServer, wecom_settings

USER = "zhangsan"
TOKEN_PATH = "/cgi-bin/gettoken"


@pytest.fixture
async def wc() -> AsyncIterator[FakeWecomServer]:
    async with FakeWecomServer() as server:
        yield server


@pytest.fixture
async def api(wc: FakeWecomServer, deps: Deps) -> AsyncIterator[WecomApi]:
    client = WecomApi(wecom_settings(wc.base_url), deps, MemoryLockStore())
    yield client
    await client.close()


async def test_two_processes_share_one_token(wc: FakeWecomServer, deps: Deps) -> None:
    locks = MemoryLockStore()  # the shared store and lock two processes would have
    first = WecomApi(wecom_settings(wc.base_url), deps, locks)
    second = WecomApi(wecom_settings(wc.base_url), deps, locks)
    try:
        assert await first.tokens.get() == await second.tokens.get()
    finally:
        await first.close()
        await second.close()
    assert wc.count(TOKEN_PATH) == 1


async def test_an_invalid_token_is_refreshed_once_and_the_message_sent(
    wc: FakeWecomServer, api: WecomApi
) -> None:
    await api.tokens.get()
    wc.revoke_tokens()  # WeCom may end a token early: 42001 on the next call
    assert (await api.deliver(USER, {"text": "停水通知"})).status == "sent"
    assert wc.count(TOKEN_PATH) == 2 and wc.count(SEND) == 2


@pytest.mark.parametrize(
    ("errcodes", "status", "retry_after"),
    [
        ((45009,), "retry_after", 60.0),  # API frequency limit
        ((45033,), "retry_after", 60.0),  # concurrency limit
        ((60111,), "blocked", 0.0),  # no such userid
        ((81013,), "blocked", 0.0),  # not in the app's visible range
        ((-1,), "retry_after", 30.0),  # system busy
        ((40014, 40014), "retry_after", 30.0),  # refreshed once, still refused
        ((42001, 0), "sent", 0.0),  # refreshed once, then fine
        ((60020,), "retry_after", 600.0),  # the server's IP is not trusted yet
        ((40008,), "failed", 0.0),  # a message WeCom will never take
    ],
)
async def test_errcodes_map_to_results(
    wc: FakeWecomServer, api: WecomApi, errcodes: tuple[int, ...], status: str, retry_after: float
) -> None:
    wc.fail(SEND, *errcodes)
    result = await api.deliver(USER, {"text": "工单提醒"}, "staff_ticket")
    assert (result.status, result.retry_after) == (status, retry_after)
    if status != "sent":
        assert str(errcodes[-1]) in result.error


async def test_a_userid_named_invalid_in_a_success_answer_is_blocked(
    wc: FakeWecomServer, api: WecomApi
) -> None:
    wc.invalid_users.add(USER)
    result = await api.deliver(USER, {"text": "x"})
    assert result.status == "blocked" and wc.sent() == []


async def test_refused_credentials_mean_retry_later(wc: FakeWecomServer, deps: Deps) -> None:
    client = WecomApi(wecom_settings(wc.base_url, secret="wrong"), deps, MemoryLockStore())
    try:
        result = await client.deliver(USER, {"text": "x"})
    finally:
        await client.close()
    assert result.status == "retry_after" and "40001" in result.error
    assert wc.count(SEND) == 0


async def test_no_answer_in_time_means_retry_later(wc: FakeWecomServer, deps: Deps) -> None:
    wc.held.add(SEND)
    client = WecomApi(wecom_settings(wc.base_url, http_timeout=0.2), deps, MemoryLockStore())
    try:
        result = await client.deliver(USER, {"text": "x"})
    finally:
        await client.close()
    assert result.status == "retry_after" and "Timeout" in result.error


async def test_unreachable_api_means_retry_later(deps: Deps) -> None:
    client = WecomApi(wecom_settings("http://127.0.0.1:9"), deps, MemoryLockStore())
    try:
        assert (await client.deliver(USER, {"text": "x"})).status == "retry_after"
    finally:
        await client.close()


# --- message shapes ----------------------------------------------------------------------


async def test_a_push_with_a_link_is_a_textcard(wc: FakeWecomServer, api: WecomApi) -> None:
    payload = {"text": "【停水通知】3号楼\n明天9:00-12:00停水，请提前储水。", "url": "https://wy.example/n/7"}
    assert (await api.deliver(USER, payload, "notice")).status == "sent"
    [sent] = wc.sent()
    assert sent["touser"] == USER and sent["agentid"] == AGENT_ID
    assert sent["msgtype"] == "textcard"
    assert sent["textcard"] == {
        "title": "【停水通知】3号楼", "description": "明天9:00-12:00停水，请提前储水。",
        "url": "https://wy.example/n/7", "btntxt": "详情",
    }
    assert sent["enable_duplicate_check"] == 1  # a resend after a lost answer is not shown twice


async def test_a_plain_push_is_text(wc: FakeWecomServer, api: WecomApi) -> None:
    await api.deliver(USER, {"text": "今日待办 3 单"})
    assert wc.sent()[0]["text"] == {"content": "今日待办 3 单"}


async def test_too_many_buttons_become_numbered_lines_that_a_number_picks(
    wc: FakeWecomServer, api: WecomApi, deps: Deps
) -> None:
    with deps.uow() as uow:
        identity_id = bind_identity(uow, "wecom", USER, deps.clock())
        uow.commit()
    buttons = [{"title": f"同事{i}", "payload": f'/staff_transfer{{"to": "{i}"}}'} for i in range(8)]
    assert (await api.deliver(USER, {"text": "请选择", "buttons": buttons})).status == "sent"
    content = wc.sent()[0]["text"]["content"]
    assert "1. 同事0" in content and "8. 同事7" in content
    state = deps.state.get(f"dialogue:{identity_id}")
    assert state is not None and state["buttons"][7] == '/staff_transfer{"to": "7"}'


def test_card_falls_back_to_text_when_it_does_not_fit() -> None:
    long_titles = (Button("接单 R20261127001", "/staff_accept"),)
    assert render.message("待办", long_titles).body["msgtype"] == "text"
    long_text = "说明" * 80
    assert render.message(long_text, (Button("完成", "/staff_done"),)).body["msgtype"] == "text"
    huge_key = (Button("完成", "/staff_done" + "x" * 1100),)
    assert render.message("完成？", huge_key).body["msgtype"] == "text"


def test_card_splits_key_value_lines_and_keeps_the_rest_as_text() -> None:
    text = "【转派工单】有同事将工单 R20261127001 转给您（张师傅 → 李师傅）。\n单号：R20261127001\n描述：" + "漏" * 40
    card = render.message(text, (Button("接单", "/staff_accept"),)).body["template_card"]
    assert card["main_title"] == {}  # the first line is too long for a title: it stays text
    assert card["horizontal_content_list"] == [{"keyname": "单号", "value": "R20261127001"}]
    assert card["sub_title_text"].startswith("【转派工单】") and "描述：" in card["sub_title_text"]
    assert len(card["task_id"]) <= 128


def test_long_text_is_cut_to_wecoms_byte_limit() -> None:
    body = render.message("长" * 1000).body
    assert len(body["text"]["content"].encode()) <= 2048


# --- media -------------------------------------------------------------------------------


async def test_media_download(wc: FakeWecomServer, api: WecomApi) -> None:
    wc.media["m1"] = (b"\xff\xd8\xff\xe0jpeg", "image/jpeg")
    assert await api.download_media("m1") == (b"\xff\xd8\xff\xe0jpeg", "image/jpeg")
    with pytest.raises(WecomApiError) as err:
        await api.download_media("expired")
    assert err.value.errcode == 40007


async def test_media_larger_than_the_cap_is_refused(wc: FakeWecomServer, deps: Deps) -> None:
    wc.media["big"] = (b"x" * 4096, "image/jpeg")
    client = WecomApi(wecom_settings(wc.base_url, media_max_bytes=1024), deps, MemoryLockStore())
    try:
        with pytest.raises(WecomUnavailableError):
            await client.download_media("big")
    finally:
        await client.close()
