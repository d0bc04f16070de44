"""The composition root: the one place that builds every dependency from Settings."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from handlers.deps import Deps, HandlerSettings, Parser
from handlers.jobs_common import JobSettings
from storage.db import make_engine, make_session_factory
from storage.models import SAFETY_NOTICE_KINDS
from storage.spool import ReportSpool
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


class SystemClock:
    """The wall clock, aware, in the configured zone (tests inject their own clock)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def __call__(self) -> datetime:
        return datetime.now(self.tz)


class LazyParser:
    """Builds the NLU on first use: training takes seconds, and `db upgrade` needs none."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._parser: Parser | None = None
        self._lock = threading.Lock()

    def warm(self) -> Parser:
        """Build (or load from the disk cache) the parser now; safe from several threads."""
        with self._lock:
            if self._parser is None:
                from nlu import build_parser  # heavy import, deferred on purpose

                nlu = self._settings.nlu
                log.info("loading NLU backend %s", nlu.backend)
                self._parser = build_parser(
                    nlu.backend, rasa_url=nlu.rasa_url, cache_dir=Path(nlu.cache_dir)
                )
            return self._parser

    def parse(self, text: str, now: datetime | None = None) -> dict:
        """Parse `text` (Rasa `/model/parse` shape)."""
        return self.warm().parse(text, now)


@dataclass
class App:
    """Everything a running process holds; `close()` releases it."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    stores: Any  # storage.stores.factory's bundle: .state, .claims, .locks, .rates
    deps: Deps

    def close(self) -> None:
        """Release connections (database pool, Redis client)."""
        close = getattr(self.stores, "close", None)
        if callable(close):
            close()
        self.engine.dispose()

    def db_ok(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:  # any driver error means "not reachable" to a health check
            log.warning("database health check failed", exc_info=True)
            return False


def build_app(
    settings: Settings, *, parser: Parser | None = None, clock: Any | None = None
) -> App:
    """Build engine, stores, NLU, clock and Deps; connects to nothing until first use."""
    from storage.stores.factory import build_stores

    ensure_sqlite_dir(settings.database.url)
    engine = make_engine(settings.database.url)
    session_factory = make_session_factory(engine)
    stores = build_stores(
        settings.redis.url, session_factory, redis_timeout=settings.redis.timeout_seconds,
        redis_connect_timeout=settings.redis.connect_timeout_seconds,
    )
    tz = ZoneInfo(settings.timezone)
    clock = clock or SystemClock(tz)
    deps = Deps(
        uow=lambda: UnitOfWork(session_factory),
        parser=parser or LazyParser(settings),
        state=stores.state,
        claims=stores.claims,
        live=stores.live,
        clock=clock,
        settings=handler_settings(settings),
        payments=payment_provider(settings, clock),
        spool=ReportSpool(Path(settings.safety.spool_dir)),
    )
    return App(settings, engine, session_factory, stores, deps)


def payment_provider(settings: Settings, clock: Any) -> object | None:
    """WeChat Pay when `wechat_pay.mch_id` is set; None keeps the demo provider."""
    if not settings.wechat_pay.enabled:
        return None
    from bot.payments.wechatpay.setup import build_provider

    return build_provider(settings, lambda: clock().timestamp())


def handler_settings(settings: Settings) -> HandlerSettings:
    """The part of the configuration the use cases see."""
    return HandlerSettings(
        timezone=ZoneInfo(settings.timezone),
        max_text_chars=settings.dialogue.max_text_chars,
        dialogue_ttl_seconds=settings.dialogue.ttl_seconds,
        max_tickets_per_day=settings.dialogue.max_tickets_per_day,
        min_intent_confidence=settings.nlu.min_intent_confidence,
        public_base_url=settings.server.base_url,
        media_dir=Path(settings.media.dir),
        jobs=job_settings(settings),
        supervision=settings.supervision.to_handlers(),
    )


def job_settings(settings: Settings) -> JobSettings:
    """The `reminders` section (and the safety switch of `notices`) as the jobs see it."""
    r = settings.reminders
    return JobSettings(
        bill_days_before=tuple(r.bill_days_before),
        bill_overdue_every_days=r.bill_overdue_every_days,
        quiet_start=time.fromisoformat(r.quiet_start),
        quiet_end=time.fromisoformat(r.quiet_end),
        notice_before_start=timedelta(hours=r.notice_before_start_hours),
        notice_catch_up=timedelta(hours=r.notice_catch_up_hours),
        always_on_notice_kinds=frozenset(
            SAFETY_NOTICE_KINDS if settings.notices.safety_always_on else ()
        ),
        escalate_unassigned_after=timedelta(minutes=r.escalate_unassigned_minutes),
        satisfaction_after=timedelta(hours=r.satisfaction_after_hours),
        satisfaction_max_age=timedelta(hours=r.satisfaction_max_age_hours),
    )


def upgrade_db(settings: Settings) -> None:
    """Migrate the database to the newest schema (idempotent)."""
    from storage.migrate import upgrade

    ensure_sqlite_dir(settings.database.url)
    upgrade(settings.database.url)


def ensure_sqlite_dir(url: str) -> None:
    """SQLite creates the file but not its folder (the default lives in ./var); the file is
    created here first, readable by its owner only (0600: it holds owners' phones and bills),
    and SQLite gives its -wal and -shm files the same mode."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
