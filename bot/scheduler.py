"""The clock inside `serve`: APScheduler 3 with its job store in the project's database.

Several `serve` processes may run; exactly one is the leader. Every process runs a
BackgroundScheduler whose only local job is the leadership tick (every
`scheduler.leader_check_seconds`): the leader refreshes its lock (Redis when configured,
the database otherwise), the others try to take it. Only the leader adds the SQLAlchemy job
store, so only it fires the scheduled jobs — APScheduler 3 must not share a job store
between running schedulers. A leader that dies stops refreshing; after
`leader_ttl_seconds` another process takes the lock, adds the store, and runs what was
missed within each job's misfire grace time (coalesced into one run).

A fired job calls `execute`, exactly what `python -m bot jobs run NAME` calls: it takes the
job's own lock (one run at a time, CLI included) and calls handlers.jobs.JOBS[NAME](deps, now).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import App
from bot.config import JobSchedule
from handlers.jobs import JOBS, Job, JobReport
from storage.db import make_engine

log = logging.getLogger(__name__)

FIRE_REF = "bot.scheduler:fire"  # what the job store keeps: a textual reference and two strings
PERSISTENT = "persistent"  # the job store alias; only the leader has it
LEADERSHIP_JOB = "leadership"
CRON_GRACE_SECONDS = 3 * 3600
JOB_THREADS = 4  # jobs running at once (each job at most once: max_instances=1)

# The service leading each lock in this process. The job store can only name a module-level
# function, so `fire` finds the running service here; it is filled by `_promote`, at run time.
_leaders: dict[str, SchedulerService] = {}
_leaders_guard = threading.Lock()


class UnknownJobError(KeyError):
    """`jobs run NAME` with a name that is not in handlers.jobs.JOBS."""


def process_owner() -> str:
    """A name for this process in lock values: host, pid and a random tail."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def execute(
    app: App, name: str, now: datetime, *, jobs: Mapping[str, Job] = JOBS, owner: str = ""
) -> JobReport:
    """Run job `name` as if at `now`, holding its lock; `busy` when another run holds it."""
    job = jobs.get(name)
    if job is None:
        raise UnknownJobError(name)
    owner = owner or process_owner()
    lock, ttl = f"job:{name}", app.settings.scheduler.job_lock_ttl_seconds
    if not app.stores.locks.acquire(lock, owner, ttl):
        log.info("job %s is already running elsewhere; skipped", name)
        return JobReport(name, now, skipped="busy")
    try:
        report = job(app.deps, now)
    finally:
        app.stores.locks.release(lock, owner)
    log.info("job %s", report.summary())
    return report


def trigger_for(schedule: JobSchedule, tz: ZoneInfo) -> BaseTrigger:
    """The APScheduler trigger of one configured schedule."""
    if schedule.cron:
        return CronTrigger.from_crontab(schedule.cron, timezone=tz)
    return IntervalTrigger(minutes=schedule.every_minutes, timezone=tz)


def grace_for(schedule: JobSchedule) -> int:
    """How late a missed run may still start: configured, else 3 h (cron) or one interval."""
    if schedule.misfire_grace_seconds:
        return schedule.misfire_grace_seconds
    return CRON_GRACE_SECONDS if schedule.cron else max(1, int(schedule.every_minutes * 60))


def trigger_key(trigger: BaseTrigger) -> tuple[Any, ...]:
    """What makes two triggers the same schedule (an interval's start date does not)."""
    if isinstance(trigger, IntervalTrigger):
        return ("interval", trigger.interval, str(trigger.timezone))
    return (str(trigger), str(getattr(trigger, "timezone", "")))


def fire(lock_name: str, name: str) -> None:
    """The job store's entry point: run `name` if a service of this process leads `lock_name`."""
    with _leaders_guard:
        service = _leaders.get(lock_name)
    if service is None:
        log.warning("job %s fired in a process that does not lead; skipped", name)
        return
    service.fire_job(name)


class SchedulerService:
    """One process's scheduler: leadership tick always, the scheduled jobs while leading."""

    def __init__(self, app: App, *, jobs: Mapping[str, Job] = JOBS, owner: str = "") -> None:
        self.app = app
        self.jobs = jobs
        self.owner = owner or process_owner()
        self.config = app.settings.scheduler
        self.tz = ZoneInfo(app.settings.timezone)
        self.scheduler = BackgroundScheduler(
            timezone=self.tz, job_defaults={"coalesce": True, "max_instances": 1},
            # The tick has a thread of its own: busy jobs never delay a lock refresh.
            executors={"default": ThreadPoolExecutor(JOB_THREADS), LEADERSHIP_JOB: ThreadPoolExecutor(1)},
        )
        # APScheduler logs every run at INFO: quiet for the tick (every few seconds), not for jobs.
        logging.getLogger(f"apscheduler.executors.{LEADERSHIP_JOB}").setLevel(logging.WARNING)
        self.leading = False
        self._stopping = False
        self._guard = threading.Lock()  # the tick and firing jobs both touch the lock

    def start(self, *, paused: bool = False) -> None:
        """Start the scheduler thread; the first leadership tick runs at once (unless paused)."""
        self.scheduler.start(paused=paused)
        self.scheduler.add_job(
            self.tick, IntervalTrigger(seconds=self.config.leader_check_seconds, timezone=self.tz),
            id=LEADERSHIP_JOB, executor=LEADERSHIP_JOB, next_run_time=datetime.now(self.tz),
            misfire_grace_time=None,
        )

    def stop(self) -> None:
        """Stop firing, wait for running jobs, then hand the leadership over."""
        with self._guard:
            # APScheduler's shutdown holds the job store lock while it waits for running jobs:
            # from here on no tick or firing may touch the job stores, or shutdown deadlocks.
            self._stopping = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        with self._guard:
            if self.leading:
                self._unregister()
                self.leading = False
                self._release()

    def tick(self) -> bool:
        """One leadership step: keep, lose or take the lock; True while this process leads."""
        with self._guard:
            if self._stopping:
                return False
            try:
                if self.leading:
                    if self._refresh():
                        return True
                    log.warning("scheduler: lost the leader lock; stopping scheduled jobs")
                    self._demote()
                    return False
                if self.app.stores.locks.acquire(self.config.leader_lock, self.owner, self._ttl):
                    self._promote()
                    return True
                return False
            except Exception:  # lock backend or job store down: never risk two leaders
                log.exception("scheduler: leadership check failed")
                if self.leading:
                    self._demote()
                    self._release()  # let a healthy process take over at once
                return False

    def fire_job(self, name: str) -> JobReport | None:
        """Run a scheduled job now, after checking this process still leads."""
        with self._guard:
            if self._stopping or not self.leading:
                return None
            try:
                still = self._refresh()
            except Exception:
                log.exception("scheduler: leader lock unavailable; %s skipped", name)
                return None
            if not still:  # e.g. the process stalled past the TTL and was replaced
                log.warning("scheduler: lost the leader lock before %s; skipped", name)
                self._demote()
                return None
        try:
            return execute(self.app, name, self.app.deps.clock(), jobs=self.jobs, owner=self.owner)
        except Exception:
            log.exception("job %s failed", name)
            return None

    def scheduled_jobs(self) -> list[Any]:
        """The jobs in the persistent store (empty when not leading)."""
        if not self.leading:
            return []
        return list(self.scheduler.get_jobs(jobstore=PERSISTENT))

    # -- leadership ---------------------------------------------------------------------

    @property
    def _ttl(self) -> int:
        return self.config.leader_ttl_seconds

    def _refresh(self) -> bool:
        return self.app.stores.locks.refresh(self.config.leader_lock, self.owner, self._ttl)

    def _release(self) -> None:
        try:
            self.app.stores.locks.release(self.config.leader_lock, self.owner)
        except Exception:  # it expires by itself
            log.warning("scheduler: could not release the leader lock", exc_info=True)

    def _promote(self) -> None:
        log.info("scheduler: %s is the leader", self.owner)
        self.leading = True
        with _leaders_guard:
            _leaders[self.config.leader_lock] = self
        engine = make_engine(self.app.settings.database.url)  # the store disposes it when removed
        store = SQLAlchemyJobStore(engine=engine, tablename=self.config.jobstore_table)
        pause = self.scheduler.state == STATE_RUNNING  # started and not paused
        if pause:  # nothing fires until the stored jobs match the configuration
            self.scheduler.pause()
        try:
            self.scheduler.add_jobstore(store, alias=PERSISTENT)
            self.reconcile()
        finally:
            if pause:
                self.scheduler.resume()

    def _demote(self) -> None:
        self.leading = False
        self._unregister()
        with contextlib.suppress(KeyError):  # never promoted as far as adding the store
            self.scheduler.remove_jobstore(PERSISTENT, shutdown=True)

    def _unregister(self) -> None:
        with _leaders_guard:
            if _leaders.get(self.config.leader_lock) is self:
                del _leaders[self.config.leader_lock]

    def reconcile(self) -> None:
        """Make the stored jobs match the configuration, keeping unchanged ones as they are.

        An unchanged job keeps its stored next run time, so a run missed while no process
        led still happens (within its misfire grace time); a changed one is replaced
        (replace_existing), a removed or disabled one deleted. Nothing is ever duplicated.
        """
        wanted = {
            name: schedule for name, schedule in self.config.schedules().items()
            if schedule.enabled and name in self.jobs
        }
        stored = {job.id: job for job in self.scheduler.get_jobs(jobstore=PERSISTENT)}
        for job_id in stored.keys() - wanted.keys():
            self.scheduler.remove_job(job_id, jobstore=PERSISTENT)
        for name, schedule in wanted.items():
            trigger, grace = trigger_for(schedule, self.tz), grace_for(schedule)
            args = (self.config.leader_lock, name)
            job = stored.get(name)
            if job is not None and (job.func_ref, tuple(job.args), trigger_key(job.trigger),
                                    job.misfire_grace_time) == (FIRE_REF, args, trigger_key(trigger), grace):
                continue
            self.scheduler.add_job(
                FIRE_REF, trigger, args=args, id=name, name=name, jobstore=PERSISTENT,
                replace_existing=True, misfire_grace_time=grace, coalesce=True, max_instances=1,
            )


SERVICE_KEY = web.AppKey("wuye_scheduler", SchedulerService)


def setup(web_app: web.Application, app: App) -> None:
    """HTTP plugin hook: run the scheduler with the server (unless `scheduler.enabled` is false)."""
    if not app.settings.scheduler.enabled:
        log.info("scheduler: off in this process (scheduler.enabled is false)")
        return

    async def on_startup(web_app: web.Application) -> None:
        service = SchedulerService(app)
        await asyncio.to_thread(service.start)
        web_app[SERVICE_KEY] = service

    async def on_shutdown(web_app: web.Application) -> None:
        service = web_app.get(SERVICE_KEY)
        if service is not None:
            await asyncio.to_thread(service.stop)

    web_app.on_startup.append(on_startup)
    web_app.on_shutdown.append(on_shutdown)
