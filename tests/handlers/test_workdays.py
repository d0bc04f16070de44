"""The one working-day calendar: holidays, make-up Saturdays, and years without data."""

from __future__ import annotations

import logging
from datetime import date, datetime

import pytest

from handlers import workdays
from tests.handlers.supervision.helpers import TZ


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 9, 25), False),  # 中秋节 (a Friday)
    (date(2026, 9, 28), True),
    (date(2026, 10, 1), False),  # 国庆节
    (date(2026, 10, 7), False),
    (date(2026, 10, 8), True),
    (date(2026, 10, 10), True),  # a Saturday made a working day
    (date(2026, 11, 28), False),  # an ordinary Saturday
])
def test_official_holidays_and_make_up_days(day: date, working: bool) -> None:
    assert workdays.is_workday(day) is working


def test_five_working_days_across_the_national_day_holiday() -> None:
    # From Tue 29 Sep: 30 Sep; 1–7 Oct off; 8, 9, Sat 10 (a make-up day); Mon 12.
    fifth = workdays.add_workdays(date(2026, 9, 29), 5)
    assert fifth == date(2026, 10, 12)
    assert workdays.workdays_between(date(2026, 9, 29), fifth) == 5


def test_deadline_is_the_end_of_the_last_working_day() -> None:
    made = datetime(2026, 11, 27, 15, 0, tzinfo=TZ)  # Friday
    assert workdays.deadline_after(made, 1, TZ).isoformat() == "2026-12-01T00:00:00+08:00"


def test_a_year_without_data_falls_back_to_monday_to_friday_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    far = 2099
    workdays._warned_years.discard(far)
    with caplog.at_level(logging.WARNING, logger="handlers.workdays"):
        assert workdays.is_workday(date(far, 1, 5)) is True  # a Monday
        assert workdays.is_workday(date(far, 1, 3)) is False  # a Saturday
        assert workdays.add_workdays(date(far, 1, 2), 5) == date(far, 1, 9)
    warnings = [r for r in caplog.records if str(far) in r.getMessage()]
    assert len(warnings) == 1  # once per year, not per day
