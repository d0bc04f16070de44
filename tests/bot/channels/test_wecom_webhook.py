"""The WeCom callback under bad input, retries and slow work: each refusal has its status,
nothing is written, the server keeps serving, and no staff message is left unanswered."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import xmltodict
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.channels.wecom.texts import wt
from handlers.deps import Deps
from storage.models import (
    Attachment,
    AuditLog,
    ChannelIdentity,
    KeyValueEntry,
    OutboxMessage,
    Ticket,
)
from tests.fakes.wecom_server import (
    AES_KEY,
    AGENT_ID,
    CORP_ID,
    SEND,
    TOKEN,
    FakeWecomServer,
    payload,
    serve_webhook,
    sign,
    wecom_settings,
)

if TYPE_CHECKING:
    from tests.chat import FakeClock
    from tests.factories import World
    from tests.fakes.wecom_server import Served

DATA = Path(__file__).parents[2] / "data" / "wecom"


@pytest.fixture
async def wc() -> AsyncIterator[FakeWecomServer]:
    async with FakeWecomServer() as server:
        yield server


@pytest.fixture
async def served(wc: FakeWecomServer, deps: Deps, world: World) -> AsyncIterator[Served]:
    async with serve_webhook(deps, wecom_settings(wc.base_url)) as running:
        yield running


def rows(deps: Deps) -> dict[str, int]:
    with deps.uow() as uow:
        return {
            m.__name__: int(uow.session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (ChannelIdentity, Ticket, OutboxMessage, Attachment, AuditLog, KeyValueEntry)
        }


def envelope(encrypt: str) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt>"
        f"<AgentID><![CDATA[{AGENT_ID}]]></AgentID></xml>"
    )


def sealed(message: str, corp_id: str = CORP_ID) -> str:
    """`message` encrypted as WeCom would (for `corp_id`), without the signature."""
    crypto = WeChatCrypto(TOKEN, AES_KEY, corp_id)
    return str(xmltodict.parse(crypto.encrypt_message(message, "n", "1"))["xml"]["Encrypt"])


async def assert_still_serving(served: Served, wc: FakeWecomServer, msg_id: int) -> None:
    assert await served.wecom.post(payload("text", content="你好", msg_id=msg_id)) == (200, "")
    await served.webhook.flights.drain()
    assert wc.sent()[-1]["touser"] == "zhangsan"


async def test_a_text_message_is_answered_empty_and_replied_by_the_api(
    served: Served, wc: FakeWecomServer
) -> None:
    await assert_still_serving(served, wc, 1)
    assert wc.count(SEND) == 1


@pytest.mark.parametrize(
    "case",
    ["forged_signature", "missing_signature", "stale_timestamp", "future_timestamp", "other_corp"],
)
async def test_refused_with_403_and_nothing_written(
    served: Served, wc: FakeWecomServer, deps: Deps, clock: FakeClock, case: str
) -> None:
    before = rows(deps)
    message = payload("text", content="我的工单", msg_id=7)
    if case == "other_corp":
        # Signed correctly with our token, but encrypted for another CorpID.
        encrypt = sealed(message, corp_id="ww0000000000000000")
        status, _ = await served.wecom.raw(envelope(encrypt), **served.wecom.signed_query(encrypt))
    else:
        query = {
            "forged_signature": {"msg_signature": "0" * 40},
            "missing_signature": {"msg_signature": ""},
            "stale_timestamp": {"timestamp": str(int(clock().timestamp()) - 301)},
            "future_timestamp": {"timestamp": str(int(clock().timestamp()) + 301)},
        }[case]
        status, _ = await served.wecom.post(message, **query)
    assert status == 403
    assert rows(deps) == before and wc.count(SEND) == 0
    await assert_still_serving(served, wc, 8)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param((DATA / "xxe.xml").read_bytes(), id="xxe"),
        pytest.param((DATA / "billion_laughs.xml").read_bytes(), id="billion-laughs"),
        pytest.param(b"<xml><ToUserName>x</ToUserName>", id="truncated"),
        pytest.param(b"not xml at all", id="not-xml"),
        pytest.param(b"<xml><ToUserName>x</ToUserName></xml>", id="no-encrypt"),
        pytest.param("<xml><A>1</A></xml>".encode("utf-16"), id="utf-16"),
    ],
)
async def test_unreadable_bodies_get_400(
    served: Served, wc: FakeWecomServer, deps: Deps, body: bytes
) -> None:
    before = rows(deps)
    status, _ = await served.wecom.raw(body, **served.wecom.signed_query("x"))
    assert status == 400
    assert rows(deps) == before and wc.count(SEND) == 0
    await assert_still_serving(served, wc, 9)


@pytest.mark.parametrize(
    "inner", ["this is not xml", "<xml><MsgType>text</MsgType></xml>"], ids=["not-xml", "no-sender"]
)
async def test_a_signed_message_whose_content_is_not_a_message_gets_400(
    served: Served, wc: FakeWecomServer, deps: Deps, inner: str
) -> None:
    before = rows(deps)
    encrypt = sealed(inner)
    status, _ = await served.wecom.raw(envelope(encrypt), **served.wecom.signed_query(encrypt))
    assert status == 400 and rows(deps) == before


async def test_a_huge_body_gets_413(served: Served, wc: FakeWecomServer, deps: Deps) -> None:
    before = rows(deps)
    encrypt = "A" * (70 * 1024)
    status, _ = await served.wecom.raw(envelope(encrypt), **served.wecom.signed_query(encrypt))
    assert status == 413 and rows(deps) == before
    await assert_still_serving(served, wc, 10)


async def test_the_same_message_delivered_twice_is_handled_once(
    served: Served, wc: FakeWecomServer
) -> None:
    message = payload("text", content="你好", msg_id=42)
    assert await served.wecom.post(message) == (200, "")
    assert await served.wecom.post(message) == (200, "")  # WeCom's retry
    await served.webhook.flights.drain()
    assert wc.count(SEND) == 1


async def test_unsupported_types_get_a_polite_text(served: Served, wc: FakeWecomServer) -> None:
    await served.wecom.post(payload("voice", media_id="V1", msg_id=51))
    await served.webhook.flights.drain()
    assert wc.sent()[-1]["text"]["content"] == wt("unsupported")


async def test_events_we_do_not_handle_and_other_apps_are_ignored(
    served: Served, wc: FakeWecomServer, deps: Deps
) -> None:
    before = rows(deps)
    assert await served.wecom.post(payload("event", event="enter_agent")) == (200, "")
    assert await served.wecom.post(payload("text", content="你好", agent_id=99, msg_id=52)) == (200, "")
    await served.webhook.flights.drain()
    assert wc.count(SEND) == 0 and rows(deps) == before


async def test_follow_welcomes_and_unfollow_stops_pushes(
    served: Served, wc: FakeWecomServer, deps: Deps
) -> None:
    await served.wecom.post(payload("event", event="subscribe", create_time=1795744801))
    await served.webhook.flights.drain()
    assert wc.sent()[-1]["text"]["content"] == wt("welcome")
    await served.wecom.post(payload("event", event="unsubscribe", create_time=1795744802))
    await served.webhook.flights.drain()
    with deps.uow() as uow:
        identity = uow.identities.by_external("wecom", "zhangsan")
        assert identity is not None and not identity.reachable


async def test_a_slow_message_is_answered_in_time_and_replied_later(
    wc: FakeWecomServer, deps: Deps, world: World
) -> None:
    wc.held.add(SEND)  # the reply cannot go out until released: the work outlasts the deadline
    settings = wecom_settings(wc.base_url, reply_deadline=0.05)
    async with serve_webhook(deps, settings) as served:
        assert await served.wecom.post(payload("text", content="你好", msg_id=61)) == (200, "")
        assert wc.sent() == []
        # WeCom's retry while the first delivery is still being worked on: not worked twice.
        assert await served.wecom.post(payload("text", content="你好", msg_id=61)) == (200, "")
        await wc.wait_for(SEND)
        wc.release()
        await served.webhook.flights.drain()
    assert wc.count(SEND) == 1 and len(wc.sent()) == 1


async def test_a_reply_the_api_refuses_goes_to_the_outbox(
    served: Served, wc: FakeWecomServer, deps: Deps
) -> None:
    wc.fail(SEND, 45009)
    await served.wecom.post(payload("text", content="我的工单", msg_id=71))
    await served.webhook.flights.drain()
    with deps.uow() as uow:
        [queued] = uow.session.scalars(select(OutboxMessage)).all()
        assert queued.kind == "reply" and queued.channel == "wecom"
        assert queued.dedupe_key == "wecom:msg:71:reply"
        assert json.loads(queued.payload)["text"]
        assert queued.next_attempt_at > deps.clock()


class DatabaseDownOnce:
    """A unit-of-work factory whose database is unreachable the first time it is asked."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.failed = False

    def __call__(self) -> Any:
        if not self.failed:
            self.failed = True
            raise OperationalError("SELECT 1", {}, ConnectionError("database went away"))
        return self.real()


async def test_a_failure_inside_is_answered_500_and_the_retry_runs_it(
    wc: FakeWecomServer, deps: Deps, world: World
) -> None:
    flaky = replace(deps, uow=DatabaseDownOnce(deps.uow))
    async with serve_webhook(flaky, wecom_settings(wc.base_url)) as served:
        message = payload("text", content="你好", msg_id=81)
        assert (await served.wecom.post(message))[0] == 500
        await served.webhook.flights.drain()  # the claim is released with the failure
        assert await served.wecom.post(message) == (200, "")
        await served.webhook.flights.drain()
    assert wc.count(SEND) == 1


def test_signature_helper_matches_wecom() -> None:
    assert sign("QDG6eK", "1409659589", "263014780",
                "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==") \
        == "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param("<Pad>" + "<a>" * 5000 + "</a>" * 5000 + "</Pad>", id="deep-sibling"),
        pytest.param("<Pad><a><b>x</b></a></Pad>", id="three-levels"),
    ],
)
async def test_the_envelope_is_read_no_deeper_than_its_encrypt_element(
    served: Served, wc: FakeWecomServer, deps: Deps, extra: str
) -> None:
    # Correctly signed, but the unsigned rest of the envelope nests: refused before any
    # verification or decryption, 400 (not a 500 from a recursive walk over a parsed tree).
    before = rows(deps)
    encrypt = sealed(payload("text", content="你好", msg_id=60))
    body = envelope(encrypt).replace("</xml>", extra + "</xml>")
    status, _ = await served.wecom.raw(body, **served.wecom.signed_query(encrypt))
    assert status == 400 and rows(deps) == before and wc.count(SEND) == 0
    await assert_still_serving(served, wc, 61)


async def test_a_deeply_nested_signed_message_gets_400(
    served: Served, wc: FakeWecomServer, deps: Deps
) -> None:
    before = rows(deps)
    encrypt = sealed("<xml><FromUserName>zhangsan</FromUserName>" + "<a>" * 3000 + "</a>" * 3000 + "</xml>")
    status, _ = await served.wecom.raw(envelope(encrypt), **served.wecom.signed_query(encrypt))
    assert status == 400 and rows(deps) == before
