"""Store and database backends for the storage contract suites.

SQLite and in-memory always run. PostgreSQL runs in a fresh schema per test session (the
`test` database is shared scratch space) when WUYE_TEST_DATABASE_URL is set; Redis runs under
a random key prefix per test when WUYE_TEST_REDIS_URL is set.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_session_factory, normalise_url
from storage.models import Base
from storage.stores import ClaimStore, KeyValueStore, LockStore, RateLimiter
from storage.stores.memory import (
    MemoryClaimStore,
    MemoryKeyValueStore,
    MemoryLockStore,
    MemoryRateLimiter,
)
from storage.stores.sql import SqlClaimStore, SqlKeyValueStore, SqlLockStore

PG_URL = os.environ.get("WUYE_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("WUYE_TEST_REDIS_URL", "")
NO_PG = "PostgreSQL backend: set WUYE_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test"
NO_REDIS = "Redis backend: set WUYE_TEST_REDIS_URL=redis://127.0.0.1:6379/0"

SESSION_FIXTURES = {"sqlite": "sqlite_session_factory", "postgres": "pg_session_factory"}
POSTGRES = pytest.param("postgres", marks=pytest.mark.postgres)
REDIS = pytest.param("redis", marks=pytest.mark.redis)


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


# PostgreSQL -----------------------------------------------------------------------------


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


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    """An engine on this session's PostgreSQL schema, with every table created."""
    with fresh_pg_schema() as url:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def pg_session_factory(pg_engine: Engine) -> sessionmaker[Session]:
    """Sessions on the PostgreSQL schema, emptied before each test."""
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with pg_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return make_session_factory(pg_engine)


@pytest.fixture
def sqlite_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on a fresh SQLite file (tests/conftest.py's `engine`)."""
    return make_session_factory(engine)


# Redis ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_client() -> Iterator[object]:
    if not REDIS_URL:
        pytest.skip(NO_REDIS)
    from storage.stores.redis_store import connect

    client = connect(REDIS_URL)
    client.ping()
    yield client
    client.close()


@pytest.fixture
def redis_prefix(redis_client: object) -> Iterator[str]:
    """A key prefix no other test uses; its keys are deleted afterwards."""
    prefix = f"wuye-test:{uuid.uuid4().hex}:"
    yield prefix
    keys = list(redis_client.scan_iter(match=prefix + "*"))  # type: ignore[attr-defined]
    if keys:
        redis_client.delete(*keys)  # type: ignore[attr-defined]


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


# The parametrised backends --------------------------------------------------------------


@pytest.fixture
def tick() -> TickClock:
    return TickClock()


def _sql_backend(name: str, sessions: sessionmaker[Session], tick: TickClock) -> Backend:
    return Backend(
        name,
        SqlKeyValueStore(sessions, tick.now),
        SqlClaimStore(sessions, tick.now),
        SqlLockStore(sessions, tick.now),
        tick.advance,
    )


@pytest.fixture(params=["memory", "sqlite", POSTGRES, REDIS])
def backend(request: pytest.FixtureRequest, tick: TickClock) -> Backend:
    """Every KV / claim / lock backend in turn."""
    if request.param == "memory":
        return Backend(
            "memory",
            MemoryKeyValueStore(tick.monotonic),
            MemoryClaimStore(tick.monotonic),
            MemoryLockStore(tick.monotonic),
            tick.advance,
        )
    if request.param in ("sqlite", "postgres"):
        sessions = request.getfixturevalue(SESSION_FIXTURES[request.param])
        return _sql_backend(request.param, sessions, tick)
    from storage.stores.redis_store import RedisClaimStore, RedisKeyValueStore, RedisLockStore

    client = request.getfixturevalue("redis_client")
    prefix = request.getfixturevalue("redis_prefix")
    return Backend(
        "redis",
        RedisKeyValueStore(client, prefix),  # type: ignore[arg-type]
        RedisClaimStore(client, prefix),  # type: ignore[arg-type]
        RedisLockStore(client, prefix),  # type: ignore[arg-type]
        redis_advance(client, prefix, tick),
    )


@pytest.fixture(params=["memory", REDIS])
def limiter_backend(request: pytest.FixtureRequest, tick: TickClock) -> LimiterBackend:
    """Every rate limiter backend (SQL deployments use the in-memory one)."""
    if request.param == "memory":
        return LimiterBackend("memory", lambda: MemoryRateLimiter(tick.monotonic), tick.advance)
    from storage.stores.redis_store import RedisRateLimiter

    client = request.getfixturevalue("redis_client")
    prefix = request.getfixturevalue("redis_prefix")
    return LimiterBackend(
        "redis",
        lambda: RedisRateLimiter(client, prefix, clock=tick.monotonic),  # type: ignore[arg-type]
        redis_advance(client, prefix, tick),
    )
