"""Everything a use case needs, built once in bot/app.py and passed explicitly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from handlers.jobs_common import JobSettings
from handlers.supervision.settings import SupervisionSettings
from storage.spool import ReportSpool
from storage.stores import ClaimStore, KeyValueStore
from storage.uow import UnitOfWork


class Parser(Protocol):
    """The NLU: text → Rasa `/model/parse` dict."""

    def parse(self, text: str, now: datetime | None = None) -> dict: ...


@dataclass(frozen=True)
class HandlerSettings:
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    max_text_chars: int = 2000  # longer messages are refused with a clear reply
    dialogue_ttl_seconds: int = 30 * 60  # an unfinished flow is forgotten after this
    max_tickets_per_day: int = 10  # per owner, against spam
    min_intent_confidence: float = 0.45  # below it: fallback (help + closest FAQ)
    public_base_url: str = "http://127.0.0.1:8080"
    media_dir: Path = Path("var/media")
    invite_ttl_days: int = 90
    jobs: JobSettings = field(default_factory=JobSettings)  # reminders, escalations (handlers.jobs)
    supervision: SupervisionSettings = field(default_factory=SupervisionSettings)  # issue 13


@dataclass(frozen=True)
class Deps:
    uow: Callable[[], UnitOfWork]
    parser: Parser
    state: KeyValueStore
    claims: ClaimStore
    clock: Callable[[], datetime]
    settings: HandlerSettings = field(default_factory=HandlerSettings)
    live: Any = None  # storage.stores.live.LiveBus: nudges the console's live views (None: off)
    spool: ReportSpool | None = None  # reports taken while the database is down (owners.offline)
    payments: object | None = None  # handlers.payments.PaymentProvider; None = demo provider
