"""In-process stores for the embedded single-process default and for tests.

Every store takes a `monotonic` clock so tests move time by hand instead of sleeping.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from typing import Any

# Expired entries are also swept every this many writes, so a long-running process that
# claims every message id it sees does not grow without bound.
SWEEP_EVERY = 1024


def _sweep(entries: dict[str, Any], now: float, expiry: Callable[[Any], float]) -> None:
    for key in [k for k, v in entries.items() if expiry(v) <= now]:
        del entries[key]


class MemoryKeyValueStore:
    """KeyValueStore in a dict; values are deep-copied in and out, like a real backend."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._data: dict[str, tuple[float, dict[str, Any]]] = {}
        self._writes = 0
        self._lock = threading.Lock()
        self._monotonic = monotonic

    def get(self, key: str) -> dict[str, Any] | None:
        """The value under `key`, or None when absent or expired."""
        with self._lock:
            entry = self._data.get(key)
            if entry is None or entry[0] <= self._monotonic():
                self._data.pop(key, None)
                return None
            return copy.deepcopy(entry[1])

    def set(self, key: str, value: dict[str, Any], ttl_seconds: int) -> None:
        """Store `value` under `key` for `ttl_seconds`, replacing any previous value."""
        with self._lock:
            now = self._monotonic()
            self._writes += 1
            if self._writes % SWEEP_EVERY == 0:
                _sweep(self._data, now, lambda entry: entry[0])
            self._data[key] = (now + ttl_seconds, copy.deepcopy(value))

    def delete(self, key: str) -> None:
        """Forget `key` (no error when absent)."""
        with self._lock:
            self._data.pop(key, None)


class MemoryClaimStore:
    """ClaimStore in a dict guarded by a lock."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._claims: dict[str, float] = {}
        self._writes = 0
        self._lock = threading.Lock()
        self._monotonic = monotonic

    def claim(self, key: str, ttl_seconds: int) -> bool:
        """True for the first claim of `key` within its expiry, False for later ones."""
        with self._lock:
            now = self._monotonic()
            if self._claims.get(key, 0.0) > now:
                return False
            self._writes += 1
            if self._writes % SWEEP_EVERY == 0:
                _sweep(self._claims, now, lambda expires: expires)
            self._claims[key] = now + ttl_seconds
            return True

    def release(self, key: str) -> None:
        """Give `key` up so the next claim wins."""
        with self._lock:
            self._claims.pop(key, None)


class MemoryLockStore:
    """LockStore in a dict: name → (owner, expires at)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._locks: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._monotonic = monotonic

    def acquire(self, name: str, owner: str, ttl_seconds: int) -> bool:
        """Take the lock when it is free or expired; a holder extends it with `refresh`."""
        with self._lock:
            now = self._monotonic()
            held = self._locks.get(name)
            if held is not None and held[1] > now:
                return False
            self._locks[name] = (owner, now + ttl_seconds)
            return True

    def refresh(self, name: str, owner: str, ttl_seconds: int) -> bool:
        """Extend the lock if `owner` still holds it; False when lost or expired."""
        with self._lock:
            now = self._monotonic()
            held = self._locks.get(name)
            if held is None or held[0] != owner or held[1] <= now:
                return False
            self._locks[name] = (owner, now + ttl_seconds)
            return True

    def release(self, name: str, owner: str) -> None:
        """Free the lock if `owner` holds it; someone else's lock is left alone."""
        with self._lock:
            held = self._locks.get(name)
            if held is not None and held[0] == owner:
                del self._locks[name]


class MemoryRateLimiter:
    """RateLimiter with one token bucket per key, full at first use."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._buckets: dict[str, tuple[float, float, float]] = {}  # key → (tokens, at, full at)
        self._writes = 0
        self._lock = threading.Lock()
        self._monotonic = monotonic

    def acquire(self, key: str, rate_per_second: float, burst: int) -> float:
        """Take a token and return 0.0, or return the seconds until one is due (taking none)."""
        if rate_per_second <= 0 or burst < 1:
            raise ValueError("rate_per_second must be > 0 and burst >= 1")
        with self._lock:
            now = self._monotonic()
            self._writes += 1
            if self._writes % SWEEP_EVERY == 0:  # a full bucket is the same as no bucket
                _sweep(self._buckets, now, lambda bucket: bucket[2])
            tokens, at, _ = self._buckets.get(key, (float(burst), now, now))
            tokens = min(float(burst), tokens + max(0.0, now - at) * rate_per_second)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / rate_per_second
            if wait == 0.0:
                tokens -= 1.0
            full_at = now + (burst - tokens) / rate_per_second
            self._buckets[key] = (tokens, now, full_at)
            return wait
