"""How supervision behaves (bot/config_supervision.py's `supervision` section, as handlers see it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

# How soon staff must accept a ticket, by urgency: the "response" of 12345's 响应率.
# Documented in README "Regulator"; `supervision.response_minutes` overrides it.
RESPONSE_LIMITS: dict[str, timedelta] = {
    "emergency": timedelta(minutes=30),
    "high": timedelta(hours=2),
    "normal": timedelta(hours=4),
    "low": timedelta(hours=24),
}
# Every indicator a grade may weigh; all are "higher is better" fractions 0–1 (grades.py).
INDICATORS = (
    "response_rate", "resolution_rate", "satisfaction_rate", "bill_collection_rate",
    "rectification_on_time_rate", "on_time_share", "not_reopened_rate",
)
# The half-yearly grade's indicators and weights (the city's rules change: configuration).
GRADE_WEIGHTS: dict[str, float] = {
    "response_rate": 0.25,
    "resolution_rate": 0.25,
    "satisfaction_rate": 0.3,
    "bill_collection_rate": 0.1,
    "rectification_on_time_rate": 0.1,
}
GRADE_BANDS: dict[str, float] = {"A": 0.9, "B": 0.8, "C": 0.6}  # below C's floor: D


@dataclass(frozen=True)
class SupervisionSettings:
    """Deadlines, response limits, red/black list rules and the grade's composite."""

    case_after_workdays: int = 5  # an unresolved complaint becomes a supervised case after this
    response_limits: dict[str, timedelta] = field(default_factory=lambda: dict(RESPONSE_LIMITS))
    list_min_tickets: int = 5  # fewer tickets in the month: on neither list
    red_min: float = 0.9  # mean of the three rates at least this: red list candidate
    black_max: float = 0.6  # mean below this, or any rate below it: black list candidate
    list_size: int = 3  # at most this many companies on each list
    grade_weights: dict[str, float] = field(default_factory=lambda: dict(GRADE_WEIGHTS))
    grade_bands: dict[str, float] = field(default_factory=lambda: dict(GRADE_BANDS))
    certificate_reminder_days: tuple[int, ...] = (60, 30)
