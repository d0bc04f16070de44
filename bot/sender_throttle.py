"""Rate limits for the sender: the account's bucket, each chat's bucket, and pauses.

Buckets live in the RateLimiter store: in-process for one process, Redis when several
processes send as the same account (so their combined rate holds).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.deliverers import Rate
from storage.stores import RateLimiter
from storage.stores.memory import MemoryRateLimiter

BURST_SECONDS = 0.2  # the account's bucket holds this many seconds' worth of tokens
MIN_SLEEP = 0.001  # float dust in a bucket must not turn into a busy loop


class Throttle:
    """`await take(...)`: 0 when the push may go now, else seconds until it may (hand it back)."""

    def __init__(
        self, limiter: RateLimiter, rates: dict[str, Rate], clock: Callable[[], datetime],
        sleep: Callable[[float], Awaitable[None]], stopping: Callable[[], bool],
    ) -> None:
        self.limiter = limiter
        self.rates = rates
        self.clock = clock
        self.sleep = sleep
        self.stopping = stopping
        self._paused: dict[str, datetime] = {}

    def pause(self, channel: str, seconds: float) -> None:
        """The platform asked the whole account to wait (Telegram's flood control)."""
        until = self.clock() + timedelta(seconds=seconds)
        self._paused[channel] = max(until, self._paused.get(channel, until))

    def pause_left(self, channel: str) -> float:
        """Seconds the channel is still paused for (0 when it is not)."""
        paused = self._paused.get(channel)
        return max(0.0, (paused - self.clock()).total_seconds()) if paused else 0.0

    def paused(self, channel: str) -> bool:
        """Whether the channel is paused right now."""
        return self.pause_left(channel) > 0

    async def take(self, channel: str, account: str, chat: str) -> float:
        """The chat's token first (a chat due later is not waited for), then the account's.

        Waiting for the account's token is the pacing itself; it gives up (returning the
        seconds left, at least a little) when the sender stops or the channel is paused.
        """
        rate = self.rates.get(channel)
        if rate is None:
            return 0.0
        if (left := self.pause_left(channel)) > 0:
            return left
        wait = await self._acquire(f"push-chat:{account}:{chat}", rate.per_chat, 1)
        if wait > 0:
            return wait
        burst = max(1, int(rate.overall * BURST_SECONDS))
        while (wait := await self._acquire(f"push:{account}", rate.overall, burst)) > 0:
            if self.stopping() or self.paused(channel):
                return max(self.pause_left(channel), 0.001)
            await self.sleep(max(wait, MIN_SLEEP))
        return 0.0

    async def _acquire(self, key: str, rate: float, burst: int) -> float:
        if isinstance(self.limiter, MemoryRateLimiter):
            return self.limiter.acquire(key, rate, burst)
        return await asyncio.to_thread(self.limiter.acquire, key, rate, burst)  # Redis: I/O
