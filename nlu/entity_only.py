"""Messages that are nothing but entities: the intent follows from what was given.

A bare `13812345678`, `3-2-501`, `R20261127001` or `5星` leaves the classifier almost nothing
to read (after masking, one placeholder letter), so whatever it answers is an accident of the
training data. These messages are decided here instead, from the entity types alone, at a
fixed confidence that says how sure that guess can be without context: a dialogue flow that
asked a question takes such a message as its answer before the intent matters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from nlu.normalize import MAX_CHARS, has_content

# (entity types that must all be present, intent, confidence); the first match wins.
RULES: tuple[tuple[frozenset[str], str, float], ...] = (
    # 5星 / 打3分 can only be a rating; with a ticket code it names what is rated.
    (frozenset({"rating"}), "rate_service", 0.9),
    # A code pasted alone mostly asks where that ticket stands (it may also precede 撤销).
    (frozenset({"ticket_id"}), "ticket_status", 0.75),
    # Home and phone together are exactly what binding asks for.
    (frozenset({"unit", "phone"}), "bind_account", 0.9),
    # A home alone is most often binding, but may name a neighbour's flat in a complaint.
    (frozenset({"unit"}), "bind_account", 0.75),
    # A phone alone may be binding or a call-back number: a guess, and said to be one.
    (frozenset({"phone"}), "bind_account", 0.6),
)
ENTITY_TYPES = frozenset().union(*(need for need, _, _ in RULES))


def entity_only_intent(text: str, entities: Sequence[Mapping[str, Any]]) -> tuple[str, float] | None:
    """(intent, confidence) when the text is only units, phones, ticket codes or ratings."""
    sample = text[:MAX_CHARS]
    spans = [e for e in entities if e.get("entity") in ENTITY_TYPES]
    if not spans:
        return None
    chars = list(sample)
    for e in spans:
        start, end = int(e["start"]), int(e["end"])
        chars[start:end] = " " * (end - start)
    if has_content("".join(chars)):
        return None  # any word besides the entities is for the classifier to read
    present = {str(e["entity"]) for e in spans}
    for need, intent, confidence in RULES:
        if need <= present:
            return intent, confidence
    return None


def with_top(ranking: Sequence[Mapping[str, Any]], intent: str,
             confidence: float) -> list[dict[str, Any]]:
    """The ranking with `intent` first at `confidence`; the others share the rest pro rata."""
    others = [r for r in ranking if r["name"] != intent]
    mass = sum(float(r["confidence"]) for r in others)
    rest = 1.0 - confidence
    if mass > 0:
        scaled = [(str(r["name"]), float(r["confidence"]) * rest / mass) for r in others]
    else:
        scaled = [(str(r["name"]), rest / len(others)) for r in others] if others else []
    scaled.sort(key=lambda pair: (-pair[1], pair[0]))
    return [{"name": intent, "confidence": confidence}] + [
        {"name": name, "confidence": conf} for name, conf in scaled]
