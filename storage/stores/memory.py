"""In-process stores for the embedded single-process default and for tests."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from typing import Any


class MemoryKeyValueStore:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._data: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._monotonic = monotonic

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            entry = self._data.get(key)
            if entry is None or entry[0] <= self._monotonic():
                self._data.pop(key, None)
                return None
            return copy.deepcopy(entry[1])

    def set(self, key: str, value: dict[str, Any], ttl_seconds: int) -> None:
        with self._lock:
            self._data[key] = (self._monotonic() + ttl_seconds, copy.deepcopy(value))

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)


class MemoryClaimStore:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._claims: dict[str, float] = {}
        self._lock = threading.Lock()
        self._monotonic = monotonic

    def claim(self, key: str, ttl_seconds: int) -> bool:
        with self._lock:
            now = self._monotonic()
            if self._claims.get(key, 0.0) > now:
                return False
            self._claims[key] = now + ttl_seconds
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self._claims.pop(key, None)
