"""The clock-driven use cases: an explicit registry of jobs `(deps, now) -> JobReport`.

The scheduler (bot/scheduler.py, leader only) and `python -m bot jobs run NAME --now ISO`
both call a job through this registry, so a test or an operator runs exactly what the clock
runs. Each job writes outbox rows through handlers.notify and is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from handlers.deps import Deps
from handlers.jobs_bills import bill_reminders
from handlers.jobs_common import JobReport, JobSettings
from handlers.jobs_digest import daily_digest
from handlers.jobs_notices import notice_reminders
from handlers.jobs_payments import payment_reconciliation, payment_sync
from handlers.jobs_service_tasks import service_tasks
from handlers.jobs_supervision import supervision_escalations
from handlers.jobs_tickets import satisfaction_requests, ticket_escalations

Job = Callable[[Deps, datetime], JobReport]

JOBS: dict[str, Job] = {
    "bill_reminders": bill_reminders,
    "notice_reminders": notice_reminders,
    "ticket_escalations": ticket_escalations,
    "satisfaction_requests": satisfaction_requests,
    "daily_digest": daily_digest,
    "service_tasks": service_tasks,
    "payment_sync": payment_sync,
    "payment_reconciliation": payment_reconciliation,
    "supervision_escalations": supervision_escalations,
}

__all__ = ["JOBS", "Job", "JobReport", "JobSettings", "describe"]


def describe(name: str) -> str:
    """The first line of a job's docstring (for `jobs list`)."""
    doc = JOBS[name].__doc__ or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""
