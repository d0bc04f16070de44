"""A service plan's schedule: when its tasks start, in local time.

Accepted forms (times are local, default 08:00):
    daily [HH:MM[,HH:MM…]]            every day
    weekly [DAY[,DAY…]] [HH:MM]       DAY = mon…sun or 周一…周日 (default Monday)
    monthly [N[,N…]] [HH:MM]          day N of the month (a day past the month's end: its last day)
    M H DOM MON DOW                   cron-like: numbers, `*`, lists `a,b`, ranges `a-b`, steps `*/n`;
                                      DOW 0 = Monday … 6 = Sunday (as the scheduler's config counts)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from handlers.errors import Invalid

DEFAULT_TIME = time(8, 0)
_DAY_NAMES = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4, "周六": 5, "周日": 6, "周天": 6,
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Schedule:
    """Which days, and at which local times on those days, a plan's tasks start."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: frozenset[int] | None  # None = any
    months: frozenset[int] | None
    weekdays: frozenset[int] | None  # 0 = Monday
    clamp_month_end: bool = False  # monthly 31 → the last day of shorter months

    def runs_on(self, day: date) -> bool:
        """Whether tasks start on local day `day`."""
        if self.months is not None and day.month not in self.months:
            return False
        if self.weekdays is not None and day.weekday() not in self.weekdays:
            return False
        if self.days_of_month is None:
            return True
        if day.day in self.days_of_month:
            return True
        last = calendar.monthrange(day.year, day.month)[1]
        return self.clamp_month_end and day.day == last and any(d > last for d in self.days_of_month)

    def starts_on(self, day: date, tz: ZoneInfo) -> list[datetime]:
        """The aware start times on local day `day` (empty when the plan does not run then)."""
        if not self.runs_on(day):
            return []
        return [datetime.combine(day, time(h, m), tzinfo=tz)
                for h in sorted(self.hours) for m in sorted(self.minutes)]


def parse_schedule(text: str) -> Schedule:
    """`daily 08:00`, `weekly mon,thu 09:30`, `monthly 1`, `0 9 * * 0` → a Schedule; Invalid otherwise."""
    words = text.strip().lower().split()
    if not words:
        raise Invalid("plan_bad_schedule", value=text)
    head, rest = words[0], words[1:]
    try:
        if head in ("daily", "每天", "每日"):
            return _at_times(rest, None, None)
        if head in ("weekly", "每周"):
            days = _leading_list(rest, _weekday) or [0]
            return _at_times(rest[1:] if rest and not _TIME.match(rest[0]) else rest, None,
                             frozenset(days))
        if head in ("monthly", "每月"):
            days = _leading_list(rest, lambda w: _number(w, 1, 31)) or [1]
            rest = rest[1:] if rest and not _TIME.match(rest[0]) else rest
            return _at_times(rest, frozenset(days), None, clamp=True)
        if len(words) == 5:
            return _cron(words)
    except ValueError:
        pass
    raise Invalid("plan_bad_schedule", value=text)


def _at_times(words: list[str], days: frozenset[int] | None, weekdays: frozenset[int] | None,
              clamp: bool = False) -> Schedule:
    if len(words) > 1:
        raise ValueError("too many words")
    times = [_time(w) for w in words[0].split(",")] if words else [DEFAULT_TIME]
    if len({t.minute for t in times}) > 1 and len(times) > 1:
        # different minutes at different hours are not a grid: one Schedule per time is simpler
        # for operators to read; refuse rather than start tasks at times nobody asked for.
        raise ValueError("times must share their minutes")
    return Schedule(frozenset(t.minute for t in times), frozenset(t.hour for t in times),
                    days, None, weekdays, clamp)


def _leading_list(words: list[str], parse: object) -> list[int]:
    if not words or _TIME.match(words[0]):
        return []
    return [parse(w) for w in words[0].split(",")]  # type: ignore[operator]


def _time(word: str) -> time:
    match = _TIME.match(word)
    if not match:
        raise ValueError(word)
    return time(int(match.group(1)), int(match.group(2)))


def _weekday(word: str) -> int:
    if word in _DAY_NAMES:
        return _DAY_NAMES[word]
    return _number(word, 0, 6)


def _number(word: str, low: int, high: int) -> int:
    if not word.isdigit() or not low <= int(word) <= high:
        raise ValueError(word)
    return int(word)


def _cron(words: list[str]) -> Schedule:
    minute, hour, dom, month, dow = words
    return Schedule(
        frozenset(_field(minute, 0, 59) or range(60)),
        frozenset(_field(hour, 0, 23) or range(24)),
        _optional(dom, 1, 31), _optional(month, 1, 12), _optional(dow, 0, 6),
    )


def _optional(word: str, low: int, high: int) -> frozenset[int] | None:
    values = _field(word, low, high)
    return None if values is None else frozenset(values)


def _field(word: str, low: int, high: int) -> set[int] | None:
    """One cron field; None for `*` (any)."""
    if word == "*":
        return None
    out: set[int] = set()
    for part in word.split(","):
        base, _, step_text = part.partition("/")
        step = _number(step_text, 1, high) if step_text else 1
        if base == "*":
            start, end = low, high
        elif "-" in base:
            a, b = base.split("-", 1)
            start, end = _cron_value(a, low, high), _cron_value(b, low, high)
        else:
            start = end = _cron_value(base, low, high)
        if start > end:
            raise ValueError(part)
        out.update(range(start, end + 1, step))
    return out


def _cron_value(word: str, low: int, high: int) -> int:
    if high == 6 and word in _DAY_NAMES:
        return _DAY_NAMES[word]
    return _number(word, low, high)


_WEEKDAY_ZH = "一二三四五六日"
_WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def describe(text: str, locale: str = "zh") -> str:
    """`weekly mon,thu 09:00` → `每周一、周四 09:00` (`Mon, Thu 09:00`); cron-like as written."""
    try:
        schedule = parse_schedule(text)
    except Invalid:
        return text
    times = ",".join(f"{h:02d}:{m:02d}" for h in sorted(schedule.hours) for m in sorted(schedule.minutes))
    head = text.strip().split()[0].lower()
    if head in ("daily", "每天", "每日"):
        return f"每天 {times}" if locale == "zh" else f"daily {times}"
    if head in ("weekly", "每周") and schedule.weekdays is not None:
        days = sorted(schedule.weekdays)
        if locale == "zh":
            return "每" + "、".join(f"周{_WEEKDAY_ZH[d]}" for d in days) + f" {times}"
        return ", ".join(_WEEKDAY_EN[d] for d in days) + f" {times}"
    if head in ("monthly", "每月") and schedule.days_of_month is not None:
        days = sorted(schedule.days_of_month)
        if locale == "zh":
            return "每月" + "、".join(f"{d}日" for d in days) + f" {times}"
        return "monthly on day " + ", ".join(map(str, days)) + f" {times}"
    return (f"按计划（{text.strip()}）" if locale == "zh" else f"on schedule ({text.strip()})")
