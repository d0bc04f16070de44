"""Crash safety of a broadcast: the sender as a real process, killed and restarted.

kill -9 in the middle: no recipient is lost, and at most `concurrency` get the message
twice (only those under way at the crash). SIGTERM in the middle: none twice.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from bot.app import upgrade_db
from bot.config import load_settings
from tests.fakes.telegram_server import FakeTelegramServer
from tests.integration.sender_procs import (
    per_chat,
    publish,
    seed_recipients,
    start_sender,
    statuses,
    stop,
    wait_until,
    write_config,
)

RECIPIENTS = 1000
CONCURRENCY = 8
SENDER = {
    "concurrency": CONCURRENCY, "batch_size": 50, "poll_seconds": 0.1,
    "lease_seconds": 2,  # short, so the restarted sender takes the dead one's claims soon
}


async def test_kill_9_loses_nobody_and_sigterm_repeats_nobody(tmp_path: Path) -> None:
    async with FakeTelegramServer() as tg:
        config = write_config(
            tmp_path / "config.yaml", tg, f"sqlite:///{tmp_path / 'kill9.sqlite3'}",
            sender=SENDER, telegram={"rate_limit": 500, "per_chat_rate": 1},
        )
        settings = load_settings(config)
        upgrade_db(settings)
        seed_recipients(settings, RECIPIENTS)
        log = tmp_path / "sender.log"

        # 1. kill -9 in the middle of a broadcast, start again.
        assert publish(settings, "第一次停水") == RECIPIENTS
        first = await start_sender(config, log)
        await wait_until(lambda: sum(per_chat(tg, "第一次停水").values()) >= RECIPIENTS // 3,
                         90, "a third of the first broadcast")
        os.kill(first.pid, signal.SIGKILL)
        assert await first.wait() == -signal.SIGKILL
        assert statuses(settings)["pending"] > 0  # really stopped in the middle
        second = await start_sender(config, log)
        await wait_until(lambda: len(per_chat(tg, "第一次停水")) == RECIPIENTS, 90, "every recipient")
        got = per_chat(tg, "第一次停水")
        assert sum(n - 1 for n in got.values()) <= CONCURRENCY, log.read_text(errors="replace")[-3000:]

        # 2. SIGTERM in the middle of the next one (same process), start again: nobody twice.
        assert publish(settings, "第二次停水") == RECIPIENTS
        await wait_until(lambda: sum(per_chat(tg, "第二次停水").values()) >= RECIPIENTS // 3,
                         90, "a third of the second broadcast")
        assert await stop(second) == 0
        after_stop = statuses(settings)
        assert after_stop["sending"] == 0 and after_stop["pending"] > 0  # handed back, not leased
        third = await start_sender(config, log)
        await wait_until(lambda: len(per_chat(tg, "第二次停水")) == RECIPIENTS, 90, "every recipient")
        await wait_until(lambda: statuses(settings) == {"sent": 2 * RECIPIENTS}, 30, "all recorded")
        assert await stop(third) == 0
        assert max(per_chat(tg, "第二次停水").values()) == 1
        assert sum(per_chat(tg, "第一次停水").values()) == sum(got.values())  # nothing late
