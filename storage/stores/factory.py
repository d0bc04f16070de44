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


def _no_shared_state() -> dict[str, Any]:
    return {}


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
    _health: Callable[[], dict[str, Any]] = field(default=_no_shared_state, repr=False)

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

    def health(self) -> dict[str, Any]:
        """Each shared-state dependency → True when it answers (empty without Redis)."""
        return self._health()

    def close(self) -> None:
        """Release the Redis connection pool, if any."""
        self._close()


def build_stores(
    redis_url: str, session_factory: sessionmaker[Session], redis_prefix: str = "wuye:",
    *, redis_timeout: float = 1.0, redis_connect_timeout: float = 1.0,
) -> Stores:
    """Redis when `redis_url` is set (dialogue state and claims fall back to SQL while it is
    away); otherwise SQL, with an in-process limiter."""
    from storage.stores.memory import MemoryRateLimiter
    from storage.stores.sql import SqlClaimStore, SqlKeyValueStore, SqlLockStore, purge_expired

    sql_kv, sql_claims = SqlKeyValueStore(session_factory), SqlClaimStore(session_factory)
    purge = lambda: purge_expired(session_factory)  # noqa: E731 - one line, named below
    if redis_url:
        import redis as redis_lib

        from storage.stores import fallback
        from storage.stores import redis_store as r  # redis is only imported when configured
        from storage.stores.live import RedisLiveBus

        client = r.connect(redis_url, timeout=redis_timeout, connect_timeout=redis_connect_timeout)
        breaker = fallback.Breaker((redis_lib.ConnectionError, redis_lib.TimeoutError))
        return Stores(
            kv=fallback.FallbackKeyValueStore(r.RedisKeyValueStore(client, redis_prefix), sql_kv, breaker),
            claims=fallback.FallbackClaimStore(
                r.RedisClaimStore(client, redis_prefix), sql_claims, breaker
            ),
            locks=r.RedisLockStore(client, redis_prefix),
            limiter=r.RedisRateLimiter(client, redis_prefix),
            # Pub/sub blocks on reads: its own connection, without the short command timeout.
            live=RedisLiveBus(r.connect(redis_url, timeout=None, connect_timeout=redis_connect_timeout),
                              redis_prefix),
            _close=client.close,
            _purge=purge,
            _health=lambda: {"redis": r.ping(client)},
        )
    return Stores(
        kv=sql_kv,
        claims=sql_claims,
        locks=SqlLockStore(session_factory),
        limiter=MemoryRateLimiter(),
        _purge=purge,
    )
