"""Long polling (`telegram.mode: polling`) for development: no public URL needed.

Our own loop rather than aiogram's `start_polling`: aiogram confirms an update (moves the
offset) even when its handler failed. Here the offset only moves past an update once it is
handled, or after it failed MAX_ATTEMPTS times (so one poisoned update cannot stall the bot).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiogram.methods import GetUpdates
from aiogram.types import Update

from bot.channels.telegram.channel import ALLOWED_UPDATES, TelegramChannel

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
MAX_BACKOFF_SECONDS = 30.0


class Poller:
    """`start()` runs the loop in a task; `stop()` cancels it and waits."""

    def __init__(self, channel: TelegramChannel, timeout: int = 30, retry_delay: float = 1.0) -> None:
        self.channel = channel
        self.timeout = timeout
        self.retry_delay = retry_delay  # first pause after a failure; doubles up to MAX_BACKOFF
        self.offset: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._failures: dict[int, int] = {}  # update_id → failed attempts

    def start(self) -> None:
        """Start polling in the background."""
        self._task = asyncio.create_task(self.run(), name="telegram-polling")

    async def stop(self) -> None:
        """Stop polling; an update being handled is cancelled and will come again."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run(self) -> None:
        """Poll forever (until cancelled)."""
        bot = self.channel.bot
        backoff = 1.0
        while True:
            try:
                updates = await bot(
                    GetUpdates(offset=self.offset, timeout=self.timeout, allowed_updates=ALLOWED_UPDATES),
                    request_timeout=self.timeout + 10,
                )
            except Exception:
                log.exception("getUpdates failed; retrying in %.0f s", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            backoff = 1.0
            for update in updates:
                if not await self._handle(update):
                    attempts = self._failures[update.update_id]
                    await asyncio.sleep(min(self.retry_delay * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS))
                    break  # fetch again from this update: it is not confirmed

    async def _handle(self, update: Update) -> bool:
        """Process one update; True when the offset may move past it."""
        update_id = update.update_id
        try:
            await self.channel.process(update)
        except Exception:
            failures = self._failures.get(update_id, 0) + 1
            self._failures[update_id] = failures
            if failures < MAX_ATTEMPTS:
                log.exception("update %s failed (attempt %s); will retry", update_id, failures)
                return False
            log.exception("update %s failed %s times; skipping it", update_id, failures)
        self._failures.pop(update_id, None)
        self.offset = update_id + 1
        return True
