"""Channel lifecycle events that are not messages: follow, unfollow, the reply window.

Platforms such as the WeChat Official Account allow only a few customer-service messages
after each message an owner sends (5 within 48 hours since 2023); the count lives on the
identity so every process sees it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Literal

from handlers.deps import Deps
from storage.models import OutboxMessage

Window = Literal["open", "used_up", "closed", "unreachable", "unknown"]


def subscribed(deps: Deps, channel: str, external_id: str) -> bool:
    """Record a follow (reachable again, reply window opened); True when already bound."""
    now = deps.clock()
    with deps.uow() as uow:
        identity = uow.identities.get_or_create(channel, external_id, now)
        identity.reachable = True
        identity.last_inbound_at = now
        identity.replies_since_inbound = 0
        bound = identity.owner_id is not None or identity.staff_id is not None
        uow.commit()
    return bound


def mark_unreachable(deps: Deps, channel: str, external_id: str) -> None:
    """The account unfollowed or blocked us: pushes to it stop until it comes back."""
    with deps.uow() as uow:
        identity = uow.identities.by_external(channel, external_id)
        if identity is None:
            return
        identity.reachable = False
        uow.commit()


def take_reply_window(
    deps: Deps, channel: str, external_id: str, window_hours: int, limit: int
) -> Window:
    """Reserve one reply in the window after the account's last message (`open`) or say why not."""
    now = deps.clock()
    since = now - timedelta(hours=window_hours)
    with deps.uow() as uow:
        identity = uow.identities.by_external(channel, external_id)
        if identity is None:
            return "unknown"
        if not identity.reachable:
            return "unreachable"
        if uow.identities.take_reply_quota(channel, external_id, since, limit):
            uow.commit()
            return "open"
        last = identity.last_inbound_at
        return "used_up" if last is not None and last >= since else "closed"


def use_up_reply_window(deps: Deps, channel: str, external_id: str, limit: int) -> None:
    """The platform said the window's quota is spent: stop trying until the owner writes."""
    with deps.uow() as uow:
        identity = uow.identities.by_external(channel, external_id)
        if identity is not None:
            identity.replies_since_inbound = max(identity.replies_since_inbound, limit)
            uow.commit()


def identity_id(deps: Deps, channel: str, external_id: str) -> int | None:
    """The identity row id of an account, or None when it never wrote."""
    with deps.uow() as uow:
        identity = uow.identities.by_external(channel, external_id)
        return identity.id if identity is not None else None


def offer_buttons(deps: Deps, channel: str, external_id: str, payloads: list[str]) -> None:
    """A push offered numbered choices: a number typed next picks one (as dispatch does).

    The key and the `buttons` entry are dispatch's dialogue state (`dialogue:{identity id}`).
    """
    ident = identity_id(deps, channel, external_id)
    if ident is None or not payloads:
        return
    key = f"dialogue:{ident}"
    state = deps.state.get(key) or {}
    state["buttons"] = list(payloads)
    deps.state.set(key, state, deps.settings.dialogue_ttl_seconds)


def queue_reply(
    deps: Deps, channel: str, external_id: str, text: str, dedupe_key: str, delay_seconds: float
) -> None:
    """A reply the platform would not take now goes to the outbox, for the sender to retry."""
    now = deps.clock()
    with deps.uow() as uow:
        identity = uow.identities.by_external(channel, external_id)
        if identity is None or uow.outbox.has_dedupe_key(dedupe_key):
            return
        uow.outbox.add(
            OutboxMessage(
                identity_id=identity.id, channel=channel, kind="reply",
                payload=json.dumps({"text": text}, ensure_ascii=False), dedupe_key=dedupe_key,
                status="pending", attempts=0, created_at=now,
                next_attempt_at=now + timedelta(seconds=delay_seconds),
            )
        )
        uow.commit()
