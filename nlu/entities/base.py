"""The candidate record every finder returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    """One entity found in canonical text; start/end index the original text too."""

    entity: str
    value: str
    start: int
    end: int
