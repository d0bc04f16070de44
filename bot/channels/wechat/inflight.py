"""One message, one processing, one reply — even when WeChat retries while it still runs.

WeChat waits 5 seconds for an answer and then sends the same message again (three tries).
The first delivery claims the message's key (shared claim store, so other processes see it)
and starts the work as a task. Every delivery of that message in this process waits for the
same task until its own deadline. The reply goes to exactly one place: the first delivery
still waiting when the task finishes answers with it passively; if none is waiting, the
`late` callback sends it by the customer-service API. Deliveries that arrive after that, or
at another process, answer `success`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from storage.stores import ClaimStore

log = logging.getLogger(__name__)

Verdict = Literal["reply", "success", "failed"]


@dataclass(frozen=True)
class Answer:
    """What processing one message came to: the reply text for `openid` ('' for none)."""

    openid: str
    text: str


Late = Callable[[str, Answer], Awaitable[None]]  # (dedupe key, answer)


@dataclass
class _Flight:
    task: asyncio.Task[Answer]
    waiters: int = 0
    taken: bool = False  # the reply has its one destination (a passive answer or `late`)


@dataclass
class Flights:
    """The messages this process is working on, keyed by dedupe key."""

    claims: ClaimStore
    claim_ttl: int
    late: Late
    _flights: dict[str, _Flight] = field(default_factory=dict)
    _background: set[asyncio.Task[None]] = field(default_factory=set)

    async def submit(
        self, key: str, work: Callable[[], Awaitable[Answer]], deadline: float
    ) -> tuple[Verdict, Answer | None]:
        """Run `work` once per key; ("reply", answer) when this delivery answers with it."""
        flight = self._flights.get(key)
        if flight is None:
            claimed = await asyncio.to_thread(self.claims.claim, key, self.claim_ttl)
            flight = self._flights.get(key)  # a twin may have started it while we asked
            if flight is None:
                if not claimed:
                    return "success", None  # done before, or being done by another process
                flight = self._start(key, work)
        return await self._wait(key, flight, deadline)

    def _start(self, key: str, work: Callable[[], Awaitable[Answer]]) -> _Flight:
        flight = _Flight(asyncio.create_task(work(), name=f"wechat {key}"))
        self._flights[key] = flight
        flight.task.add_done_callback(lambda _task: self._finished(key, flight))
        return flight

    async def _wait(
        self, key: str, flight: _Flight, deadline: float
    ) -> tuple[Verdict, Answer | None]:
        flight.waiters += 1
        try:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining > 0:
                await asyncio.wait({flight.task}, timeout=remaining)
            if not flight.task.done() or flight.taken:
                return "success", None
            flight.taken = True
            if flight.task.cancelled() or flight.task.exception() is not None:
                return "failed", None
            return "reply", flight.task.result()
        finally:
            flight.waiters -= 1
            self._hand_over(key, flight)  # a cancelled waiter must not strand the reply

    def _finished(self, key: str, flight: _Flight) -> None:
        self._flights.pop(key, None)
        if flight.task.cancelled() or flight.task.exception() is not None:
            # Let WeChat's next try (or nobody) do it again rather than lose the message.
            log.error("wechat message %s failed", key, exc_info=_exception(flight.task))
            self._spawn(asyncio.to_thread(self.claims.release, key))
        self._hand_over(key, flight)

    def _hand_over(self, key: str, flight: _Flight) -> None:
        """Finished, unanswered, and nobody left waiting: the reply goes out by the API."""
        if flight.waiters or flight.taken or not flight.task.done():
            return
        flight.taken = True
        if flight.task.cancelled() or flight.task.exception() is not None:
            return
        answer = flight.task.result()
        if answer.text:
            self._spawn(self.late(key, answer))

    def _spawn(self, job: Awaitable[None]) -> None:
        task = asyncio.ensure_future(job)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self) -> None:
        """Wait for every message under way and every late reply (shutdown, tests)."""
        while self._flights or self._background:
            pending = [f.task for f in self._flights.values()] + list(self._background)
            await asyncio.wait(pending)


def _exception(task: asyncio.Task[Answer]) -> BaseException | None:
    return None if task.cancelled() else task.exception()
