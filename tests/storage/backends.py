"""Helpers shared by the storage contract suites: a hand-moved clock, backend bundles,
a throwaway PostgreSQL schema, and time travel for Redis TTLs."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import make_engine, normalise_url
from storage.stores import ClaimStore, KeyValueStore, LockStore, RateLimiter

PG_URL = os.environ.get("WUYE_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("WUYE_TEST_REDIS_URL", "")
NO_PG = "PostgreSQL backend: set WUYE_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test"
NO_REDIS = "Redis backend: set WUYE_TEST_REDIS_URL=redis://127.0.0.1:6379/0"


class TickClock:
    """Monotonic seconds and an aware wall clock that move together, only when told to."""

    def __init__(self) -> None:
        self.seconds = 1000.0
        self._epoch = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return self._epoch + timedelta(seconds=self.seconds)

    def advance(self, seconds: float) -> None:
        self.seconds += seconds


@dataclass
class Backend:
    """One backend's KV, claim and lock stores, and how to move its time forward."""

    name: str
    kv: KeyValueStore
    claims: ClaimStore
    locks: LockStore
    advance: Callable[[float], None]


@dataclass
class LimiterBackend:
    """Builds rate limiters; on Redis two of them share buckets, as two processes would."""

    name: str
    make: Callable[[], RateLimiter]
    advance: Callable[[float], None]


@contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A URL whose connections live in a new, empty schema, dropped afterwards."""
    if not PG_URL:
        pytest.skip(NO_PG)
    schema = f"wuye_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(normalise_url(PG_URL)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def redis_advance(client: object, prefix: str, tick: TickClock) -> Callable[[float], None]:
    """Move time forward on Redis by shortening every TTL under `prefix` (no sleeping)."""

    def advance(seconds: float) -> None:
        tick.advance(seconds)
        for key in client.scan_iter(match=prefix + "*"):  # type: ignore[attr-defined]
            left = client.pttl(key)  # type: ignore[attr-defined]
            if left < 0:  # no expiry, or already gone
                continue
            left -= int(seconds * 1000)
            if left <= 0:
                client.delete(key)  # type: ignore[attr-defined]
            else:
                client.pexpire(key, left)  # type: ignore[attr-defined]

    return advance
