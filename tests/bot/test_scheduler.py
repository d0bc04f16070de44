"""The scheduler: one leader among several processes, a tidy job store, `jobs` on the CLI."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.app import App, build_app
from bot.config import ConfigError, SchedulerSettings, Settings, load_settings
from bot.scheduler import PERSISTENT, SchedulerService, execute, fire
from handlers.deps import Deps
from handlers.jobs import JOBS, JobReport
from storage.models import Base
from storage.stores.factory import Stores, build_stores
from storage.stores.memory import MemoryRateLimiter
from storage.stores.sql import SqlClaimStore, SqlKeyValueStore, SqlLockStore
from tests.bot.test_cli import bot_env
from tests.storage.backends import PG_URL, REDIS_URL, TickClock, fresh_pg_schema, redis_advance

SH = ZoneInfo("Asia/Shanghai")


class CountingJob:
    """A job body that only counts its runs (and tells a waiting test)."""

    def __init__(self) -> None:
        self.runs: list[datetime] = []
        self.fired = threading.Event()

    def __call__(self, deps: Deps, now: datetime) -> JobReport:
        self.runs.append(now)
        self.fired.set()
        return JobReport("bill_reminders", now, queued=1)


@dataclass
class Cluster:
    """Two `serve` processes' worth of App on one database and one lock backend."""

    a: App
    b: App
    advance: object  # Callable[[float], None]: moves the lock backend's time


def _settings(url: str, redis_url: str = "", **scheduler: object) -> Settings:
    lock = f"leader-{uuid.uuid4().hex[:8]}"  # no two tests (or runs) share a lock
    return Settings(database={"url": url}, redis={"url": redis_url},
                    scheduler={"leader_lock": lock, **scheduler})


def _sql_stores(app: App, tick: TickClock) -> Stores:
    sessions = app.session_factory
    return Stores(kv=SqlKeyValueStore(sessions, tick.now), claims=SqlClaimStore(sessions, tick.now),
                  locks=SqlLockStore(sessions, tick.now), limiter=MemoryRateLimiter())


@pytest.fixture(params=["sqlite", pytest.param("postgres+redis", marks=[pytest.mark.postgres, pytest.mark.redis])])
def cluster(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cluster]:
    tick = TickClock()
    if request.param == "sqlite":
        settings = _settings(f"sqlite:///{tmp_path / 'wuye.sqlite3'}")
        apps = [build_app(settings) for _ in range(2)]
        Base.metadata.create_all(apps[0].engine)
        apps = [replace(app, stores=_sql_stores(app, tick)) for app in apps]
        yield Cluster(apps[0], apps[1], tick.advance)
    else:
        if not (PG_URL and REDIS_URL):
            pytest.skip("set WUYE_TEST_DATABASE_URL and WUYE_TEST_REDIS_URL")
        prefix = f"wuye-test:{uuid.uuid4().hex}:"
        with fresh_pg_schema() as url:
            settings = _settings(url, REDIS_URL)
            apps = [build_app(settings) for _ in range(2)]
            Base.metadata.create_all(apps[0].engine)
            apps = [replace(a, stores=build_stores(REDIS_URL, a.session_factory, prefix)) for a in apps]
            from storage.stores.redis_store import connect

            client = connect(REDIS_URL)
            yield Cluster(apps[0], apps[1], redis_advance(client, prefix, tick))
            for key in client.scan_iter(match=prefix + "*"):
                client.delete(key)
            client.close()
    for app in (apps[0], apps[1]):
        app.close()


def _stored_rows(app: App) -> list[str]:
    table = app.settings.scheduler.jobstore_table
    with app.engine.connect() as conn:
        return sorted(conn.execute(text(f"SELECT id FROM {table}")).scalars())


def test_two_schedulers_on_one_database_run_each_job_once(cluster: Cluster) -> None:
    body = CountingJob()
    a = SchedulerService(cluster.a, jobs={"bill_reminders": body}, owner="a")
    b = SchedulerService(cluster.b, jobs={"bill_reminders": body}, owner="b")
    a.start(paused=True)
    b.start(paused=True)
    try:
        assert a.tick() and not b.tick()
        assert [job.id for job in a.scheduled_jobs()] == ["bill_reminders"] and b.scheduled_jobs() == []
        for service in (a, b):  # both processes' clocks strike 09:00
            service.fire_job("bill_reminders")
        assert len(body.runs) == 1
        fire(cluster.a.settings.scheduler.leader_lock, "bill_reminders")  # the job store's way in
        assert len(body.runs) == 2

        # The leader dies (stops refreshing): after the TTL the other one takes over.
        cluster.advance(cluster.a.settings.scheduler.leader_ttl_seconds + 1)  # type: ignore[operator]
        assert b.tick() and not a.tick()
        assert a.fire_job("bill_reminders") is None
        assert b.fire_job("bill_reminders") is not None
        assert len(body.runs) == 3
        assert _stored_rows(cluster.a) == ["bill_reminders"]  # taken over, not duplicated
    finally:
        a.stop()
        b.stop()


def test_the_leader_fires_a_due_job_through_apscheduler(tmp_path: Path) -> None:
    settings = _settings(f"sqlite:///{tmp_path / 'wuye.sqlite3'}")
    apps = [build_app(settings) for _ in range(2)]
    Base.metadata.create_all(apps[0].engine)
    body = CountingJob()
    services = [SchedulerService(app, jobs={"bill_reminders": body}) for app in apps]
    try:
        for service in services:
            service.start(paused=True)
        assert [s.tick() for s in services] == [True, False]
        for service in services:
            service.scheduler.resume()
        leader = services[0].scheduler
        leader.modify_job("bill_reminders", jobstore=PERSISTENT, next_run_time=datetime.now(SH))
        assert body.fired.wait(timeout=30)
    finally:
        for service in services:
            service.stop()  # waits for running jobs
        for app in apps:
            app.close()
    assert len(body.runs) == 1


def test_restarts_keep_one_definition_per_job_and_its_next_run(tmp_path: Path) -> None:
    app = build_app(_settings(f"sqlite:///{tmp_path / 'wuye.sqlite3'}"))
    Base.metadata.create_all(app.engine)
    try:
        first = SchedulerService(app)
        first.start(paused=True)
        assert first.tick()
        before = {job.id: job.next_run_time for job in first.scheduled_jobs()}
        first.stop()
        assert _stored_rows(app) == sorted(JOBS)

        again = SchedulerService(app)
        again.start(paused=True)
        assert again.tick()
        assert {job.id: job.next_run_time for job in again.scheduled_jobs()} == before
        again.stop()

        changed = SchedulerSettings.model_validate({
            **app.settings.scheduler.model_dump(),
            "bill_reminders": {"cron": "0 10 * * *"}, "daily_digest": {"enabled": False},
        })
        edited = SchedulerService(
            replace(app, settings=app.settings.model_copy(update={"scheduler": changed}))
        )
        edited.start(paused=True)
        assert edited.tick()
        jobs = {job.id: job for job in edited.scheduled_jobs()}
        edited.stop()
        assert sorted(jobs) == sorted(set(JOBS) - {"daily_digest"}) == _stored_rows(app)
        assert "hour='10'" in str(jobs["bill_reminders"].trigger)
    finally:
        app.close()


def test_a_job_runs_once_at_a_time_even_from_the_command_line(tmp_path: Path) -> None:
    app = build_app(_settings(f"sqlite:///{tmp_path / 'wuye.sqlite3'}"))
    Base.metadata.create_all(app.engine)
    body, now = CountingJob(), datetime(2026, 11, 27, 9, 0, tzinfo=SH)
    try:
        assert app.stores.locks.acquire("job:bill_reminders", "someone-else", 60)
        report = execute(app, "bill_reminders", now, jobs={"bill_reminders": body})
        assert (report.skipped, body.runs) == ("busy", [])
        app.stores.locks.release("job:bill_reminders", "someone-else")
        assert execute(app, "bill_reminders", now, jobs={"bill_reminders": body}).queued == 1
        assert body.runs == [now]
    finally:
        app.close()


async def test_serve_starts_and_stops_the_scheduler(tmp_path: Path) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.http import build_web_app
    from bot.scheduler import SERVICE_KEY

    app = build_app(_settings(f"sqlite:///{tmp_path / 'wuye.sqlite3'}"))
    Base.metadata.create_all(app.engine)
    web_app = build_web_app(app, plugins=("bot.scheduler",))
    async with TestClient(TestServer(web_app, host="127.0.0.1")):
        service = web_app[SERVICE_KEY]
        assert service.scheduler.running
    assert not service.scheduler.running
    assert app.stores.locks.acquire(app.settings.scheduler.leader_lock, "next", 30)  # handed over
    off = build_app(_settings(f"sqlite:///{tmp_path / 'wuye.sqlite3'}", enabled=False))
    assert SERVICE_KEY not in build_web_app(off, plugins=("bot.scheduler",))
    app.close()
    off.close()


def test_every_job_has_a_schedule_and_bad_schedules_are_refused(tmp_path: Path) -> None:
    assert set(Settings().scheduler.schedules()) == set(JOBS)
    config = tmp_path / "config.yaml"
    config.write_text('scheduler:\n  daily_digest: {cron: "61 8 * * *"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="daily_digest"):
        load_settings(config)
    config.write_text("scheduler:\n  daily_digest: {enabled: false}\n", encoding="utf-8")
    assert not load_settings(config).scheduler.daily_digest.enabled


def test_jobs_list_and_run_on_the_command_line(tmp_path: Path) -> None:
    from storage.db import make_engine, make_session_factory
    from storage.migrate import upgrade
    from storage.uow import UnitOfWork
    from tests.factories import bind_identity, build_world

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        world = build_world(uow)
        bind_identity(uow, "web", "wang", datetime(2026, 11, 1, tzinfo=SH),
                      owner_id=world.owner_ids["13812345678"])
        uow.commit()
    config = tmp_path / "config.yaml"
    config.write_text(f"database:\n  url: {url}\n", encoding="utf-8")
    env = bot_env(tmp_path)
    del env["WUYE_DATABASE__URL"]  # the config file names the database

    def bot(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), *args],
                              capture_output=True, cwd=tmp_path, env=env, timeout=120, check=False)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode()

    listing = bot("jobs", "list")
    assert all(name in listing for name in JOBS) and "cron 0 9 * * *" in listing
    now = "2026-11-29T09:00:00+08:00"
    assert "queued 1, considered 2" in bot("jobs", "run", "bill_reminders", "--now", now)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox")).scalar() == 1
    engine.dispose()


def test_pushes_of_a_run_as_if_in_the_future_go_out_now(tmp_path: Path) -> None:
    """`jobs run NAME --now T` with T ahead of the clock: its pushes are due now, not at T."""
    from bot.commands.jobs import last_outbox_id, release_pushes
    from storage.db import make_engine, make_session_factory
    from storage.models import Base, ChannelIdentity, OutboxMessage
    from storage.uow import UnitOfWork

    engine = make_engine(f"sqlite:///{tmp_path / 'release.sqlite3'}")
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    real_now = datetime(2026, 12, 2, 9, 0, tzinfo=SH)
    as_if = datetime(2027, 1, 5, 21, 0, tzinfo=SH)
    with UnitOfWork(factory) as uow:
        identity = ChannelIdentity(channel="web", external_id="w", created_at=real_now)
        uow.session.add(identity)
        uow.session.flush()
        old = OutboxMessage(identity_id=identity.id, channel="web", kind="reply", payload="{}",
                            next_attempt_at=real_now + timedelta(hours=1), created_at=real_now)
        uow.session.add(old)
        uow.commit()
    before = last_outbox_id(lambda: UnitOfWork(factory))
    with UnitOfWork(factory) as uow:  # what the run as if at T writes: one due at T, one deferred
        uow.session.add_all([
            OutboxMessage(identity_id=identity.id, channel="web", kind="bill_reminder", payload="{}",
                          next_attempt_at=as_if, created_at=as_if),
            OutboxMessage(identity_id=identity.id, channel="web", kind="bill_reminder", payload="{}",
                          next_attempt_at=as_if + timedelta(hours=11), created_at=as_if),
        ])
        uow.commit()
    assert release_pushes(lambda: UnitOfWork(factory), before, as_if, real_now) == 2
    with UnitOfWork(factory) as uow:
        due = {m.id: m.next_attempt_at for m in uow.session.query(OutboxMessage)}
    assert due[before] == real_now + timedelta(hours=1)  # rows of other work are untouched
    assert due[before + 1] == real_now
    assert due[before + 2] == real_now + timedelta(hours=11)  # a quiet-hours wait stays a wait
    assert release_pushes(lambda: UnitOfWork(factory), before, real_now - timedelta(days=1),
                          real_now) == 0  # a run as if in the past is due already
    engine.dispose()
