"""The one working-day calendar every deadline uses: China's holidays and make-up days.

Data come from the `chinese-calendar` package (pinned; it ships the State Council's
schedule year by year). For a year it has no data for yet, Monday–Friday counts as working
days and a warning is logged once per year — a deadline is never refused for lack of data.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

log = logging.getLogger(__name__)

_warned_years: set[int] = set()


def is_workday(day: date) -> bool:
    """Whether `day` is a working day in mainland China (make-up Saturdays included)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning(
                "no holiday calendar for %s in chinese-calendar %s: counting Monday-Friday",
                day.year, getattr(chinese_calendar, "__version__", "?"),
            )
        return day.weekday() < 5


def add_workdays(start: date, count: int) -> date:
    """The `count`-th working day after `start` (`start` itself is not counted)."""
    day, left = start, count
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_workday(day)
    return count


def deadline_after(moment: datetime, count: int, tz: ZoneInfo) -> datetime:
    """The end (next local midnight) of the `count`-th working day after `moment`'s day."""
    last = add_workdays(moment.astimezone(tz).date(), count)
    return datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=tz)
