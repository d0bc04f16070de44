"""The WeChat callback over HTTP on loopback: URL check, plain and safe mode round trips with
the real dispatch, and bad input (forged, stale, XXE, malformed, huge) refused with nothing
written."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from handlers.deps import Deps
from storage.models import AuditLog, ChannelIdentity, KeyValueEntry, OutboxMessage, Ticket
from tests.fakes.wechat_server import (
    ACCOUNT,
    DATA,
    FakeWechatServer,
    payload,
    serve_webhook,
    wechat_settings,
)

if TYPE_CHECKING:
    from tests.chat import FakeClock
    from tests.fakes.wechat_server import Served



@pytest.fixture
async def wx() -> AsyncIterator[FakeWechatServer]:
    async with FakeWechatServer() as server:
        yield server


@pytest.fixture(params=["plain", "safe"])
async def served(request: pytest.FixtureRequest, wx: FakeWechatServer, deps: Deps, world: object) -> AsyncIterator[Served]:
    settings = wechat_settings(wx.base_url, safe=request.param == "safe")
    async with serve_webhook(deps, settings) as running:
        yield running


def rows(deps: Deps) -> dict[str, int]:
    """How many rows each table a message could touch holds."""
    with deps.uow() as uow:
        return {
            model.__tablename__: int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (ChannelIdentity, Ticket, AuditLog, OutboxMessage, KeyValueEntry)
        }


# --- URL verification ------------------------------------------------------------------


async def test_url_verification_echoes_only_for_wechat(served: Served, clock: FakeClock) -> None:
    client = served.wechat.client
    query = served.wechat.query() | {"echostr": "5837397520365836118"}
    resp = await client.get("/webhook/wechat", params=query)
    assert resp.status == 200 and await resp.text() == "5837397520365836118"
    forged = query | {"signature": "0" * 40}
    assert (await client.get("/webhook/wechat", params=forged)).status == 403
    stale = served.wechat.query(timestamp=str(int(clock().timestamp()) - 301)) | {"echostr": "1"}
    assert (await client.get("/webhook/wechat", params=stale)).status == 403


# --- round trips -------------------------------------------------------------------------


async def test_text_round_trip_answers_passively(served: Served, deps: Deps) -> None:
    status, body = await served.wechat.post(payload("text", content="你好", msg_id=101))
    assert status == 200
    reply = served.wechat.content(body)
    assert reply  # the core's greeting, rendered as one text message
    with deps.uow() as uow:
        identity = uow.identities.by_external("wechat", "o-owner-1")
        assert identity is not None and identity.last_inbound_at is not None


async def test_passive_reply_is_addressed_from_our_account(served: Served) -> None:
    status, body = await served.wechat.post(payload("text", content="你好", msg_id=102))
    if served.wechat.crypto is not None:
        body = served.wechat.crypto.decrypt_message(
            body, *(_field(body, k) for k in ("MsgSignature", "TimeStamp", "Nonce"))
        )
    assert _field(body, "ToUserName") == "o-owner-1"
    assert _field(body, "FromUserName") == ACCOUNT


async def test_tencent_sample_round_trips_through_the_webhook(
    wx: FakeWechatServer, deps: Deps, clock: FakeClock, world: object
) -> None:
    sample = json.loads((DATA / "tencent_sample.json").read_text(encoding="utf-8"))
    clock.now = datetime.fromtimestamp(int(sample["timestamp"]), clock.now.tzinfo)
    async with serve_webhook(deps, wechat_settings(wx.base_url, safe=True)) as running:
        query = {
            "signature": sample["signature"], "timestamp": sample["timestamp"],
            "nonce": sample["nonce"], "encrypt_type": "aes", "msg_signature": sample["msg_signature"],
        }
        resp = await running.wechat.client.post("/webhook/wechat", params=query, data=sample["from_xml"])
        assert resp.status == 200
        reply = running.wechat.crypto.decrypt_message(  # type: ignore[union-attr]
            body := await resp.text(), *(_field(body, k) for k in ("MsgSignature", "TimeStamp", "Nonce"))
        )
    assert _field(reply, "ToUserName") == sample["decrypted"]["FromUserName"]
    assert _field(reply, "Content")
    with deps.uow() as uow:
        assert uow.identities.by_external("wechat", sample["decrypted"]["FromUserName"]) is not None


async def test_unbound_owner_asking_for_a_bill_gets_the_bind_prompt_and_no_data(
    served: Served, deps: Deps
) -> None:
    status, body = await served.wechat.post(payload("text", content="我家物业费还欠多少", msg_id=103))
    reply = served.wechat.content(body) or ""
    assert status == 200
    assert "绑定" in reply
    assert "268.50" not in reply and "王建国" not in reply
    assert rows(deps)["ticket"] == 0


# --- bad input -----------------------------------------------------------------------------


async def test_forged_signature_is_refused_and_nothing_written(served: Served, deps: Deps) -> None:
    before = rows(deps)
    status, _ = await served.wechat.post(payload("text", content="你好", msg_id=201), signature="f" * 40)
    assert status == 403
    assert rows(deps) == before


async def test_forged_message_signature_in_safe_mode(wx: FakeWechatServer, deps: Deps, world: object) -> None:
    async with serve_webhook(deps, wechat_settings(wx.base_url, safe=True)) as running:
        before = rows(deps)
        status, _ = await running.wechat.post(payload("text", content="你好"), msg_signature="0" * 40)
        assert status == 403
        # A plain message when safe mode is configured: its signature does not cover the body.
        running.wechat.crypto, crypto = None, running.wechat.crypto
        status, _ = await running.wechat.post(payload("text", content="你好", msg_id=202))
        assert status == 403
        running.wechat.crypto = crypto
        assert rows(deps) == before


async def test_stale_or_future_timestamps_are_refused(served: Served, deps: Deps, clock: FakeClock) -> None:
    before = rows(deps)
    now = int(clock().timestamp())
    for ts in (now - 301, now + 301, 1409735669):
        status, _ = await served.wechat.post(payload("text", content="你好"), timestamp=str(ts))
        assert status == 403
    assert rows(deps) == before


@pytest.mark.parametrize("name", ["xxe.xml", "billion_laughs.xml"])
async def test_dtd_payloads_are_refused_and_nothing_read(
    served: Served, deps: Deps, name: str
) -> None:
    before = rows(deps)
    status, _ = await served.wechat.post((DATA / name).read_bytes())
    assert status == 400
    assert rows(deps) == before


@pytest.mark.parametrize(
    "body", ["<xml><ToUserName>x", "{\"json\": true}", "<xml><A>1</A></xml>", "<xml>text</xml>", ""]
)
async def test_malformed_xml_gets_400_and_the_server_keeps_serving(
    served: Served, deps: Deps, body: str
) -> None:
    status, _ = await served.wechat.post(body)
    assert status == 400
    status, reply = await served.wechat.post(payload("text", content="你好", msg_id=301))
    assert status == 200 and served.wechat.content(reply)


async def test_huge_body_gets_413(served: Served, deps: Deps) -> None:
    before = rows(deps)
    huge = payload("text", content="漏水" * 40_000, msg_id=401)
    status, _ = await served.wechat.post(huge)
    assert status == 413
    assert rows(deps) == before


async def test_huge_body_without_length_header_gets_413(served: Served) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b"x" * 4096

    query = served.wechat.query()
    if served.wechat.crypto is not None:
        query |= {"encrypt_type": "aes", "msg_signature": "0" * 40}
    resp = await served.wechat.client.post("/webhook/wechat", params=query, data=chunks())
    assert resp.status == 413


def _field(xml_text: str, name: str) -> str:
    import xmltodict

    return str(xmltodict.parse(xml_text)["xml"][name])


# --- replay and recipient (issue 8) ------------------------------------------------------


async def test_plain_mode_a_captured_query_cannot_carry_another_body(
    wx: FakeWechatServer, deps: Deps, world: object
) -> None:
    async with serve_webhook(deps, wechat_settings(wx.base_url)) as served:
        client = served.wechat.client
        query = served.wechat.query()
        first = payload("text", content="你好", msg_id="901")
        resp = await client.post("/webhook/wechat", params=query, data=first)
        assert resp.status == 200
        retry = await client.post("/webhook/wechat", params=query, data=first)  # WeChat's retry
        assert retry.status == 200
        before = rows(deps)
        forged = payload("text", content="闻到煤气味了", openid="o-victim", msg_id="902")
        replay = await client.post("/webhook/wechat", params=query, data=forged)
        assert replay.status == 403
        assert rows(deps) == before


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
async def test_a_message_for_another_account_is_refused(
    wx: FakeWechatServer, deps: Deps, world: object, safe: bool
) -> None:
    settings = wechat_settings(wx.base_url, safe=safe, account_id=ACCOUNT)
    async with serve_webhook(deps, settings) as served:
        ours = payload("text", content="你好", msg_id="911")
        assert (await served.wechat.post(ours))[0] == 200
        before = rows(deps)
        theirs = ours.replace(ACCOUNT, "gh_000000000000").replace("911", "912")
        assert ACCOUNT not in theirs
        assert (await served.wechat.post(theirs))[0] == 403
        assert rows(deps) == before
