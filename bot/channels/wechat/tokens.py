"""The WeChat access token: shared by every process, refreshed by one of them at a time.

Every fetch of `/cgi-bin/token` invalidates the token before it, so processes that each
refreshed would keep breaking each other. The token lives in the shared key-value store
(Redis when configured); a refresh happens under a named lock (LockStore), and a process
that finds the lock taken waits for the new token to appear instead of fetching its own.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime

from storage.stores import KeyValueStore, LockStore

log = logging.getLogger(__name__)

Fetch = Callable[[], Awaitable[tuple[str, int]]]  # → (token, expires_in seconds)


class TokenError(Exception):
    """No access token could be had (WeChat refused, or another refresher never finished)."""


class AccessTokens:
    """`await tokens.get()`; after an invalid-token errcode, `await tokens.invalidate(bad)`."""

    def __init__(
        self,
        fetch: Fetch,
        kv: KeyValueStore,
        locks: LockStore,
        clock: Callable[[], datetime],
        app_id: str,
        refresh_margin: int = 300,
        wait_seconds: float = 10.0,
        namespace: str = "wechat",  # WeCom shares this class under "wecom"
    ) -> None:
        self._fetch = fetch
        self._kv = kv
        self._locks = locks
        self._clock = clock
        self._namespace = namespace
        self._key = f"{namespace}:access_token:{app_id}"
        self._lock_name = f"{namespace}:token_refresh:{app_id}"
        self._margin = refresh_margin  # refresh this long before WeChat's expiry
        self._wait = wait_seconds
        self._local = asyncio.Lock()  # one refresher per process; the LockStore across them

    async def get(self) -> str:
        """A valid token: the shared one, or a fresh one when it is missing or about to expire."""
        token = await self._cached()
        if token:
            return token
        async with self._local:
            token = await self._cached()
            return token or await self._refresh(stale=None)

    async def invalidate(self, bad: str) -> None:
        """WeChat called `bad` invalid: drop it, unless another process already replaced it."""
        async with self._local:
            entry = await asyncio.to_thread(self._kv.get, self._key)
            if entry and entry.get("token") == bad:
                await asyncio.to_thread(self._kv.delete, self._key)

    async def _cached(self) -> str | None:
        entry = await asyncio.to_thread(self._kv.get, self._key)
        if not entry:
            return None
        if float(entry.get("expires_at", 0)) - self._margin <= self._clock().timestamp():
            return None
        return str(entry.get("token") or "") or None

    async def _refresh(self, stale: str | None) -> str:
        owner = uuid.uuid4().hex
        deadline = time.monotonic() + self._wait
        while True:
            if await asyncio.to_thread(self._locks.acquire, self._lock_name, owner, 60):
                try:
                    token = await self._cached()  # another process may have just refreshed
                    if token and token != stale:
                        return token
                    return await self._fetch_and_store()
                finally:
                    await asyncio.to_thread(self._locks.release, self._lock_name, owner)
            token = await self._cached()
            if token and token != stale:
                return token
            if time.monotonic() >= deadline:
                raise TokenError("another process holds the token refresh lock and gave no token")
            await asyncio.sleep(0.1)

    async def _fetch_and_store(self) -> str:
        token, expires_in = await self._fetch()
        expires_at = self._clock().timestamp() + expires_in
        entry = {"token": token, "expires_at": expires_at}
        await asyncio.to_thread(self._kv.set, self._key, entry, max(1, int(expires_in)))
        log.info("%s access token refreshed, valid for %ss", self._namespace, expires_in)
        return token
