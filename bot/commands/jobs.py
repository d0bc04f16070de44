"""`jobs list` and `jobs run NAME [--now ISO]`: the scheduled jobs, for operators and tests.

`jobs run` calls bot.scheduler.execute — the very function the scheduler fires — with the
clock set to `--now` (default: the real time), so `jobs run bill_reminders --now
2026-11-27T09:00:00+08:00` writes what the 09:00 run of that day would write; those pushes
go out now, not when the real clock reaches `--now`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

from bot.app import App, upgrade_db
from bot.scheduler import PERSISTENT, execute, trigger_for
from handlers.jobs import JOBS, describe
from storage.db import make_engine
from storage.models import OutboxMessage
from storage.uow import UnitOfWork

EXIT_USAGE = 2
EXIT_BUSY = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `jobs list` and `jobs run`."""
    jobs = subparsers.add_parser("jobs", help="scheduled jobs (reminders, escalations, digest)")
    actions = jobs.add_subparsers(dest="jobs_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every job with its schedule and next run")
    listing.set_defaults(func=_list)
    run = actions.add_parser("run", help="run one job now (or as if at --now)")
    run.add_argument("name", help="job name (see `jobs list`)")
    run.add_argument(
        "--now", metavar="ISO",
        help="pretend it is this time, e.g. 2026-11-27T09:00:00+08:00 (no offset: local time)",
    )
    run.set_defaults(func=_run)


def parse_now(value: str | None, tz: ZoneInfo) -> datetime:
    """`--now` as an aware datetime; a value without an offset is local time; none is now."""
    if not value:
        return datetime.now(tz)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _run(args: argparse.Namespace, app: App) -> int:
    tz = ZoneInfo(app.settings.timezone)
    try:
        now = parse_now(args.now, tz)
    except ValueError:
        print(f"wuye: --now {args.now!r} is not an ISO date-time", file=sys.stderr)
        return EXIT_USAGE
    if args.name not in JOBS:
        print(f"wuye: unknown job {args.name!r}; jobs: {', '.join(JOBS)}", file=sys.stderr)
        return EXIT_USAGE
    upgrade_db(app.settings)
    before = last_outbox_id(app.deps.uow)
    report = execute(app, args.name, now)
    release_pushes(app.deps.uow, before, now, datetime.now(tz))
    print(report.summary())
    return EXIT_BUSY if report.skipped == "busy" else 0


def last_outbox_id(uow_factory: Callable[[], UnitOfWork]) -> int:
    """The newest outbox row's id (0 when empty): rows after it were written by this run."""
    with uow_factory() as uow:
        return int(uow.session.scalar(select(func.max(OutboxMessage.id))) or 0)


def release_pushes(uow_factory: Callable[[], UnitOfWork], after_id: int, as_if: datetime,
                   real_now: datetime) -> int:
    """Pushes of a run "as if at T" go out now: a T in the future no longer holds them back.

    Each row's wait relative to T is kept (a quiet-hours deferral stays a deferral); only
    the distance between T and the real clock is taken off. Returns the rows moved.
    """
    shift = as_if - real_now
    if shift <= timedelta(0):
        return 0
    with uow_factory() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.id > after_id, OutboxMessage.status == "pending")).all()
        for row in rows:
            row.next_attempt_at = max(real_now, row.next_attempt_at - shift)
        uow.commit()
    return len(rows)


def _list(args: argparse.Namespace, app: App) -> int:
    tz = ZoneInfo(app.settings.timezone)
    now = datetime.now(tz)
    stored = stored_next_runs(app)
    schedules = app.settings.scheduler.schedules()
    for name in JOBS:
        schedule = schedules.get(name)
        if schedule is None or not schedule.enabled:
            when, next_run = "off", "-"
        else:
            when = f"cron {schedule.cron}" if schedule.cron else f"every {schedule.every_minutes:g} min"
            upcoming = stored.get(name) or trigger_for(schedule, tz).get_next_fire_time(None, now)
            next_run = upcoming.astimezone(tz).isoformat(timespec="minutes") if upcoming else "-"
        print(f"{name:<22} {when:<18} next {next_run:<22} {describe(name)}")
    return 0


def stored_next_runs(app: App) -> dict[str, datetime]:
    """Next run times the leader keeps in the job store (empty before the first leader)."""
    scheduler = BackgroundScheduler(timezone=ZoneInfo(app.settings.timezone))
    engine = make_engine(app.settings.database.url)
    scheduler.add_jobstore(
        SQLAlchemyJobStore(engine=engine, tablename=app.settings.scheduler.jobstore_table),
        alias=PERSISTENT,
    )
    scheduler.start(paused=True)  # paused: reads the store, never fires
    try:
        return {
            job.id: job.next_run_time
            for job in scheduler.get_jobs(jobstore=PERSISTENT)
            if job.next_run_time is not None
        }
    finally:
        scheduler.shutdown(wait=False)
