"""Store and database backends for the storage contract suites.

SQLite and in-memory always run. PostgreSQL runs in a fresh schema per test session (the
`test` database is shared scratch space) when WUYE_TEST_DATABASE_URL is set; Redis runs under
a random key prefix per test when WUYE_TEST_REDIS_URL is set.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_session_factory
from storage.models import Base
from storage.stores.memory import (
    MemoryClaimStore,
    MemoryKeyValueStore,
    MemoryLockStore,
    MemoryRateLimiter,
)
from storage.stores.sql import SqlClaimStore, SqlKeyValueStore, SqlLockStore
from storage.uow import UnitOfWork
from tests.factories import World, build_world
from tests.storage.backends import (
    NO_REDIS,
    REDIS_URL,
    Backend,
    LimiterBackend,
    TickClock,
    fresh_pg_schema,
    redis_advance,
)

SESSION_FIXTURES = {"sqlite": "sqlite_session_factory", "postgres": "pg_kv_session_factory"}
POSTGRES = pytest.param("postgres", marks=pytest.mark.postgres)
REDIS = pytest.param("redis", marks=pytest.mark.redis)


# PostgreSQL -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    """An engine on this session's PostgreSQL schema, with every table created."""
    with fresh_pg_schema() as url:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def pg_kv_session_factory(pg_engine: Engine) -> sessionmaker[Session]:
    """Sessions on the PostgreSQL schema with only `kv_entry` emptied (all the stores use)."""
    with pg_engine.begin() as conn:
        conn.execute(text("DELETE FROM kv_entry"))
    return make_session_factory(pg_engine)


@pytest.fixture
def pg_session_factory(pg_engine: Engine) -> sessionmaker[Session]:
    """Sessions on the PostgreSQL schema, emptied before each test.

    DELETE, children first, rather than TRUNCATE: on these near-empty tables it is several
    times cheaper (TRUNCATE rewrites every table's files). Ids are not reset.
    """
    with pg_engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    return make_session_factory(pg_engine)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database with every table, built once; tests get copies (far cheaper)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return path


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite file with every table, configured as the app configures it."""
    path = tmp_path / "stores.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_session_factory(sqlite_engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(sqlite_engine)


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


# -- a unit of work on each database, with the test world built (repository tests) ----------

Uow = Callable[[], UnitOfWork]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def uow(request: pytest.FixtureRequest) -> Uow:
    """A unit-of-work factory on SQLite, and on PostgreSQL when WUYE_TEST_DATABASE_URL is set."""
    name = "sqlite_session_factory" if request.param == "sqlite" else "pg_session_factory"
    sessions: sessionmaker[Session] = request.getfixturevalue(name)
    return lambda: UnitOfWork(sessions)


@pytest.fixture
def built(uow: Uow) -> World:
    """The factory world, committed."""
    with uow() as work:
        world = build_world(work)
        work.commit()
    return world
