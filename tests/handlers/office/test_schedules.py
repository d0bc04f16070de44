"""Plan schedules: which local days and times tasks start on."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.errors import Invalid
from handlers.office.schedules import parse_schedule

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("text", "day", "times"), [
    ("daily", date(2026, 11, 27), ["08:00"]),
    ("daily 07:30", date(2026, 11, 28), ["07:30"]),
    ("daily 08:00,14:00", date(2026, 11, 28), ["08:00", "14:00"]),
    ("weekly", date(2026, 11, 30), ["08:00"]),  # a Monday
    ("weekly", date(2026, 12, 1), []),
    ("weekly mon,thu 09:00", date(2026, 12, 3), ["09:00"]),  # a Thursday
    ("weekly 周五", date(2026, 12, 4), ["08:00"]),
    ("monthly", date(2026, 12, 1), ["08:00"]),
    ("monthly", date(2026, 12, 2), []),
    ("monthly 31", date(2026, 11, 30), ["08:00"]),  # the last day of a short month
    ("monthly 15 10:00", date(2026, 11, 15), ["10:00"]),
    ("0 9 * * 0", date(2026, 11, 30), ["09:00"]),  # cron-like, Monday = 0
    ("0 9 * * 0", date(2026, 11, 29), []),
    ("30 6-8/2 1,15 * *", date(2026, 12, 15), ["06:30", "08:30"]),
    ("0 22 * 12 *", date(2026, 12, 9), ["22:00"]),
    ("0 22 * 12 *", date(2026, 11, 9), []),
])
def test_start_times(text: str, day: date, times: list[str]) -> None:
    starts = parse_schedule(text).starts_on(day, SH)
    assert [f"{s:%H:%M}" for s in starts] == times
    assert all(s.tzinfo is SH and s.date() == day for s in starts)


@pytest.mark.parametrize("text", [
    "", "hourly", "daily 25:00", "weekly funday", "monthly 32", "0 9 * *", "61 9 * * *",
    "0 9 * * 7", "daily 08:00 09:00", "daily 08:00,14:30", "5-1 * * * *",
])
def test_unreadable_schedules_are_refused(text: str) -> None:
    with pytest.raises(Invalid) as err:
        parse_schedule(text)
    assert err.value.text_key == "plan_bad_schedule"


def test_start_times_are_local_and_aware() -> None:
    (start,) = parse_schedule("daily 08:00").starts_on(date(2026, 11, 27), SH)
    assert start == datetime(2026, 11, 27, 0, 0, tzinfo=ZoneInfo("UTC"))
