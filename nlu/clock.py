"""The reference time that relative periods resolve against."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def reference_time(now: datetime | None) -> datetime:
    """`now` on Beijing's calendar: None → the current time, naive → taken as Beijing time."""
    if now is None:
        return datetime.now(BEIJING)
    if now.tzinfo is None:
        return now.replace(tzinfo=BEIJING)
    # 2026-11-30T20:00Z is already 1 December for an owner in Beijing.
    return now.astimezone(BEIJING)


def parse_iso(value: str) -> datetime:
    """An ISO-8601 timestamp (date only allowed) as a Beijing reference time."""
    return reference_time(datetime.fromisoformat(value))
