"""The outbox sender: the only code that sends on its own.

A feeder claims due pushes in batches (a lease in the database, renewed while held);
`concurrency` workers take them one by one, wait for the channel's overall token bucket,
check the chat's own bucket (a chat that is due later is handed back, not waited for), call
the channel's `deliver()` and record the result. A worker stays busy until that record is
committed, so a `kill -9` can repeat at most `concurrency` pushes: those under way. On stop
(SIGTERM) deliveries under way finish and every claim not yet started is handed back.

Inside `serve` it is an HTTP plugin (`setup`); `python -m bot sender run` runs it alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiohttp import web

from bot.app import App
from bot.channels.base import idempotent
from bot.deliverers import NO_PUSH_CHANNELS, Deliverer, Rate, Result, Target, build_deliverers
from bot.deliverers import channel_rates as _channel_rates
from bot.sender_records import Recorder, mask_id
from bot.sender_throttle import Throttle
from storage.repositories.outbox_claims import ClaimedPush, DeliveryOutcome, RetryPolicy
from storage.stores import RateLimiter
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

BULK_KINDS = ("notice",)  # broadcasts: one-to-one pushes (replies, tickets) go first
PRIORITY_EVERY = timedelta(seconds=1)  # how often one-to-one pushes are looked for separately
ONCE_HORIZON = timedelta(seconds=5)  # `--once` also waits for pushes due this soon
_STOP = (2, 0, None)  # sorts after every real item


@dataclass(frozen=True)
class SenderConfig:
    """How one sender process works (from the `sender` config section)."""

    concurrency: int = 8
    batch_size: int = 100
    lease_seconds: float = 60.0
    poll_seconds: float = 1.0
    delivery_timeout: float = 60.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)


def worker_name() -> str:
    """host:pid:random — who holds a claim, unique per process start."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(3)}"


class Sender:
    """`await sender.run()` until `request_stop()`; `run(once=True)` drains what is due."""

    def __init__(
        self, *, uow: Callable[[], UnitOfWork], deliverers: dict[str, Deliverer],
        rates: dict[str, Rate], limiter: RateLimiter, clock: Callable[[], datetime],
        config: SenderConfig | None = None, worker_id: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._stop = asyncio.Event()
        self.deliverers = deliverers
        self.clock = clock
        self.config = config or SenderConfig()
        self.worker_id = worker_id or worker_name()
        self.sleep = sleep
        self.records = Recorder(uow, self.worker_id, clock, self.config.policy)
        self.throttle = Throttle(limiter, rates, clock, sleep, self._stop.is_set)
        self.stats: Counter[str] = Counter()
        self._queue: asyncio.PriorityQueue[tuple[int, int, ClaimedPush | None]] = asyncio.PriorityQueue()
        self._progress = asyncio.Event()
        self._busy = 0
        self._next_priority = datetime.min.replace(tzinfo=clock().tzinfo)
        self._task: asyncio.Task[Counter[str]] | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Run in the background (inside `serve`)."""
        self._task = asyncio.create_task(self.run(), name="outbox-sender")

    def request_stop(self) -> None:
        """Stop claiming; finish deliveries under way; hand back the rest (signal-safe)."""
        self._stop.set()
        self._progress.set()

    async def stop(self) -> None:
        """request_stop() and wait until the background run is over."""
        self.request_stop()
        if self._task is not None:
            await self._task

    async def run(self, *, once: bool = False) -> Counter[str]:
        """Claim and deliver until stopped (or, `once`, until nothing is due soon)."""
        workers = [asyncio.create_task(self._work()) for _ in range(self.config.concurrency)]
        writer = asyncio.create_task(self.records.write_loop())
        renewer = asyncio.create_task(self._renew_leases())
        log.info("sender %s: channels %s", self.worker_id, ", ".join(sorted(self.deliverers)) or "-")
        try:
            await self._feed(once)
        finally:
            self._stop.set()
            await self._hand_back_queue()
            for _ in workers:
                self._queue.put_nowait(_STOP)
            await asyncio.gather(*workers, return_exceptions=True)
            await self.records.flush()
            renewer.cancel()
            writer.cancel()
            await asyncio.gather(renewer, writer, return_exceptions=True)
            await self.records.release_all()
            log.info("sender %s stopped: %s", self.worker_id, dict(self.stats))
        return self.stats

    # -- feeding --------------------------------------------------------------------------

    async def _feed(self, once: bool) -> None:
        low_water = max(1, self.config.batch_size // 2)
        while not self._stop.is_set():
            room = self.config.batch_size - self._queue.qsize()
            if room >= low_water:
                try:
                    claimed = await asyncio.to_thread(self._claim, room)
                except Exception:  # the database is away: keep serving, look again later
                    log.warning("sender: cannot claim pushes", exc_info=True)
                    await self._sleep_or_stop(self.config.poll_seconds)
                    continue
                for push in claimed:
                    priority = 1 if push.kind in BULK_KINDS else 0
                    self._queue.put_nowait((priority, push.id, push))
                if claimed:
                    continue
                if self._idle():
                    if not await self._wait_for_due(once):
                        return
                    continue
            await self._wait_progress()

    def _claim(self, limit: int) -> list[ClaimedPush]:
        now = self.clock()
        channels = self._claimable(now)
        if not channels:
            return []
        with_priority = now >= self._next_priority
        if with_priority:
            self._next_priority = now + PRIORITY_EVERY
        return self.records.claim(limit, now, self.config.lease_seconds, channels,
                                  BULK_KINDS if with_priority else None)

    def _claimable(self, now: datetime) -> list[str]:
        channels = set(self.deliverers) | NO_PUSH_CHANNELS
        return sorted(c for c in channels if not self.throttle.paused(c))

    def _idle(self) -> bool:
        return self._queue.empty() and self._busy == 0 and self.records.idle()

    async def _wait_for_due(self, once: bool) -> bool:
        """Wait for new pushes; `once`: until the next one is due, False when none is soon."""
        if not once:
            await self._sleep_or_stop(self.config.poll_seconds)
            return True
        now = self.clock()
        due = await asyncio.to_thread(self.records.next_due, now, self._claimable(now))
        if due is None or due > now + ONCE_HORIZON:
            return False
        await self._sleep_or_stop(max(0.0, (due - now).total_seconds()) + 0.001)
        return True

    async def _wait_progress(self) -> None:
        self._progress.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._progress.wait(), self.config.poll_seconds)

    async def _sleep_or_stop(self, seconds: float) -> None:
        sleeper = asyncio.ensure_future(self.sleep(seconds))
        stopper = asyncio.ensure_future(self._stop.wait())
        await asyncio.wait((sleeper, stopper), return_when=asyncio.FIRST_COMPLETED)
        for task in (sleeper, stopper):
            task.cancel()

    async def _hand_back_queue(self) -> None:
        ids = []
        while not self._queue.empty():
            _, _, push = self._queue.get_nowait()
            if push is not None:
                ids.append(push.id)
        if ids:
            await self.records.release(ids)

    async def _renew_leases(self) -> None:
        # Real time on purpose: a lease is about the database's clock, not a test's fake one.
        while True:
            await asyncio.sleep(self.config.lease_seconds / 3)
            try:
                await asyncio.to_thread(self.records.renew, self.config.lease_seconds)
            except Exception:  # a database hiccup: the next round tries again
                log.warning("sender: lease renewal failed", exc_info=True)

    # -- delivering -----------------------------------------------------------------------

    async def _work(self) -> None:
        while True:
            _, _, push = await self._queue.get()
            if push is None:
                return
            self._busy += 1
            try:
                await self._handle(push)
            except Exception:  # never lose the worker; the lease brings the push back
                log.exception("sender: push %d crashed its worker", push.id)
            finally:
                self._busy -= 1
                self._progress.set()

    async def _handle(self, push: ClaimedPush) -> None:
        if self._stop.is_set():
            await self.records.release([push.id])
            return
        if push.channel in NO_PUSH_CHANNELS:
            await self._record(push, Result("skipped", error=f"{push.channel} takes no pushes"))
            return
        if not push.reachable:
            await self._record(push, Result("blocked", error="account unreachable"))
            return
        deliverer = self.deliverers[push.channel]
        wait = await self.throttle.take(push.channel, deliverer.rate_key, push.external_id)
        if wait > 0:  # not now: back to pending, due when the token will be
            await self.records.release([push.id], delay_seconds=wait)
            self.stats["deferred"] += 1
            return
        result = await self._deliver(deliverer, push)
        if result.status == "retry_after" and deliverer.pauses_channel:
            self.throttle.pause(push.channel, result.retry_after)
        await self._record(push, result)

    async def _deliver(self, deliverer: Deliverer, push: ClaimedPush) -> Result:
        target = Target(push.id, push.identity_id, push.channel, push.external_id)
        try:
            return await asyncio.wait_for(
                deliverer.deliver(target, push.payload, push.kind), self.config.delivery_timeout
            )
        except TimeoutError:
            # The request may have gone out: resend only where the platform deduplicates.
            status = "failed" if idempotent(deliverer) else "unknown"
            return Result(status, error=f"no answer in {self.config.delivery_timeout:g} s")
        except Exception as err:  # a bug in a channel must not stop the sender
            log.exception("sender: %s deliver() raised", push.channel)
            return Result("failed", error=f"{type(err).__name__}: {err}")

    async def _record(self, push: ClaimedPush, result: DeliveryOutcome) -> None:
        status = await self.records.complete(push.id, result)
        self.stats[status or "lost"] += 1
        detail = f" ({result.error})" if result.error else ""
        level = logging.INFO if status in ("sent", "skipped") else logging.WARNING
        log.log(level, "push %d %s %s %s → %s%s", push.id, push.kind, push.channel,
                mask_id(push.external_id), status or "claim lost", detail[:200])


def sender_config(app: App) -> SenderConfig:
    """The `sender` config section as a SenderConfig."""
    s = app.settings.sender
    policy = RetryPolicy(max_attempts=s.max_attempts, base_seconds=s.backoff_seconds,
                         max_seconds=s.backoff_max_seconds)
    return SenderConfig(s.concurrency, s.batch_size, s.lease_seconds, s.poll_seconds,
                        s.delivery_timeout, policy)


async def build_sender(app: App, web_app: web.Application | None = None) -> Sender:
    """A sender for `app` with every configured channel (share `web_app`'s clients)."""
    deliverers = await build_deliverers(app, web_app)
    return Sender(
        uow=app.deps.uow, deliverers=deliverers, rates=_channel_rates(app.settings),
        limiter=app.stores.limiter, clock=app.deps.clock, config=sender_config(app),
    )


async def close_deliverers(sender: Sender) -> None:
    """Close the clients the sender built for itself."""
    for deliverer in sender.deliverers.values():
        await deliverer.close()


SENDER_KEY = web.AppKey("wuye_sender", Sender)


def setup(web_app: web.Application, app: App) -> None:
    """HTTP plugin hook: run the sender with the server (unless `sender.enabled` is false)."""
    if not app.settings.sender.enabled:
        log.info("sender: off in this process (sender.enabled is false)")
        return

    async def on_startup(web_app: web.Application) -> None:
        sender = await build_sender(app, web_app)
        web_app[SENDER_KEY] = sender
        sender.start()

    async def on_shutdown(web_app: web.Application) -> None:
        # on_shutdown runs before on_cleanup closes the channels' clients.
        sender = web_app.get(SENDER_KEY)
        if sender is not None:
            await sender.stop()
            await close_deliverers(sender)

    web_app.on_startup.append(on_startup)
    web_app.on_shutdown.append(on_shutdown)
