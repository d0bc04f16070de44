"""What only the SQL stores do: purge expired rows, shorten long keys, outlive the process."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_session_factory
from storage.models import KeyValueEntry
from storage.stores.sql import (
    MAX_KEY_CHARS,
    SqlClaimStore,
    SqlKeyValueStore,
    SqlLockStore,
    row_key,
)
from tests.storage.backends import TickClock


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sessions(request: pytest.FixtureRequest) -> sessionmaker[Session]:
    name = "sqlite_session_factory" if request.param == "sqlite" else "pg_kv_session_factory"
    return request.getfixturevalue(name)


def rows(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(KeyValueEntry)) or 0)


def test_purge_expired_removes_only_expired_rows(
    sessions: sessionmaker[Session], tick: TickClock
) -> None:
    kv = SqlKeyValueStore(sessions, tick.now)
    claims = SqlClaimStore(sessions, tick.now)
    locks = SqlLockStore(sessions, tick.now)
    kv.set("short", {"v": 1}, ttl_seconds=10)
    kv.set("long", {"v": 2}, ttl_seconds=100)
    assert claims.claim("msg", ttl_seconds=10)
    assert locks.acquire("leader", "a", ttl_seconds=100)
    assert kv.purge_expired() == 0
    tick.advance(11)
    assert kv.purge_expired() == 2  # one KV row and the claim: the table is shared
    assert rows(sessions) == 2
    assert kv.get("long") == {"v": 2}
    assert locks.refresh("leader", "a", ttl_seconds=100)


def test_expired_rows_stay_invisible_until_purged(
    sessions: sessionmaker[Session], tick: TickClock
) -> None:
    kv = SqlKeyValueStore(sessions, tick.now)
    kv.set("k", {"v": 1}, ttl_seconds=10)
    tick.advance(10)  # expiry is exclusive: at the instant it expires, it is gone
    assert kv.get("k") is None
    assert rows(sessions) == 1


def test_long_keys_are_shortened_but_distinct(
    sessions: sessionmaker[Session], tick: TickClock
) -> None:
    kv = SqlKeyValueStore(sessions, tick.now)
    first, second = "x" * 300 + "1", "x" * 300 + "2"
    assert len(row_key("kv", first)) == MAX_KEY_CHARS
    kv.set(first, {"v": 1}, ttl_seconds=60)
    kv.set(second, {"v": 2}, ttl_seconds=60)
    assert (kv.get(first), kv.get(second)) == ({"v": 1}, {"v": 2})


def test_state_survives_a_restart(sqlite_engine: Engine, tick: TickClock) -> None:
    SqlKeyValueStore(make_session_factory(sqlite_engine), tick.now).set(
        "dialog:web:u1", {"flow": "report_repair"}, ttl_seconds=60
    )
    sqlite_engine.dispose()  # the process goes away; the file stays
    restarted = SqlKeyValueStore(make_session_factory(sqlite_engine), tick.now)
    assert restarted.get("dialog:web:u1") == {"flow": "report_repair"}
