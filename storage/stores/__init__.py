"""Shared-state stores: one Protocol each, with in-memory, SQL and Redis implementations.

The in-memory ones serve the embedded single-process default; SQL keeps dialogue state
across restarts without Redis; Redis is for several processes.
"""

from __future__ import annotations

from typing import Any, Protocol


class KeyValueStore(Protocol):
    """JSON-able values with an expiry (dialogue state lives here)."""

    def get(self, key: str) -> dict[str, Any] | None: ...
    def set(self, key: str, value: dict[str, Any], ttl_seconds: int) -> None: ...
    def delete(self, key: str) -> None: ...


class ClaimStore(Protocol):
    """Dedupe: the first `claim` of a key within its expiry wins, later ones get False."""

    def claim(self, key: str, ttl_seconds: int) -> bool: ...
    def release(self, key: str) -> None: ...


class LockStore(Protocol):
    """Named locks with an owner and expiry (scheduler leader, token refresher).

    `acquire` succeeds only on a free or expired lock, even for its current owner (as SET NX);
    the holder extends it with `refresh`, which, like `release`, acts only for the owner.
    """

    def acquire(self, name: str, owner: str, ttl_seconds: int) -> bool: ...
    def refresh(self, name: str, owner: str, ttl_seconds: int) -> bool: ...
    def release(self, name: str, owner: str) -> None: ...


class RateLimiter(Protocol):
    """Token buckets: `acquire` takes one token and returns 0, or the seconds to wait."""

    def acquire(self, key: str, rate_per_second: float, burst: int) -> float: ...
