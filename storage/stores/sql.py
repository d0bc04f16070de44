"""SQL stores on the `kv_entry` table: dialogue state, claims and locks survive a restart.

Each call is its own short transaction. Claims and lock acquisition are one
`INSERT … ON CONFLICT DO UPDATE … WHERE expired` statement, so exactly one concurrent caller
wins on PostgreSQL (the unique index serialises them) and on SQLite (one writer at a time),
and an expired row is taken over in the same statement. Expired rows are invisible to reads
and removed by `purge_expired`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from storage.models import KeyValueEntry

TABLE: Table = KeyValueEntry.__table__  # type: ignore[assignment]
MAX_KEY_CHARS = 200  # the column's length; longer keys are shortened with a digest


def utc_now() -> datetime:
    """The wall clock, aware (SQL expiry is absolute, so it needs real time, not monotonic)."""
    return datetime.now(UTC)


def row_key(namespace: str, key: str) -> str:
    """The primary key for `key` in `namespace`; kv, claims and locks share one table."""
    full = f"{namespace}:{key}"
    if len(full) <= MAX_KEY_CHARS:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()
    return f"{full[: MAX_KEY_CHARS - len(digest) - 1]}#{digest}"


class _SqlStore:
    namespace = ""

    def __init__(
        self, session_factory: sessionmaker[Session], clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._sessions = session_factory
        self._clock = clock

    def _take(self, key: str, value: str, ttl_seconds: int) -> bool:
        """Insert the row, or replace it only if expired; True when this call got it."""
        now = self._clock()
        with self._sessions.begin() as session:
            insert = _dialect_insert(session)
            stmt = insert(TABLE).values(
                key=row_key(self.namespace, key),
                value=value,
                expires_at=now + timedelta(seconds=ttl_seconds),
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=[TABLE.c.key],
                set_={"value": stmt.excluded.value, "expires_at": stmt.excluded.expires_at},
                where=TABLE.c.expires_at <= now,
            ).returning(TABLE.c.key)
            return session.execute(stmt).first() is not None

    def purge_expired(self) -> int:
        """Delete every expired row of the table (all namespaces); returns how many."""
        return purge_expired(self._sessions, self._clock())


def purge_expired(session_factory: sessionmaker[Session], now: datetime | None = None) -> int:
    """Delete the `kv_entry` rows expired at `now`; returns how many."""
    with session_factory.begin() as session:
        result = session.execute(delete(TABLE).where(TABLE.c.expires_at <= (now or utc_now())))
        return int(result.rowcount)  # type: ignore[attr-defined]


def _dialect_insert(session: Session) -> Any:
    """The INSERT construct that knows ON CONFLICT for this session's database."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"SQL stores support PostgreSQL and SQLite, not {name}")


class SqlKeyValueStore(_SqlStore):
    """KeyValueStore: JSON text with an absolute expiry."""

    namespace = "kv"

    def get(self, key: str) -> dict[str, Any] | None:
        """The value under `key`, or None when absent or expired."""
        query = select(TABLE.c.value).where(
            TABLE.c.key == row_key(self.namespace, key), TABLE.c.expires_at > self._clock()
        )
        with self._sessions() as session:
            raw = session.execute(query).scalar_one_or_none()
        return None if raw is None else json.loads(raw)

    def set(self, key: str, value: dict[str, Any], ttl_seconds: int) -> None:
        """Store `value` under `key` for `ttl_seconds`, replacing any previous value."""
        expires_at = self._clock() + timedelta(seconds=ttl_seconds)
        with self._sessions.begin() as session:
            insert = _dialect_insert(session)
            stmt = insert(TABLE).values(
                key=row_key(self.namespace, key),
                value=json.dumps(value, ensure_ascii=False),
                expires_at=expires_at,
            )
            session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[TABLE.c.key],
                    set_={"value": stmt.excluded.value, "expires_at": stmt.excluded.expires_at},
                )
            )

    def delete(self, key: str) -> None:
        """Forget `key` (no error when absent)."""
        with self._sessions.begin() as session:
            session.execute(delete(TABLE).where(TABLE.c.key == row_key(self.namespace, key)))


class SqlClaimStore(_SqlStore):
    """ClaimStore: a row per claimed key."""

    namespace = "claim"

    def claim(self, key: str, ttl_seconds: int) -> bool:
        """True for the first claim of `key` within its expiry, False for later ones."""
        return self._take(key, "", ttl_seconds)

    def release(self, key: str) -> None:
        """Give `key` up so the next claim wins."""
        with self._sessions.begin() as session:
            session.execute(delete(TABLE).where(TABLE.c.key == row_key(self.namespace, key)))


class SqlLockStore(_SqlStore):
    """LockStore: a row per lock whose value is the owner."""

    namespace = "lock"

    def acquire(self, name: str, owner: str, ttl_seconds: int) -> bool:
        """Take the lock when it is free or expired; a holder extends it with `refresh`."""
        return self._take(name, owner, ttl_seconds)

    def refresh(self, name: str, owner: str, ttl_seconds: int) -> bool:
        """Extend the lock if `owner` still holds it; False when lost or expired."""
        now = self._clock()
        stmt = (
            update(TABLE)
            .where(
                TABLE.c.key == row_key(self.namespace, name),
                TABLE.c.value == owner,
                TABLE.c.expires_at > now,
            )
            .values(expires_at=now + timedelta(seconds=ttl_seconds))
        )
        with self._sessions.begin() as session:
            return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]

    def release(self, name: str, owner: str) -> None:
        """Free the lock if `owner` holds it; someone else's lock is left alone."""
        stmt = delete(TABLE).where(
            TABLE.c.key == row_key(self.namespace, name), TABLE.c.value == owner
        )
        with self._sessions.begin() as session:
            session.execute(stmt)
