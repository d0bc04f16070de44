"""Redis stores, shared by every process: KV, claims, locks and a token-bucket rate limiter.

Keys are `<prefix><kind>:<key>`; the prefix (default `wuye:`) lets tests and several
deployments share one Redis. Compare-and-set steps run as Lua scripts, which Redis executes
atomically.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import redis

DEFAULT_PREFIX = "wuye:"

# KEYS[1] lock; ARGV owner, ttl ms. Extend only if the caller still owns it.
_REFRESH = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

# KEYS[1] lock; ARGV owner. Delete only if the caller still owns it.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

# KEYS[1] bucket hash; ARGV rate/s, burst, now in seconds (negative: use the server's clock,
# the one clock every process shares). Returns the wait as a string: Lua numbers returned
# to Redis are truncated to integers.
_TOKEN_BUCKET = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate)
  at = now
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
-- Once full again the bucket equals a missing one, so let Redis drop it then (30 days at most).
redis.call('PEXPIRE', KEYS[1], math.min(math.ceil((burst - tokens) / rate * 1000) + 1000, 2592000000))
return tostring(wait)
"""


def connect(url: str, *, timeout: float = 1.0, connect_timeout: float = 1.0) -> redis.Redis:
    """A client for `url` that returns str; it connects on first use.

    Every call is bounded: a stalled Redis raises TimeoutError after `timeout` seconds
    instead of holding a request (the library's default is to wait forever).
    """
    return redis.Redis.from_url(
        url, decode_responses=True, socket_timeout=timeout,
        socket_connect_timeout=connect_timeout, health_check_interval=30,
    )


def ping(client: redis.Redis) -> bool:
    """True when Redis answers PING within the client's timeout."""
    try:
        return bool(client.ping())
    except (redis.ConnectionError, redis.TimeoutError):
        return False


class _RedisStore:
    kind = ""

    def __init__(self, client: redis.Redis, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = client
        self._prefix = f"{prefix}{self.kind}:"

    def _key(self, key: str) -> str:
        return self._prefix + key


class RedisKeyValueStore(_RedisStore):
    """KeyValueStore: JSON strings with EX."""

    kind = "kv"

    def get(self, key: str) -> dict[str, Any] | None:
        """The value under `key`, or None when absent or expired."""
        raw = self._redis.get(self._key(key))
        return None if raw is None else json.loads(raw)  # type: ignore[arg-type]

    def set(self, key: str, value: dict[str, Any], ttl_seconds: int) -> None:
        """Store `value` under `key` for `ttl_seconds`, replacing any previous value."""
        self._redis.set(self._key(key), json.dumps(value, ensure_ascii=False), ex=ttl_seconds)

    def delete(self, key: str) -> None:
        """Forget `key` (no error when absent)."""
        self._redis.delete(self._key(key))


class RedisClaimStore(_RedisStore):
    """ClaimStore: SET NX EX."""

    kind = "claim"

    def claim(self, key: str, ttl_seconds: int) -> bool:
        """True for the first claim of `key` within its expiry, False for later ones."""
        return bool(self._redis.set(self._key(key), "1", nx=True, ex=ttl_seconds))

    def release(self, key: str) -> None:
        """Give `key` up so the next claim wins."""
        self._redis.delete(self._key(key))


class RedisLockStore(_RedisStore):
    """LockStore: SET NX EX with the owner as value; refresh and release compare first."""

    kind = "lock"

    def __init__(self, client: redis.Redis, prefix: str = DEFAULT_PREFIX) -> None:
        super().__init__(client, prefix)
        self._refresh = client.register_script(_REFRESH)
        self._release = client.register_script(_RELEASE)

    def acquire(self, name: str, owner: str, ttl_seconds: int) -> bool:
        """Take the lock when it is free or expired; a holder extends it with `refresh`."""
        return bool(self._redis.set(self._key(name), owner, nx=True, ex=ttl_seconds))

    def refresh(self, name: str, owner: str, ttl_seconds: int) -> bool:
        """Extend the lock if `owner` still holds it; False when lost or expired."""
        return bool(self._refresh(keys=[self._key(name)], args=[owner, ttl_seconds * 1000]))

    def release(self, name: str, owner: str) -> None:
        """Free the lock if `owner` holds it; someone else's lock is left alone."""
        self._release(keys=[self._key(name)], args=[owner])


class RedisRateLimiter(_RedisStore):
    """RateLimiter: an atomic Lua token bucket per key, shared by every process.

    `clock` (seconds, for tests) replaces the Redis server's clock, which is the default
    because the processes sharing a bucket may disagree about the time.
    """

    kind = "rate"

    def __init__(
        self,
        client: redis.Redis,
        prefix: str = DEFAULT_PREFIX,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(client, prefix)
        self._bucket = client.register_script(_TOKEN_BUCKET)
        self._clock = clock

    def acquire(self, key: str, rate_per_second: float, burst: int) -> float:
        """Take a token and return 0.0, or return the seconds until one is due (taking none)."""
        if rate_per_second <= 0 or burst < 1:
            raise ValueError("rate_per_second must be > 0 and burst >= 1")
        now = -1.0 if self._clock is None else self._clock()
        wait = self._bucket(keys=[self._key(key)], args=[repr(rate_per_second), burst, repr(now)])
        return float(wait)  # type: ignore[arg-type]
