"""The outbox sender against the fake Telegram Bot API (real aiogram client) and fake time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.deliverers import Rate, Result, TelegramDeliverer
from handlers import notify
from storage.models import ChannelIdentity
from storage.repositories.outbox_claims import RetryPolicy
from tests.bot.sender_kit import (
    FakeTime,
    RecordingChannel,
    add_accounts,
    make_sender,
    queue,
    rows,
)
from tests.chat import FakeClock
from tests.factories import World
from tests.fakes.telegram_server import FakeTelegramServer

WANG = "13812345678"


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def telegram(tg: FakeTelegramServer) -> AsyncIterator[TelegramDeliverer]:
    api = TelegramAPIServer.from_base(tg.base_url)
    bot = Bot(tg.token, session=AiohttpSession(api=api))
    yield TelegramDeliverer(bot, owns_bot=True)
    await bot.session.close()


@pytest.fixture
def time(clock: FakeClock) -> FakeTime:
    return FakeTime(clock)


def chats(tg: FakeTelegramServer) -> list[str]:
    return [str(c["chat_id"]) for c in tg.calls_to("sendMessage")]


async def test_due_pushes_are_delivered_and_recorded(
    uow_factory, world: World, clock: FakeClock, time: FakeTime, tg, telegram
) -> None:
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "telegram", ["5550001", "5550002"], clock())
    queue(uow_factory, ids, clock())
    stats = await make_sender(uow_factory, time, {"telegram": telegram}).run(once=True)
    assert stats["sent"] == 2
    assert sorted(chats(tg)) == ["5550001", "5550002"]
    assert tg.calls_to("sendMessage")[0]["text"].startswith("工单 #1 有新进展")
    for row in rows(uow_factory):
        assert (row.status, row.attempts, row.claimed_by) == ("sent", 1, "test-worker")
        assert row.sent_at == clock() and row.claimed_until is None


async def test_429_waits_the_time_telegram_asked_without_counting_an_attempt(
    uow_factory, world: World, clock: FakeClock, time: FakeTime, tg, telegram
) -> None:
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "telegram", ["5550001"], clock())
    queue(uow_factory, ids, clock())
    tg.fail_next("sendMessage", 429, retry_after=30)
    start = clock()
    await make_sender(uow_factory, time, {"telegram": telegram}).run(once=True)
    [row] = rows(uow_factory)
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at == start + timedelta(seconds=30)
    assert "retry after" in row.last_error.lower()
    clock.advance(seconds=30)
    await make_sender(uow_factory, time, {"telegram": telegram}).run(once=True)
    [row] = rows(uow_factory)
    assert (row.status, row.attempts) == ("sent", 1)
    assert len(tg.calls_to("sendMessage")) == 2


async def test_a_429_pauses_the_whole_telegram_channel(
    uow_factory, world: World, clock: FakeClock, time: FakeTime, tg, telegram
) -> None:
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "telegram", ["5550001", "5550002"], clock())
    queue(uow_factory, ids, clock())
    tg.fail_next("sendMessage", 429, retry_after=30)
    await make_sender(uow_factory, time, {"telegram": telegram}, batch_size=1).run(once=True)
    # The second push was not even tried while Telegram asked the bot to wait.
    assert len(tg.calls_to("sendMessage")) == 1
    assert {r.status for r in rows(uow_factory)} == {"pending"}


async def test_403_marks_the_account_blocked_and_stops_every_push_to_it(
    uow_factory, world: World, clock: FakeClock, time: FakeTime, tg, telegram
) -> None:
    [ident] = add_accounts(uow_factory, world.owner_ids[WANG], "telegram", ["5550001"], clock())
    queue(uow_factory, [ident, ident], clock())
    tg.fail_next("sendMessage", 403)
    stats = await make_sender(uow_factory, time, {"telegram": telegram}, batch_size=1).run(once=True)
    assert [r.status for r in rows(uow_factory)] == ["blocked", "blocked"]
    assert "blocked" in rows(uow_factory)[0].last_error
    assert len(tg.calls_to("sendMessage")) == 1 and stats["blocked"] == 1
    with uow_factory() as uow:
        identity = uow.session.get(ChannelIdentity, ident)
        assert identity is not None and identity.reachable is False
        assert notify.push(uow, identity, "staff_ticket", "再来一条", now=clock()) is None


async def test_chat_not_found_counts_as_blocked(
    uow_factory, world: World, clock: FakeClock, time: FakeTime, tg, telegram
) -> None:
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "telegram", ["5550001"], clock())
    queue(uow_factory, ids, clock())
    tg.fail_next("sendMessage", 400)  # Bad Request: chat not found
    await make_sender(uow_factory, time, {"telegram": telegram}).run(once=True)
    assert rows(uow_factory)[0].status == "blocked"


async def test_transient_errors_back_off_exponentially_then_give_up(
    uow_factory, world: World, clock: FakeClock, time: FakeTime, tg, telegram
) -> None:
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "telegram", ["5550001"], clock())
    queue(uow_factory, ids, clock())
    policy = RetryPolicy(max_attempts=3, base_seconds=100, jitter=0.0)
    delays = []
    for _ in range(3):
        tg.fail_next("sendMessage", 500)
        start = clock()
        await make_sender(uow_factory, time, {"telegram": telegram}, policy=policy).run(once=True)
        [row] = rows(uow_factory)
        if row.status == "pending":
            delays.append((row.next_attempt_at - start).total_seconds())
            clock.now = row.next_attempt_at
    assert delays == [100, 200]
    assert (row.status, row.attempts) == ("failed", 3)
    assert "Internal Server Error" in row.last_error


def test_backoff_jitter_stays_within_its_band() -> None:
    low = RetryPolicy(base_seconds=60, jitter=0.2, rng=lambda: 0.0)
    high = RetryPolicy(base_seconds=60, jitter=0.2, rng=lambda: 0.999999)
    assert low.delay(3) == pytest.approx(240 * 0.8)
    assert high.delay(3) == pytest.approx(240 * 1.2, rel=1e-4)
    assert RetryPolicy(base_seconds=60, max_seconds=300, jitter=0).delay(10) == 300


async def test_terminal_pushes_are_skipped_and_unreachable_accounts_not_tried(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    [term] = add_accounts(uow_factory, world.owner_ids[WANG], "terminal", ["tty-1"], clock())
    [gone] = add_accounts(uow_factory, world.owner_ids[WANG], "fake", ["chat-9"], clock())
    queue(uow_factory, [term, gone], clock())
    with uow_factory() as uow:  # blocked the bot after the push was queued
        identity = uow.session.get(ChannelIdentity, gone)
        assert identity is not None
        identity.reachable = False
        uow.commit()
    channel = RecordingChannel(clock)
    stats = await make_sender(uow_factory, time, {"fake": channel}).run(once=True)
    assert [r.status for r in rows(uow_factory)] == ["skipped", "blocked"]
    assert channel.sent == [] and stats["skipped"] == 1


async def test_pushes_for_channels_this_process_cannot_send_stay_pending(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "wechat", ["o-owner-1"], clock())
    queue(uow_factory, ids, clock())
    await make_sender(uow_factory, time, {"fake": RecordingChannel(clock)}).run(once=True)
    [row] = rows(uow_factory)
    assert (row.status, row.attempts, row.claimed_by) == ("pending", 0, "")


async def test_one_to_one_pushes_overtake_a_broadcast_backlog(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "fake", [f"c{i}" for i in range(12)], clock())
    queue(uow_factory, ids[:11], clock(), kind="notice", text="停水通知")
    queue(uow_factory, ids[11:], clock(), kind="ticket_update", text="您的报修已派单")
    channel = RecordingChannel(clock)
    await make_sender(uow_factory, time, {"fake": channel}, batch_size=4).run(once=True)
    assert len(channel.sent) == 12
    assert channel.sent[0][2].startswith("您的报修已派单")


async def test_overall_rate_is_never_exceeded(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "fake", [f"c{i}" for i in range(60)], clock())
    queue(uow_factory, ids, clock())
    channel = RecordingChannel(clock)
    rates = {"fake": Rate(overall=10, per_chat=1)}
    start = clock()
    await make_sender(uow_factory, time, {"fake": channel}, rates=rates).run(once=True)
    times = [(at - start).total_seconds() for at, _, _ in channel.sent]
    assert len(times) == 60
    burst = 2  # 0.2 s worth of tokens at 10/s
    for t0 in times:  # any one-second window holds at most burst + rate sends
        assert sum(1 for t in times if t0 <= t < t0 + 1) <= burst + 10
    assert times[-1] == pytest.approx((60 - burst) / 10, abs=0.15)  # and no slower


async def test_rate_holds_with_many_workers(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "fake", [f"c{i}" for i in range(40)], clock())
    queue(uow_factory, ids, clock())
    channel = RecordingChannel(clock)
    rates = {"fake": Rate(overall=5, per_chat=1)}
    start = clock()
    await make_sender(uow_factory, time, {"fake": channel}, rates=rates, concurrency=6).run(once=True)
    times = sorted((at - start).total_seconds() for at, _, _ in channel.sent)
    assert len(times) == 40
    for i, t in enumerate(times):  # never ahead of the bucket: burst 1 + 5/s
        assert i + 1 <= 1 + 5 * t + 1e-6


async def test_one_chat_gets_at_most_its_rate(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    [ident] = add_accounts(uow_factory, world.owner_ids[WANG], "fake", ["c1"], clock())
    queue(uow_factory, [ident, ident, ident], clock())
    channel = RecordingChannel(clock)
    rates = {"fake": Rate(overall=30, per_chat=1)}
    start = clock()
    stats = await make_sender(uow_factory, time, {"fake": channel}, rates=rates, concurrency=3).run(once=True)
    times = [(at - start).total_seconds() for at, _, _ in channel.sent]
    assert len(times) == 3 and stats["deferred"] >= 2
    assert all(b - a >= 1.0 - 1e-6 for a, b in zip(times, times[1:], strict=False))
    assert all(r.status == "sent" and r.attempts == 1 for r in rows(uow_factory))


async def test_stop_finishes_the_delivery_under_way_and_hands_back_the_rest(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    import asyncio

    ids = add_accounts(uow_factory, world.owner_ids[WANG], "fake", [f"c{i}" for i in range(5)], clock())
    queue(uow_factory, ids, clock())
    channel = RecordingChannel(clock, gate=asyncio.Event())
    sender = make_sender(uow_factory, time, {"fake": channel})
    sender.start()
    await asyncio.wait_for(channel.entered.wait(), 10)
    sender.request_stop()
    channel.gate.set()  # type: ignore[union-attr]
    await asyncio.wait_for(sender.stop(), 10)
    statuses = [(r.status, r.attempts, r.claimed_by) for r in rows(uow_factory)]
    assert statuses[0] == ("sent", 1, "test-worker")
    assert statuses[1:] == [("pending", 0, "")] * 4


async def test_a_dead_process_s_claims_come_back_after_the_lease(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "fake", ["c1"], clock())
    queue(uow_factory, ids, clock())
    with uow_factory() as uow:  # claimed by a process that is then killed
        uow.outbox.claim_batch("dead-worker", 10, clock(), 30)
        uow.commit()
    channel = RecordingChannel(clock)
    await make_sender(uow_factory, time, {"fake": channel}).run(once=True)
    assert channel.sent == [] and rows(uow_factory)[0].status == "sending"
    clock.advance(seconds=30)
    await make_sender(uow_factory, time, {"fake": channel}).run(once=True)
    [row] = rows(uow_factory)
    assert (row.status, row.attempts, row.claimed_by) == ("sent", 2, "test-worker")


async def test_a_channel_that_raises_is_a_transient_failure(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    class Broken(RecordingChannel):
        async def deliver(self, target, payload, kind) -> Result:  # type: ignore[override]
            raise RuntimeError("boom")

    ids = add_accounts(uow_factory, world.owner_ids[WANG], "fake", ["c1"], clock())
    queue(uow_factory, ids, clock())
    await make_sender(uow_factory, time, {"fake": Broken(clock)}).run(once=True)
    [row] = rows(uow_factory)
    assert row.status == "pending" and row.last_error == "RuntimeError: boom"


# --- outcomes that are not known (issue 8) ------------------------------------------------


async def test_a_delivery_that_times_out_is_recorded_unknown_and_not_resent(
    uow_factory, world: World, clock: FakeClock, time: FakeTime, tg: FakeTelegramServer
) -> None:
    # Telegram took the message but the answer never came in time: resending would say it
    # twice (before: four copies at a 3 s timeout), so it is recorded `unknown`, sent once.
    api = TelegramAPIServer.from_base(tg.base_url)
    bot = Bot(tg.token, session=AiohttpSession(api=api, timeout=0.3))
    try:
        ids = add_accounts(uow_factory, world.owner_ids[WANG], "telegram", ["5550001"], clock())
        queue(uow_factory, ids, clock())
        tg.stall_next("sendMessage", 1.0)
        policy = RetryPolicy(max_attempts=4, base_seconds=1, jitter=0.0)
        sender = make_sender(uow_factory, time, {"telegram": TelegramDeliverer(bot)}, policy=policy)
        stats = await sender.run(once=True)
        assert stats["unknown"] == 1
        assert chats(tg) == ["5550001"]  # exactly once
        (row,) = rows(uow_factory)
        assert row.status == "unknown" and "timeout" in row.last_error.lower()
    finally:
        await bot.session.close()


async def test_a_connection_never_made_is_retried(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    # Nothing listens: the request never left, so retrying cannot duplicate it.
    api = TelegramAPIServer.from_base("http://127.0.0.1:9")
    bot = Bot("123456789:TESTTOKEN-fake_server", session=AiohttpSession(api=api, timeout=2))
    try:
        ids = add_accounts(uow_factory, world.owner_ids[WANG], "telegram", ["5550001"], clock())
        queue(uow_factory, ids, clock())
        policy = RetryPolicy(max_attempts=2, base_seconds=1, jitter=0.0)
        stats = await make_sender(uow_factory, time, {"telegram": TelegramDeliverer(bot)}, policy=policy).run(once=True)
        assert stats["failed"] == 1 and stats["unknown"] == 0
        assert rows(uow_factory)[0].attempts == 2
    finally:
        await bot.session.close()


async def test_the_sender_s_own_timeout_is_unknown_unless_the_platform_dedupes(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    import asyncio
    from dataclasses import replace

    channel = RecordingChannel(clock, gate=asyncio.Event())  # never opened: no answer
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "fake", ["c1"], clock())
    queue(uow_factory, ids, clock())
    sender = make_sender(uow_factory, time, {"fake": channel})
    sender.config = replace(sender.config, delivery_timeout=0.05)
    stats = await sender.run(once=True)
    assert stats["unknown"] == 1 and rows(uow_factory)[0].status == "unknown"


async def test_requeue_sends_given_up_pushes_again(
    uow_factory, world: World, clock: FakeClock, time: FakeTime
) -> None:
    from storage.repositories import outbox_claims

    channel = RecordingChannel(clock, script=[Result("failed", error="x"), Result("unknown", error="y")])
    ids = add_accounts(uow_factory, world.owner_ids[WANG], "fake", ["c1", "c2"], clock())
    queue(uow_factory, ids, clock())
    policy = RetryPolicy(max_attempts=1, jitter=0.0)
    await make_sender(uow_factory, time, {"fake": channel}, policy=policy).run(once=True)
    assert sorted(r.status for r in rows(uow_factory)) == ["failed", "unknown"]
    with uow_factory() as uow:
        assert outbox_claims.requeue(uow.session, ["failed"], clock(), clock() + timedelta(days=1)) == 0
        assert outbox_claims.requeue(uow.session, ["failed"], clock(), clock() - timedelta(days=1)) == 1
        uow.commit()
    await make_sender(uow_factory, time, {"fake": channel}, policy=policy).run(once=True)
    assert sorted(r.status for r in rows(uow_factory)) == ["sent", "unknown"]
    assert len(channel.sent) == 1
