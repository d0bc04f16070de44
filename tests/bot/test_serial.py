"""KeyedLocks: one user's messages run one after another; other users are not held up."""

from __future__ import annotations

import asyncio

from bot.channels.serial import KeyedLocks


async def test_same_key_runs_in_order_and_other_keys_interleave() -> None:
    locks = KeyedLocks()
    events: list[str] = []
    gate = asyncio.Event()

    async def work(key: str, name: str, wait: bool) -> None:
        async with locks.hold(key):
            events.append(f"start {name}")
            if wait:
                await gate.wait()
            events.append(f"end {name}")

    first = asyncio.create_task(work("u1", "a", wait=True))
    await asyncio.sleep(0)
    second = asyncio.create_task(work("u1", "b", wait=False))
    other = asyncio.create_task(work("u2", "c", wait=False))
    await other  # another user is not blocked by u1's slow message
    assert events == ["start a", "start c", "end c"]
    gate.set()
    await asyncio.gather(first, second)
    assert events[3:] == ["end a", "start b", "end b"]
    assert len(locks) == 0  # nothing kept once idle
