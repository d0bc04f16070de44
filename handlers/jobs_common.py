"""What every clock-driven job shares: its settings, its report, quiet hours, the local day.

A job is a module-level function `(deps, now) -> JobReport` (registered in handlers.jobs).
It writes outbox rows through handlers.notify only, and is idempotent: every push carries a
dedupe key naming the day or the event, so a second run writes nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.models import SAFETY_NOTICE_KINDS

# Rows per unit of work when a job walks many recipients: a crash loses at most one chunk,
# and the rerun skips what was committed (dedupe keys).
CHUNK = 200


@dataclass(frozen=True)
class JobSettings:
    """How the clock-driven jobs behave (bot/config.py's `reminders` section)."""

    bill_days_before: tuple[int, ...] = (7, 1)
    bill_overdue_every_days: int = 7  # 0: no reminders after the due date
    quiet_start: time = time(22, 0)
    quiet_end: time = time(8, 0)  # equal to quiet_start: no quiet hours
    notice_before_start: timedelta = timedelta(hours=12)
    notice_catch_up: timedelta = timedelta(hours=24)  # how late a missed push still goes out
    always_on_notice_kinds: frozenset[str] = field(
        default_factory=lambda: frozenset(SAFETY_NOTICE_KINDS)
    )
    escalate_unassigned_after: timedelta = timedelta(minutes=30)
    satisfaction_after: timedelta = timedelta(hours=2)
    satisfaction_max_age: timedelta = timedelta(days=3)
    marker_ttl_seconds: int = 30 * 24 * 3600  # how long "this notice stage is done" is kept


@dataclass(frozen=True)
class JobReport:
    """What one run did: pushes queued, things looked at, and why it did nothing (if so)."""

    job: str
    now: datetime
    queued: int = 0
    considered: int = 0
    changed: int = 0  # rows changed besides the outbox (tickets escalated)
    skipped: str = ""  # quiet_hours / busy / not_leader / ""
    details: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for logs and `jobs run`."""
        head = f"{self.job} at {self.now.isoformat()}: "
        if self.skipped:
            return head + f"skipped ({self.skipped})"
        text = f"queued {self.queued}, considered {self.considered}"
        if self.changed:
            text += f", changed {self.changed}"
        return head + text


def local_day(now: datetime, tz: ZoneInfo) -> date:
    """The calendar day of `now` where the owners live."""
    return now.astimezone(tz).date()


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnight of `day` and of the next day, aware."""
    start = datetime.combine(day, time(0, 0), tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)


def in_quiet_hours(now: datetime, settings: JobSettings, tz: ZoneInfo) -> bool:
    """Whether `now` falls in the quiet hours (which may run over midnight)."""
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    local = now.astimezone(tz).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end
