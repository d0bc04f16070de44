"""The sender's database side: claims, results written in group commits, hand-backs.

Results are written by one task that commits whatever has queued up in one transaction
(a group commit: one commit per batch instead of one per push, which is what lets SQLite
keep up with an unlimited platform); each worker waits for its own result to be committed,
so "in flight" always includes "not yet recorded".
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from storage.repositories.outbox_claims import ClaimedPush, DeliveryOutcome, RetryPolicy
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

GROUP_MAX = 500  # results per commit at most


def mask_id(external_id: str) -> str:
    """A platform id for logs: `5550001` → `55***01`, `o-owner-1` → `o-***-1`."""
    if len(external_id) <= 4:
        return "***"
    return f"{external_id[:2]}***{external_id[-2:]}"


class Recorder:
    """Claims and results of one sender, all through short units of work."""

    def __init__(
        self, uow: Callable[[], UnitOfWork], worker_id: str, clock: Callable[[], datetime],
        policy: RetryPolicy,
    ) -> None:
        self.uow = uow
        self.worker_id = worker_id
        self.clock = clock
        self.policy = policy
        self.held: set[int] = set()  # claimed and not yet recorded or handed back
        self._held_lock = threading.Lock()
        self._results: asyncio.Queue[tuple[int, DeliveryOutcome, asyncio.Future[str]]] = asyncio.Queue()
        self._writing = False

    # -- claims (called from a worker thread) -----------------------------------------------

    def claim(
        self, limit: int, now: datetime, lease_seconds: float, channels: Collection[str],
        priority_first: Collection[str] | None,
    ) -> list[ClaimedPush]:
        """One short transaction: one-to-one pushes first when asked, then anything due."""
        with self.uow() as uow:
            got: list[ClaimedPush] = []
            if priority_first:
                got = uow.outbox.claim_batch(self.worker_id, limit, now, lease_seconds, channels,
                                             exclude_kinds=priority_first)
            if len(got) < limit:
                got += uow.outbox.claim_batch(self.worker_id, limit - len(got), now,
                                              lease_seconds, channels)
            uow.commit()
        with self._held_lock:
            self.held.update(p.id for p in got)
        return got

    def renew(self, lease_seconds: float) -> int:
        """Extend the lease of everything this sender holds."""
        with self.uow() as uow:
            n = uow.outbox.extend_claims(self.worker_id, self.clock() + timedelta(seconds=lease_seconds))
            uow.commit()
        return n

    def next_due(self, now: datetime, channels: Collection[str]) -> datetime | None:
        """When the next push on `channels` becomes claimable."""
        with self.uow() as uow:
            return uow.outbox.next_due(now, channels)

    # -- hand-backs -----------------------------------------------------------------------

    async def release(self, ids: Collection[int], delay_seconds: float = 0.0) -> int:
        """Unstarted pushes back to pending (due after `delay_seconds`)."""
        return await asyncio.to_thread(self._release, list(ids), delay_seconds)

    def _release(self, ids: list[int], delay_seconds: float) -> int:
        with self.uow() as uow:
            n = uow.outbox.release(self.worker_id, ids, self.clock(), delay_seconds)
            uow.commit()
        with self._held_lock:
            self.held.difference_update(ids)
        return n

    async def release_all(self) -> None:
        """Whatever is still held at the very end (nothing, unless a worker crashed)."""
        with self._held_lock:
            left = list(self.held)
        if left:
            n = await self.release(left)
            log.info("sender: handed back %d unstarted pushes", n)

    # -- results --------------------------------------------------------------------------

    async def complete(self, message_id: int, result: DeliveryOutcome) -> str:
        """Queue the result and wait until it is committed; the new status ('' if lost)."""
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._results.put_nowait((message_id, result, future))
        return await future

    def idle(self) -> bool:
        """Nothing waiting to be written."""
        return self._results.empty() and not self._writing

    async def write_loop(self) -> None:
        """Commit queued results in groups until cancelled."""
        while True:
            first = await self._results.get()
            self._writing = True
            try:
                await self._write_group(first)
            finally:
                self._writing = False

    async def flush(self) -> None:
        """Write what is queued now (the loop may already be cancelled)."""
        while not self._results.empty():
            await self._write_group(self._results.get_nowait())

    async def _write_group(self, first: tuple[int, DeliveryOutcome, asyncio.Future[str]]) -> None:
        group = [first]
        while not self._results.empty() and len(group) < GROUP_MAX:
            group.append(self._results.get_nowait())
        try:
            statuses = await asyncio.to_thread(self._write, [(i, r) for i, r, _ in group])
        except Exception as err:  # the pushes stay leased; after the lease they are retried
            log.exception("sender: could not record %d results", len(group))
            for _, _, future in group:
                if not future.done():
                    future.set_exception(err)
            return
        for (_, _, future), status in zip(group, statuses, strict=True):
            if not future.done():
                future.set_result(status)

    def _write(self, results: list[tuple[int, DeliveryOutcome]]) -> list[str]:
        now = self.clock()
        with self.uow() as uow:
            statuses = uow.outbox.complete_many(results, now, worker_id=self.worker_id,
                                                policy=self.policy)
            uow.commit()
        with self._held_lock:
            self.held.difference_update(i for i, _ in results)
        return statuses
