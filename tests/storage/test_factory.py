"""build_stores picks Redis when configured, else SQL with an in-process rate limiter."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.stores.factory import build_stores
from storage.stores.fallback import FallbackClaimStore, FallbackKeyValueStore
from storage.stores.memory import MemoryRateLimiter
from storage.stores.sql import SqlClaimStore, SqlKeyValueStore, SqlLockStore
from tests.storage.backends import REDIS_URL


def test_without_redis_state_lives_in_the_database(
    sqlite_session_factory: sessionmaker[Session],
) -> None:
    stores = build_stores("", sqlite_session_factory)
    assert isinstance(stores.kv, SqlKeyValueStore)
    assert isinstance(stores.claims, SqlClaimStore)
    assert isinstance(stores.locks, SqlLockStore)
    assert isinstance(stores.limiter, MemoryRateLimiter)
    assert stores.state is stores.kv and stores.rates is stores.limiter
    stores.kv.set("dialog:web:u1", {"flow": "pay"}, ttl_seconds=60)
    # A second process (or a restart) on the same database sees the same state.
    assert build_stores("", sqlite_session_factory).kv.get("dialog:web:u1") == {"flow": "pay"}
    assert stores.purge_expired() == 0
    stores.close()


@pytest.mark.redis
def test_with_redis_everything_is_shared(
    sqlite_session_factory: sessionmaker[Session], redis_prefix: str
) -> None:
    from storage.stores import redis_store

    stores = build_stores(REDIS_URL, sqlite_session_factory, redis_prefix)
    other = build_stores(REDIS_URL, sqlite_session_factory, redis_prefix)
    try:
        # Dialogue state and claims are Redis's, with the database behind them (fallback).
        assert isinstance(stores.kv, FallbackKeyValueStore)
        assert isinstance(stores.kv.primary, redis_store.RedisKeyValueStore)
        assert isinstance(stores.claims, FallbackClaimStore)
        assert isinstance(stores.claims.primary, redis_store.RedisClaimStore)
        assert stores.health() == {"redis": True}
        assert isinstance(stores.locks, redis_store.RedisLockStore)
        assert isinstance(stores.limiter, redis_store.RedisRateLimiter)
        assert stores.purge_expired() == 0
        assert stores.claims.claim("wechat:msg:1", ttl_seconds=60)
        assert not other.claims.claim("wechat:msg:1", ttl_seconds=60)
        stores.kv.set("dialog:web:u1", {"flow": "pay"}, ttl_seconds=60)
        assert other.kv.get("dialog:web:u1") == {"flow": "pay"}
    finally:
        stores.close()
        other.close()
