"""The last few things an owner typed, so a person taking over (handoff) sees the context."""

from __future__ import annotations

from handlers.deps import Deps

KEEP_MESSAGES = 6
KEEP_SECONDS = 24 * 3600


def remember(deps: Deps, identity_id: int, text: str) -> None:
    """Append `text` to the identity's recent messages (bounded, expiring)."""
    text = text.strip()
    if not text:
        return
    key = f"recent:{identity_id}"
    recent = (deps.state.get(key) or {}).get("texts") or []
    recent = [*recent, text[:200]][-KEEP_MESSAGES:]
    deps.state.set(key, {"texts": recent}, KEEP_SECONDS)


def recent(deps: Deps, identity_id: int) -> list[str]:
    """The identity's recent messages, oldest first."""
    return list((deps.state.get(f"recent:{identity_id}") or {}).get("texts") or [])
