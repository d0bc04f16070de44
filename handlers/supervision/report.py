"""The monthly quality report of a district/street: the same figures as the API, plus the
red/black list, cases and rectifications of the month (rendered as XLSX/PDF in bot/)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.supervision import grades, metrics
from handlers.supervision.scope import RegulatorScope, communities, company_ids
from handlers.supervision.settings import SupervisionSettings
from storage.uow import UnitOfWork

# The columns of the figure tables: key, Chinese heading, kind (rate / number).
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("homes", "户数", "number"),
    ("tickets", "工单", "number"),
    ("complaints", "投诉", "number"),
    ("response_rate", "响应率", "rate"),
    ("resolution_rate", "解决率", "rate"),
    ("satisfaction_rate", "满意率", "rate"),
    ("complaints_per_100_homes", "百户投诉", "number"),
    ("first_response_median_minutes", "首次响应中位数(分钟)", "number"),
    ("late_share", "超时占比", "rate"),
    ("reopen_rate", "返修率", "rate"),
    ("bill_collection_rate", "收缴率", "rate"),
)


@dataclass(frozen=True)
class QualityReport:
    """Everything one monthly report shows."""

    scope: RegulatorScope
    month: str
    companies: list[dict[str, object]]
    communities: list[dict[str, object]]
    red: list[dict[str, object]]
    black: list[dict[str, object]]
    cases_opened: int
    cases_closed: int
    rectifications: dict[str, int]  # status → count of the month's notices

    @property
    def title(self) -> str:
        """`朝阳区劲松街道 2026-11 物业服务质量月报`."""
        return f"{self.scope.label} {self.month} 物业服务质量月报"


def quality_report(
    uow: UnitOfWork, scope: RegulatorScope, month: str, now: datetime,
    settings: SupervisionSettings, tz: ZoneInfo,
) -> QualityReport:
    """Build the month's report for the scope."""
    figures = metrics.quality(uow, scope, month, now, settings, tz)
    lists = grades.red_black(uow, scope, month, now, settings, tz)
    start, end = metrics.month_bounds(month, tz)
    ids = [c.id for c in communities(uow, scope)]
    every_case = uow.supervision.cases(ids, None, 0, 100_000)
    opened = sum(1 for c in every_case if start <= c.opened_at < end)
    closed = sum(1 for c in every_case if c.closed_at is not None and start <= c.closed_at < end)
    counts: dict[str, int] = {}
    for notice in uow.supervision.rectifications(company_ids(uow, scope)):
        if start.date() <= notice.issued_on < end.date():
            counts[notice.status] = counts.get(notice.status, 0) + 1
    return QualityReport(
        scope=scope, month=month, companies=list(figures["companies"]),  # type: ignore[arg-type]
        communities=list(figures["communities"]),  # type: ignore[arg-type]
        red=list(lists["red"]), black=list(lists["black"]),  # type: ignore[arg-type]
        cases_opened=opened, cases_closed=closed, rectifications=counts,
    )


def cell(value: object, kind: str) -> str:
    """A figure as printed: rates as percentages, None as "—"."""
    if value is None:
        return "—"
    if kind == "rate":
        return f"{float(value) * 100:.1f}%"  # type: ignore[arg-type]
    return str(value)
