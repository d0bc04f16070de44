"""WeChat retries a message it got no answer to within 5 s: one message must still make one
ticket and one reply, and a reply that misses the deadline goes out by the customer-service
API. The handler is made slow by a gate the test opens, never by sleeping."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func, select

from bot.channels.wechat.inflight import Answer, Flights
from handlers.deps import Deps
from storage.models import OutboxMessage, Ticket
from storage.stores.memory import MemoryClaimStore
from tests.chat import Chat
from tests.fakes.wechat_server import FakeWechatServer, payload, serve_webhook, wechat_settings

if TYPE_CHECKING:
    from tests.factories import World

CUSTOM = "/cgi-bin/message/custom/send"
GAS_LEAK = "家里厨房煤气泄漏了，味道很大"
OPENID = "o-owner-1"
EMERGENCY_PHONE = "010-64009999"  # the test community's, in every gas-leak answer


class GatedUow:
    """The real unit-of-work factory behind a gate: the handler's first database access waits
    until the test opens it. `waiting` counts the accesses made while it was closed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.gate = threading.Event()
        self.waiting = 0

    def __call__(self) -> Any:
        if not self.gate.is_set():
            self.waiting += 1
            if not self.gate.wait(timeout=30):
                raise TimeoutError("the test never opened the gate")
        return self.inner()


@pytest.fixture
async def wx() -> AsyncIterator[FakeWechatServer]:
    async with FakeWechatServer() as server:
        yield server


@pytest.fixture
def gated(deps: Deps, world: World) -> Iterator[GatedUow]:
    """A gate on the database; the owner is bound on WeChat before it closes."""
    Chat(deps, user=OPENID, channel="wechat").bind_to(
        world.home_ids["3-2-501"], world.owner_ids["13812345678"]
    )
    gate = GatedUow(deps.uow)
    yield gate
    gate.gate.set()  # never leave a worker thread waiting


@pytest.fixture
def slow_deps(deps: Deps, gated: GatedUow) -> Deps:
    """Deps whose handler waits for the gate."""
    return replace(deps, uow=gated)


def tickets(deps: Deps) -> int:
    with deps.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Ticket)) or 0)


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
async def test_three_concurrent_deliveries_one_ticket_one_reply(
    wx: FakeWechatServer, slow_deps: Deps, gated: GatedUow, safe: bool
) -> None:
    settings = wechat_settings(wx.base_url, safe=safe, passive_reply_deadline=0.2)
    async with serve_webhook(slow_deps, settings) as running:
        message = payload("text", content=GAS_LEAK, msg_id=9001)
        answers = await asyncio.gather(*(running.wechat.post(message) for _ in range(3)))
        assert answers == [(200, "success")] * 3  # the gate is still closed
        gated.gate.set()
        await running.webhook.flights.drain()
    assert gated.waiting == 1  # one handler ran; the twins never reached the database
    assert tickets(slow_deps) == 1
    (sent,) = wx.sent("custom")
    assert sent["touser"] == OPENID
    assert EMERGENCY_PHONE in sent["text"]["content"]


async def test_retries_while_the_first_is_slow_then_after_it_finished(
    wx: FakeWechatServer, slow_deps: Deps, gated: GatedUow
) -> None:
    settings = wechat_settings(wx.base_url, passive_reply_deadline=0.2)
    async with serve_webhook(slow_deps, settings) as running:
        message = payload("text", content=GAS_LEAK, msg_id=9002)
        assert await running.wechat.post(message) == (200, "success")  # WeChat gave up on it
        assert await running.wechat.post(message) == (200, "success")  # retry 1, still running
        gated.gate.set()
        await running.webhook.flights.drain()
        assert await running.wechat.post(message) == (200, "success")  # retry 2, all done
        await running.webhook.flights.drain()
    assert gated.waiting == 1  # one handler ran; the twins never reached the database
    assert tickets(slow_deps) == 1
    assert len(wx.sent("custom")) == 1


async def test_a_retry_waiting_when_the_work_finishes_takes_the_reply(
    wx: FakeWechatServer, slow_deps: Deps, gated: GatedUow
) -> None:
    """Whoever is waiting answers passively; then nothing goes by the API. If the work ends
    with nobody waiting, the API sends it. Either way: exactly one reply."""
    settings = wechat_settings(wx.base_url, passive_reply_deadline=0.2)
    async with serve_webhook(slow_deps, settings) as running:
        message = payload("text", content=GAS_LEAK, msg_id=9003)
        assert await running.wechat.post(message) == (200, "success")
        running.webhook.settings = settings.model_copy(update={"passive_reply_deadline": 4.5})
        retry = asyncio.create_task(running.wechat.post(message))
        await asyncio.sleep(0)
        gated.gate.set()
        status, body = await retry
        await running.webhook.flights.drain()
        passive = running.wechat.content(body)
    assert status == 200
    assert (1 if passive else 0) + len(wx.sent("custom")) == 1
    assert tickets(slow_deps) == 1


async def test_slow_reply_goes_by_customer_service_after_a_token_refresh(
    wx: FakeWechatServer, slow_deps: Deps, gated: GatedUow
) -> None:
    settings = wechat_settings(wx.base_url, passive_reply_deadline=0.2)
    async with serve_webhook(slow_deps, settings) as running:
        await running.webhook.api.tokens.get()
        wx.revoke_tokens()  # the cached token went bad meanwhile: 40001, refresh, retry
        assert await running.wechat.post(payload("text", content=GAS_LEAK, msg_id=9004)) == (200, "success")
        gated.gate.set()
        await running.webhook.flights.drain()
    assert wx.count("/cgi-bin/token") == 2
    (sent,) = wx.sent("custom")
    assert sent["touser"] == OPENID and EMERGENCY_PHONE in sent["text"]["content"]


async def test_a_late_reply_wechat_will_not_take_now_goes_to_the_outbox(
    wx: FakeWechatServer, slow_deps: Deps, gated: GatedUow
) -> None:
    settings = wechat_settings(wx.base_url, passive_reply_deadline=0.2)
    wx.fail(CUSTOM, -1)  # "system busy"
    async with serve_webhook(slow_deps, settings) as running:
        assert await running.wechat.post(payload("text", content=GAS_LEAK, msg_id=9005)) == (200, "success")
        gated.gate.set()
        await running.webhook.flights.drain()
    with slow_deps.uow() as uow:
        queued = [(q.kind, q.channel, q.status, q.payload) for q in uow.session.scalars(select(OutboxMessage))]
    assert [q[:3] for q in queued] == [("reply", "wechat", "pending")]
    assert EMERGENCY_PHONE in queued[0][3]


class FlakyUow:
    """A unit-of-work factory whose database is down for the first `failures` calls."""

    def __init__(self, inner: Any, failures: int) -> None:
        self.inner = inner
        self.failures = failures

    def __call__(self) -> Any:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("database is down")
        return self.inner()


async def test_a_crash_answers_500_and_the_retry_does_the_work(
    wx: FakeWechatServer, deps: Deps, world: World
) -> None:
    flaky = replace(deps, uow=FlakyUow(deps.uow, failures=1))
    async with serve_webhook(flaky, wechat_settings(wx.base_url)) as running:
        message = payload("text", content="你好", msg_id=9006)
        status, _ = await running.wechat.post(message)
        assert status == 500  # WeChat tries again…
        await running.webhook.flights.drain()
        status, body = await running.wechat.post(message)
        assert status == 200 and running.wechat.content(body)  # …and this time it works


# --- the in-flight table on its own ------------------------------------------------------


async def _until(condition: Any) -> None:
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never became true")


async def test_a_waiter_that_goes_away_does_not_strand_the_reply() -> None:
    sent: list[tuple[str, Answer]] = []

    async def late(key: str, answer: Answer) -> None:
        sent.append((key, answer))

    flights = Flights(MemoryClaimStore(), 60, late)
    gate = asyncio.Event()

    async def work() -> Answer:
        await gate.wait()
        return Answer("o1", "您好")

    far = asyncio.get_running_loop().time() + 60
    waiter = asyncio.create_task(flights.submit("k1", work, far))
    await _until(lambda: "k1" in flights._flights and flights._flights["k1"].waiters == 1)
    waiter.cancel()  # WeChat hung up (or the server is shutting the request down)
    gate.set()
    await flights.drain()
    assert sent == [("k1", Answer("o1", "您好"))]


async def test_failed_work_releases_the_claim_for_the_next_try() -> None:
    claims = MemoryClaimStore()

    async def nothing(key: str, answer: Answer) -> None:
        raise AssertionError("no reply expected")

    async def broken() -> Answer:
        raise ConnectionError("database is down")

    flights = Flights(claims, 60, nothing)
    far = asyncio.get_running_loop().time() + 60
    assert await flights.submit("k2", broken, far) == ("failed", None)
    await flights.drain()
    assert claims.claim("k2", 60)  # free again
