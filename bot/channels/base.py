"""The channel contract: how every channel (web, terminal, Telegram, WeChat, WeCom, and the
console's live conversations) meets the core.

- receive: the adapter verifies and parses the platform's request, then hands the core an
  `handlers.messages.Incoming` (nothing platform-shaped crosses it) through
  `handlers.dispatch.handle`, one conversation at a time (`bot.channels.serial.KeyedLocks`);
- deliver: `Deliverer.deliver(target, payload, kind)` sends one outbox push and returns one
  `DeliveryResult`; it never retries by itself — the sender decides.

`DeliveryResult.status`:
- `sent`: the platform took it;
- `retry_after`: the platform said "later" (`retry_after` seconds); the attempt is not counted;
- `blocked`: the account blocked us or is gone; only the sender marks it unreachable;
- `failed`: it certainly did not go (refused, connection not made, 5xx); retried with backoff;
- `unknown`: the request left but no answer came (a timeout, a dropped connection): it may
  have been delivered. Where the platform has no idempotency key (Telegram, WeChat) it is
  recorded and NOT resent, so only a crash can send twice; a deliverer whose platform
  deduplicates (WeCom's duplicate check) sets `idempotent` and reports `failed` instead;
- `skipped`: the sender's own verdict for channels that take no pushes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

DeliveryStatus = Literal["sent", "retry_after", "blocked", "failed", "unknown", "skipped"]


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery attempt came to; the sender decides what to do next."""

    status: DeliveryStatus
    retry_after: float = 0.0
    error: str = ""


@dataclass(frozen=True)
class Target:
    """Who a push goes to: the outbox row, the identity, and its id on the platform."""

    message_id: int
    identity_id: int
    channel: str
    external_id: str


class Deliverer(Protocol):
    """One channel's outbound side, as the sender sees it."""

    # Rate-limit bucket of the platform account (a bot, an official account): processes
    # sending as the same account share it.
    rate_key: str
    # True when the platform's retry_after means "the whole account, slow down" (Telegram's
    # flood control), not just "this chat, later" (WeChat's 48-hour window).
    pauses_channel: bool

    async def deliver(
        self, target: Target, payload: Mapping[str, Any], kind: str
    ) -> DeliveryResult: ...

    async def close(self) -> None: ...


def idempotent(deliverer: object) -> bool:
    """True when resending after an unknown outcome cannot duplicate (the platform dedupes)."""
    return bool(getattr(deliverer, "idempotent", False))
