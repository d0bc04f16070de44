"""Pick the store backends: Redis when configured, else SQL (state survives a restart)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from storage.stores import ClaimStore, KeyValueStore, LockStore, RateLimiter


def _memory_live() -> Any:
    from storage.stores.live import MemoryLiveBus

    return MemoryLiveBus()


def _nothing_to_close() -> None:
    return None


def _nothing_to_purge() -> int:
    return 0


@dataclass(frozen=True)
class Stores:
    """The shared-state stores a process uses; built once by the composition root."""

    kv: KeyValueStore
    claims: ClaimStore
    locks: LockStore
    limiter: RateLimiter
    live: Any = field(default_factory=lambda: _memory_live())  # storage.stores.live.LiveBus
    _close: Callable[[], None] = field(default=_nothing_to_close, repr=False)
    _purge: Callable[[], int] = field(default=_nothing_to_purge, repr=False)

    @property
    def state(self) -> KeyValueStore:
        """Dialogue state: the same store as `kv` (the name Deps uses)."""
        return self.kv

    @property
    def rates(self) -> RateLimiter:
        """Alias of `limiter`."""
        return self.limiter

    def purge_expired(self) -> int:
        """Delete expired SQL rows (Redis and memory expire by themselves); returns how many."""
        return self._purge()

    def close(self) -> None:
        """Release the Redis connection pool, if any."""
        self._close()


def build_stores(
    redis_url: str, session_factory: sessionmaker[Session], redis_prefix: str = "wuye:"
) -> Stores:
    """Redis for everything when `redis_url` is set; otherwise SQL, with an in-process limiter."""
    if redis_url:
        from storage.stores import redis_store as r  # redis is only imported when configured
        from storage.stores.live import RedisLiveBus

        client = r.connect(redis_url)
        return Stores(
            kv=r.RedisKeyValueStore(client, redis_prefix),
            claims=r.RedisClaimStore(client, redis_prefix),
            locks=r.RedisLockStore(client, redis_prefix),
            limiter=r.RedisRateLimiter(client, redis_prefix),
            live=RedisLiveBus(client, redis_prefix),
            _close=client.close,
        )
    from storage.stores.memory import MemoryRateLimiter
    from storage.stores.sql import SqlClaimStore, SqlKeyValueStore, SqlLockStore, purge_expired

    return Stores(
        kv=SqlKeyValueStore(session_factory),
        claims=SqlClaimStore(session_factory),
        locks=SqlLockStore(session_factory),
        limiter=MemoryRateLimiter(),
        _purge=lambda: purge_expired(session_factory),
    )
