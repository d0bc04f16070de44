"""Two sender processes on PostgreSQL + Redis drain one outbox: nobody gets a message twice,
both take part, and the shared token bucket keeps their combined rate at the limit."""

from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path

import pytest

from bot.app import upgrade_db
from bot.config import load_settings
from tests.fakes.telegram_server import FakeTelegramServer
from tests.integration.sender_procs import (
    per_chat,
    publish,
    seed_recipients,
    senders,
    start_sender,
    statuses,
    stop,
    wait_until,
    write_config,
)
from tests.storage.backends import fresh_pg_schema

REDIS_URL = os.environ.get("WUYE_TEST_REDIS_URL", "")
pytestmark = [
    pytest.mark.postgres, pytest.mark.redis,
    pytest.mark.skipif(not (os.environ.get("WUYE_TEST_DATABASE_URL") and REDIS_URL),
                       reason="needs WUYE_TEST_DATABASE_URL and WUYE_TEST_REDIS_URL"),
]
RECIPIENTS = 300
RATE = 50  # per second, for both processes together
TITLE = "二号楼停电"


async def test_two_senders_share_the_outbox_and_the_rate(tmp_path: Path) -> None:
    # A bot id of its own: the Redis buckets are per bot, so no other run shares them.
    token = f"{secrets.randbelow(10**9) + 10**9}:TEST-multiprocess"
    with fresh_pg_schema() as url:
        async with FakeTelegramServer(token=token) as tg:
            config = write_config(
                tmp_path / "config.yaml", tg, url, redis={"url": REDIS_URL},
                sender={"concurrency": 8, "batch_size": 50, "poll_seconds": 0.1},
                telegram={"rate_limit": RATE, "per_chat_rate": 1},
            )
            settings = load_settings(config)
            upgrade_db(settings)
            seed_recipients(settings, RECIPIENTS)
            assert publish(settings, TITLE) == RECIPIENTS
            log = tmp_path / "senders.log"
            procs = await asyncio.gather(start_sender(config, log), start_sender(config, log))
            samples = await _count_until_done(tg)
            for proc in procs:
                assert await stop(proc) == 0
        got = per_chat(tg, TITLE)
        assert len(got) == RECIPIENTS and max(got.values()) == 1, "a message went out twice"
        assert statuses(settings) == {"sent": RECIPIENTS}
        assert len(senders(settings)) == 2, "both processes delivered"
    rate = _rate(samples)
    # Tolerance: the bucket's burst and sampling; not a tight timing assertion.
    assert rate <= RATE * 1.25, f"combined rate {rate:.1f}/s over the limit {RATE}/s"
    assert rate >= RATE * 0.25, f"combined rate {rate:.1f}/s: the senders barely worked"


async def _count_until_done(tg: FakeTelegramServer) -> list[tuple[float, int]]:
    """(time, messages so far) at every poll until every recipient has its message."""
    loop = asyncio.get_running_loop()
    samples: list[tuple[float, int]] = []

    def done() -> bool:
        samples.append((loop.time(), len(tg.calls_to("sendMessage"))))
        return samples[-1][1] >= RECIPIENTS

    await wait_until(done, 120, "every recipient")
    return samples


def _rate(samples: list[tuple[float, int]]) -> float:
    """Messages per second between 20 % and 90 % of the broadcast (start-up excluded)."""
    start = next(s for s in samples if s[1] >= RECIPIENTS * 0.2)
    end = next(s for s in samples if s[1] >= RECIPIENTS * 0.9)
    return (end[1] - start[1]) / max(end[0] - start[0], 1e-6)
