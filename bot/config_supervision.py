"""The `supervision` config section (issue 13): kept apart from bot/config.py's sections."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, field_validator

from bot.config_section import Section
from handlers.supervision.settings import (
    GRADE_BANDS,
    GRADE_WEIGHTS,
    INDICATORS,
    SupervisionSettings,
)

URGENCIES = ("emergency", "high", "normal", "low")


class SupervisionConfig(Section):
    """Supervised complaints, the quality figures' response limits, lists and grades."""

    case_after_workdays: int = Field(5, ge=1, le=60)
    response_minutes: dict[str, int] = {"emergency": 30, "high": 120, "normal": 240, "low": 1440}
    list_min_tickets: int = Field(5, ge=0)
    red_min: float = Field(0.9, ge=0, le=1)
    black_max: float = Field(0.6, ge=0, le=1)
    list_size: int = Field(3, ge=0)
    grade_weights: dict[str, float] = dict(GRADE_WEIGHTS)
    grade_bands: dict[str, float] = dict(GRADE_BANDS)
    certificate_reminder_days: list[int] = [60, 30]

    @field_validator("response_minutes")
    @classmethod
    def _every_urgency(cls, value: dict[str, int]) -> dict[str, int]:
        if set(value) != set(URGENCIES) or any(v < 1 for v in value.values()):
            raise ValueError(f"give minutes >= 1 for exactly {', '.join(URGENCIES)}")
        return value

    @field_validator("grade_weights")
    @classmethod
    def _known_indicators(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - set(INDICATORS)
        if unknown:
            raise ValueError(f"unknown indicators {sorted(unknown)}; known: {', '.join(INDICATORS)}")
        if not value or any(w < 0 for w in value.values()) or sum(value.values()) <= 0:
            raise ValueError("weights must be >= 0 with a positive sum")
        return value

    @field_validator("grade_bands")
    @classmethod
    def _bands(cls, value: dict[str, float]) -> dict[str, float]:
        if set(value) != {"A", "B", "C"} or not value["A"] >= value["B"] >= value["C"]:
            raise ValueError("give floors for A, B and C with A >= B >= C (below C: D)")
        return value

    def to_handlers(self) -> SupervisionSettings:
        """The dataclass the use cases see."""
        return SupervisionSettings(
            case_after_workdays=self.case_after_workdays,
            response_limits={k: timedelta(minutes=v) for k, v in self.response_minutes.items()},
            list_min_tickets=self.list_min_tickets, red_min=self.red_min,
            black_max=self.black_max, list_size=self.list_size,
            grade_weights=dict(self.grade_weights), grade_bands=dict(self.grade_bands),
            certificate_reminder_days=tuple(sorted(set(self.certificate_reminder_days), reverse=True)),
        )
