"""Stores that survive their primary (Redis) going away: the chat degrades, it does not fail.

Every call goes to the primary first; a connection error or timeout switches to the
secondary (the SQL store) for `cooldown` seconds, so a stalled Redis costs one timeout per
cooldown instead of one per message. Dialogue state written meanwhile lives in the
database; when Redis answers again, reads go there again (an unfinished flow may be asked
once more — nothing an owner sent is lost, and tickets are deduplicated in the database).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from storage.stores import ClaimStore, KeyValueStore

log = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_COOLDOWN_SECONDS = 5.0


class Breaker:
    """Which side to use now: the primary unless it failed less than `cooldown` seconds ago."""

    def __init__(
        self, errors: tuple[type[BaseException], ...], cooldown: float = DEFAULT_COOLDOWN_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.errors = errors
        self.cooldown = cooldown
        self._monotonic = monotonic
        self._open_until = 0.0
        self._lock = threading.Lock()

    @property
    def primary_ok(self) -> bool:
        """False while the primary is being skipped after a failure."""
        return self._monotonic() >= self._open_until

    def call(self, primary: Callable[[], T], secondary: Callable[[], T], what: str) -> T:
        """`primary()`, or `secondary()` when the primary is down or fails with one of `errors`."""
        if self.primary_ok:
            try:
                return primary()
            except self.errors as err:
                with self._lock:
                    first = self.primary_ok
                    self._open_until = self._monotonic() + self.cooldown
                if first:
                    log.warning("shared state unavailable (%s: %s); using the database for %.0f s",
                                what, type(err).__name__, self.cooldown)
        return secondary()


class FallbackKeyValueStore:
    """KeyValueStore: the primary, else the secondary while the primary is down."""

    def __init__(self, primary: KeyValueStore, secondary: KeyValueStore, breaker: Breaker) -> None:
        self.primary, self.secondary, self.breaker = primary, secondary, breaker

    def get(self, key: str) -> dict[str, Any] | None:
        """The value from whichever store is up."""
        return self.breaker.call(lambda: self.primary.get(key), lambda: self.secondary.get(key), "get")

    def set(self, key: str, value: dict[str, Any], ttl_seconds: int) -> None:
        """Store in whichever store is up."""
        self.breaker.call(
            lambda: self.primary.set(key, value, ttl_seconds),
            lambda: self.secondary.set(key, value, ttl_seconds), "set",
        )

    def delete(self, key: str) -> None:
        """Forget in whichever store is up."""
        self.breaker.call(lambda: self.primary.delete(key), lambda: self.secondary.delete(key), "delete")


class FallbackClaimStore:
    """ClaimStore: the primary, else the secondary while the primary is down."""

    def __init__(self, primary: ClaimStore, secondary: ClaimStore, breaker: Breaker) -> None:
        self.primary, self.secondary, self.breaker = primary, secondary, breaker

    def claim(self, key: str, ttl_seconds: int) -> bool:
        """Claim in whichever store is up."""
        return self.breaker.call(
            lambda: self.primary.claim(key, ttl_seconds),
            lambda: self.secondary.claim(key, ttl_seconds), "claim",
        )

    def release(self, key: str) -> None:
        """Release in whichever store is up."""
        self.breaker.call(lambda: self.primary.release(key), lambda: self.secondary.release(key), "release")
