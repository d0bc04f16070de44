"""The sender's side of the outbox: claim due pushes, record how each went, hand back the rest.

Statuses: `pending` → (claim) `sending` → `sent` | `pending` again (retry) | `failed` (gave
up) | `blocked` (the account blocked us or unsubscribed) | `skipped` (a channel that takes
no pushes) | `unknown` (no answer: it may have arrived; never resent by itself). A claim is a lease: a row left in `sending` past `claimed_until` belonged to a
process that died, and is claimable again — the only way a push can go out twice.

Attempts are counted when claimed, so a push that crashes its process every time still
gives up; a `retry_after` (the platform said "later") or a release gives the attempt back.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from storage.models import ChannelIdentity, OutboxMessage

# Core statements on the table: the sender writes thousands of rows a second, and the ORM's
# per-statement bookkeeping would cost more than the database does.
OUTBOX = OutboxMessage.__table__
T = OUTBOX.c
IDENTITY = ChannelIdentity.__table__.c
SENT, PENDING, SENDING, FAILED, BLOCKED, SKIPPED, UNKNOWN = (
    "sent", "pending", "sending", "failed", "blocked", "skipped", "unknown"
)
ERROR_CHARS = 500


class DeliveryOutcome(Protocol):
    """What a channel's `deliver()` returns (both channel DeliveryResult classes fit)."""

    status: str  # sent / retry_after / blocked / failed (/ skipped, from the sender)
    retry_after: float
    error: str


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter for transient failures, then give up."""

    max_attempts: int = 8
    base_seconds: float = 30.0
    max_seconds: float = 3600.0
    jitter: float = 0.2  # ± this fraction, so a failed broadcast does not retry in lockstep
    rng: Callable[[], float] = random.random

    def delay(self, attempts: int) -> float:
        """Seconds before attempt `attempts + 1`."""
        base = min(self.max_seconds, self.base_seconds * 2 ** max(0, attempts - 1))
        return max(0.0, base * (1 + self.jitter * (2 * self.rng() - 1)))


@dataclass(frozen=True)
class ClaimedPush:
    """One claimed push with what delivering it needs (no ORM object crosses the thread)."""

    id: int
    identity_id: int
    channel: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    external_id: str
    reachable: bool
    claimed_until: datetime


def _due(
    stmt: Select[Any], status: str, now: datetime, channels: Collection[str] | None,
    kinds: Collection[str] | None, exclude_kinds: Collection[str] | None,
) -> Select[Any]:
    column = T.next_attempt_at if status == PENDING else T.claimed_until
    stmt = stmt.where(T.status == status, column <= now)
    if channels is not None:
        stmt = stmt.where(T.channel.in_(list(channels)))
    if kinds is not None:
        stmt = stmt.where(T.kind.in_(list(kinds)))
    if exclude_kinds:
        stmt = stmt.where(T.kind.not_in(list(exclude_kinds)))
    return stmt.order_by(T.id)


def claim_batch(
    session: Session, worker_id: str, limit: int, now: datetime, lease_seconds: float,
    channels: Collection[str] | None = None, *,
    kinds: Collection[str] | None = None, exclude_kinds: Collection[str] | None = None,
) -> list[ClaimedPush]:
    """Claim up to `limit` due pushes: abandoned ones (lease over) first, then pending ones."""
    if limit <= 0 or (channels is not None and not channels):
        return []
    until = now + timedelta(seconds=lease_seconds)
    ids: list[int] = []
    for status in (SENDING, PENDING):
        if len(ids) >= limit:
            break
        ids += _take(session, status, worker_id, limit - len(ids), now, until,
                     channels, kinds, exclude_kinds)
    return _load(session, ids, until) if ids else []


def _take(
    session: Session, status: str, worker_id: str, limit: int, now: datetime, until: datetime,
    channels: Collection[str] | None, kinds: Collection[str] | None,
    exclude_kinds: Collection[str] | None,
) -> list[int]:
    pick = _due(select(T.id), status, now, channels, kinds, exclude_kinds).limit(limit)
    mark = dict(status=SENDING, claimed_by=worker_id, claimed_until=until,
                attempts=T.attempts + 1)
    if session.get_bind().dialect.name == "postgresql":
        # Rows another process is claiming right now are skipped, not waited for.
        ids = list(session.scalars(pick.with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(OUTBOX).where(T.id.in_(ids)).values(**mark))
        return ids
    # SQLite (one writer at a time): a single UPDATE … RETURNING is atomic by itself.
    stmt = (
        update(OUTBOX).where(T.id.in_(pick.scalar_subquery())).values(**mark).returning(T.id)
    )
    return list(session.scalars(stmt))


def _load(session: Session, ids: list[int], until: datetime) -> list[ClaimedPush]:
    stmt = (
        select(T.id, T.identity_id, T.channel, T.kind, T.payload, T.attempts,
               IDENTITY.external_id, IDENTITY.reachable)
        .join(ChannelIdentity.__table__, IDENTITY.id == T.identity_id)
        .where(T.id.in_(ids))
        .order_by(T.id)
    )
    return [
        ClaimedPush(r.id, r.identity_id, r.channel, r.kind, _decode(r.payload), r.attempts,
                    r.external_id, bool(r.reachable), until)
        for r in session.execute(stmt)
    ]


def _decode(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {"text": raw}
    return value if isinstance(value, dict) else {"text": str(value)}


def _one_less() -> Any:
    """The attempt counted at claim time, given back."""
    return case((T.attempts > 0, T.attempts - 1), else_=0)


def _mine(message_id: int, worker_id: str | None) -> list[Any]:
    where = [T.id == message_id, T.status == SENDING]
    if worker_id is not None:
        where.append(T.claimed_by == worker_id)
    return where


def _set(session: Session, where: list[Any], **values: Any) -> bool:
    stmt = update(OUTBOX).where(and_(*where)).values(**values)
    result = session.execute(stmt)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def complete(
    session: Session, message_id: int, result: DeliveryOutcome, now: datetime,
    worker_id: str | None = None, policy: RetryPolicy | None = None,
) -> str:
    """Record one delivery attempt; returns the new status, '' when the claim was lost."""
    where = _mine(message_id, worker_id)
    error = (result.error or "")[:ERROR_CHARS]
    done = dict(claimed_until=None, last_error=error)
    if result.status == "sent":
        return SENT if _set(session, where, status=SENT, sent_at=now, **done) else ""
    if result.status == "skipped":
        return SKIPPED if _set(session, where, status=SKIPPED, **done) else ""
    if result.status == "unknown":
        # The platform may have it: recorded, never resent by itself (`sender requeue`).
        return UNKNOWN if _set(session, where, status=UNKNOWN, **done) else ""
    if result.status == "retry_after":
        later = now + timedelta(seconds=max(0.0, float(result.retry_after)))
        ok = _set(session, where, status=PENDING, next_attempt_at=later,
                  attempts=_one_less(), **done)
        return PENDING if ok else ""
    if result.status == "blocked":
        return _blocked(session, where, message_id, now, done)
    return _failed(session, where, message_id, now, done, policy or RetryPolicy())


def complete_many(
    session: Session, results: Sequence[tuple[int, DeliveryOutcome]], now: datetime,
    worker_id: str, policy: RetryPolicy | None = None,
) -> list[str]:
    """Record many attempts; every `sent` one in a single UPDATE (the common case)."""
    sent = [i for i, r in results if r.status == "sent"]
    done: set[int] = set()
    if sent:
        stmt = (
            update(OUTBOX)
            .where(T.id.in_(sent), T.status == SENDING, T.claimed_by == worker_id)
            .values(status=SENT, sent_at=now, claimed_until=None, last_error="")
            .returning(T.id)
        )
        done = set(session.scalars(stmt))
    return [
        (SENT if i in done else "") if r.status == "sent"
        else complete(session, i, r, now, worker_id, policy)
        for i, r in results
    ]


def _blocked(
    session: Session, where: list[Any], message_id: int, now: datetime, done: dict[str, Any]
) -> str:
    identity_id = session.scalar(select(T.identity_id).where(*where))
    if identity_id is None:
        return ""
    _set(session, where, status=BLOCKED, **done)
    session.execute(
        update(ChannelIdentity.__table__).where(IDENTITY.id == identity_id).values(reachable=False)
    )
    # Whatever else waits for this account would only be refused too.
    session.execute(
        update(OUTBOX)
        .where(T.identity_id == identity_id, T.status == PENDING)
        .values(status=BLOCKED, last_error="account unreachable")
    )
    return BLOCKED


def _failed(
    session: Session, where: list[Any], message_id: int, now: datetime, done: dict[str, Any],
    policy: RetryPolicy,
) -> str:
    attempts = session.scalar(select(T.attempts).where(*where))
    if attempts is None:
        return ""
    if attempts >= policy.max_attempts:
        _set(session, where, status=FAILED, **done)
        return FAILED
    later = now + timedelta(seconds=policy.delay(attempts))
    _set(session, where, status=PENDING, next_attempt_at=later, **done)
    return PENDING


def release(
    session: Session, worker_id: str, ids: Collection[int], now: datetime,
    delay_seconds: float = 0.0,
) -> int:
    """Unstarted claims back to `pending` (due after `delay_seconds`), attempt not counted."""
    if not ids:
        return 0
    stmt = (
        update(OUTBOX)
        .where(T.id.in_(list(ids)), T.status == SENDING, T.claimed_by == worker_id)
        .values(status=PENDING, claimed_by="", claimed_until=None, attempts=_one_less(),
                next_attempt_at=now + timedelta(seconds=max(0.0, delay_seconds)))
    )
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def requeue(
    session: Session, statuses: Collection[str], now: datetime, since: datetime | None = None
) -> int:
    """Given-up pushes (`failed`, `unknown`) created at or after `since` back to `pending`,
    due now with their attempts reset; returns how many."""
    allowed = [s for s in statuses if s in (FAILED, UNKNOWN)]
    if not allowed:
        return 0
    stmt = update(OUTBOX).where(T.status.in_(allowed))
    if since is not None:
        stmt = stmt.where(T.created_at >= since)
    stmt = stmt.values(status=PENDING, attempts=0, next_attempt_at=now, claimed_by="",
                       claimed_until=None)
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def extend(session: Session, worker_id: str, until: datetime) -> int:
    """Renew the lease on every push `worker_id` is still sending."""
    stmt = (
        update(OUTBOX).where(T.status == SENDING, T.claimed_by == worker_id)
        .values(claimed_until=until)
    )
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def next_due(
    session: Session, now: datetime, channels: Collection[str] | None = None
) -> datetime | None:
    """The earliest moment a push becomes claimable, or None when nothing waits."""
    pending = select(func.min(T.next_attempt_at)).where(T.status == PENDING)
    leased = select(func.min(T.claimed_until)).where(T.status == SENDING)
    if channels is not None:
        pending = pending.where(T.channel.in_(list(channels)))
        leased = leased.where(T.channel.in_(list(channels)))
    # min() keeps the column's type, so the values come back aware.
    found = [t for t in (session.scalar(pending), session.scalar(leased)) if t is not None]
    return min(found) if found else None


def add_many(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING in one round of executemany."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
        raise RuntimeError(f"bulk outbox insert not supported on {dialect}")
    stmt = insert(OUTBOX).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(T.id)
    return len(session.execute(stmt, list(rows)).all())
