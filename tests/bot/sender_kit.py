"""Shared pieces of the sender tests: fake time, a recording channel, quick pushes."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.deliverers import Rate, Result, Target
from bot.sender import Sender, SenderConfig
from handlers import notify
from storage.models import ChannelIdentity
from storage.repositories.outbox_claims import RetryPolicy
from storage.stores.memory import MemoryRateLimiter
from storage.uow import UnitOfWork
from tests.chat import FakeClock
from tests.factories import bind_identity


class FakeTime:
    """One fake clock for the database times, the token buckets and every sleep.

    `sleep(s)` moves time forward by `s` at once, so a test of rates takes no real time.
    """

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self._origin = clock.now

    def monotonic(self) -> float:
        return (self.clock.now - self._origin).total_seconds() + 1000.0

    async def sleep(self, seconds: float) -> None:
        # timedelta keeps microseconds: round up, or a tiny wait would never pass.
        self.clock.advance(microseconds=max(1, math.ceil(seconds * 1e6)))
        await asyncio.sleep(0)


@dataclass
class RecordingChannel:
    """A Deliverer that answers from a script (default: sent) and records each call's time."""

    clock: Callable[[], datetime]
    rate_key: str = "fake:account"
    pauses_channel: bool = False
    script: list[Result] = field(default_factory=list)
    sent: list[tuple[datetime, str, str]] = field(default_factory=list)  # (at, chat, text)
    gate: asyncio.Event | None = None  # when set, deliveries wait for it
    entered: asyncio.Event = field(default_factory=asyncio.Event)

    async def deliver(self, target: Target, payload: Mapping[str, Any], kind: str) -> Result:
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        result = self.script.pop(0) if self.script else Result("sent")
        if result.status == "sent":
            self.sent.append((self.clock(), target.external_id, str(payload.get("text", ""))))
        return result

    async def close(self) -> None:
        return None


def make_sender(
    uow_factory: Callable[[], UnitOfWork], time: FakeTime, deliverers: dict[str, Any], *,
    rates: dict[str, Rate] | None = None, concurrency: int = 1, batch_size: int = 20,
    lease_seconds: float = 60.0, policy: RetryPolicy | None = None,
    worker_id: str = "test-worker",
) -> Sender:
    """A Sender on fake time with an in-process limiter."""
    config = SenderConfig(concurrency=concurrency, batch_size=batch_size,
                          lease_seconds=lease_seconds, poll_seconds=0.05,
                          policy=policy or RetryPolicy(jitter=0.0))
    return Sender(
        uow=uow_factory, deliverers=deliverers, rates=rates or {},
        limiter=MemoryRateLimiter(monotonic=time.monotonic), clock=time.clock,
        config=config, worker_id=worker_id, sleep=time.sleep,
    )


def add_accounts(
    uow_factory: Callable[[], UnitOfWork], owner_id: int, channel: str, external_ids: list[str],
    now: datetime,
) -> list[int]:
    """Bound, verified chat accounts of one owner; their identity ids."""
    with uow_factory() as uow:
        ids = [bind_identity(uow, channel, e, now, owner_id=owner_id) for e in external_ids]
        uow.commit()
    return ids


def queue(
    uow_factory: Callable[[], UnitOfWork], identity_ids: list[int], now: datetime,
    kind: str = "staff_ticket", text: str = "工单 #1 有新进展",
) -> None:
    """One push to each identity through notify.push, the only place pushes are born."""
    with uow_factory() as uow:
        for ident in identity_ids:
            identity = uow.session.get(ChannelIdentity, ident)
            assert identity is not None
            notify.push(uow, identity, kind, f"{text}·{ident}", now=now)
        uow.commit()


def rows(uow_factory: Callable[[], UnitOfWork]) -> list[Any]:
    """Every outbox row, oldest first."""
    from storage.models import OutboxMessage

    with uow_factory() as uow:
        found = list(uow.session.query(OutboxMessage).order_by(OutboxMessage.id))
        uow.session.expunge_all()  # readable after the unit of work rolls back
        return found
