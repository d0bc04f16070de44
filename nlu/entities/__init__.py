"""Rule-based entity extraction: deterministic, values normalised as the taxonomy says."""

from __future__ import annotations

from datetime import datetime

from nlu.entities.base import Candidate
from nlu.entities.codes import find_phones, find_ticket_ids, find_units
from nlu.entities.items import find_bill_items, find_ratings
from nlu.entities.periods import find_periods
from nlu.normalize import MAX_CHARS, canonical

EXTRACTOR = "wuye_rules"
ENTITY_TYPES = ("unit", "phone", "bill_item", "period", "ticket_id", "rating")


def _resolve(finders: tuple[list[Candidate], ...]) -> list[Candidate]:
    """Non-overlapping candidates: earlier finders win, then earlier and longer spans."""
    taken: list[Candidate] = []
    for candidates in finders:
        for cand in sorted(candidates, key=lambda c: (c.start, c.start - c.end)):
            if not any(cand.start < t.end and t.start < cand.end for t in taken):
                taken.append(cand)
    taken.sort(key=lambda c: (c.start, c.end))
    return taken


def code_spans(canon: str) -> list[Candidate]:
    """Phones, ticket codes and units of canonical text (what the classifier masks)."""
    return _resolve((find_phones(canon), find_ticket_ids(canon), find_units(canon)))


def extract_entities(text: str, now: datetime) -> list[dict[str, object]]:
    """All entities of the text, sorted by position; offsets index the original text."""
    canon = canonical(text[:MAX_CHARS])
    # Earlier finders win overlaps: a phone number or a ticket code is never read as a unit
    # or a year, and a unit never as a period.
    taken = _resolve((
        find_phones(canon),
        find_ticket_ids(canon),
        find_units(canon),
        find_periods(canon, now),
        find_bill_items(canon),
        find_ratings(canon),
    ))
    return [
        {"entity": c.entity, "value": c.value, "start": c.start, "end": c.end,
         "extractor": EXTRACTOR}
        for c in taken
    ]
