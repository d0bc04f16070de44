"""Service-quality figures (one definition: README "Regulator"), per company and community.

Over the owners' repair and complaint tickets created in a period (local months), not
cancelled; 12345 hotline tickets (`ticket.source == "hotline"`) count in every figure and
are also shown apart under "hotline". Rates are fractions 0–1 rounded to 4 places, None
when their denominator is 0. The console's office dashboards add their own figures beside
this module; the regulator's API, report and grade all read these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from statistics import median
from zoneinfo import ZoneInfo

from handlers.errors import Invalid
from handlers.supervision.scope import RegulatorScope, communities
from handlers.supervision.settings import SupervisionSettings
from handlers.tickets_core import SLA_BY_URGENCY
from storage.models import Community
from storage.uow import UnitOfWork

QUALITY_KINDS = ("repair", "complaint")
GOOD_SATISFACTION = frozenset({"satisfied", "basic"})  # 满意 + 基本满意


@dataclass(frozen=True)
class TicketFacts:
    """What the figures need of one ticket."""

    kind: str
    source: str
    urgency: str
    created_at: datetime
    accepted_at: datetime | None  # first time staff accepted it (接单)
    resolved_at: datetime | None  # first time it was resolved
    reopened: bool
    solved: bool | None  # latest return-visit answer, None if never asked/answered
    satisfaction: str | None  # latest satisfaction answer


def month_bounds(month: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """`2026-11` → local midnight of Nov 1 and of Dec 1; Invalid for anything else."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except (TypeError, ValueError) as err:
        raise Invalid("supervision_bad_month", month=month) from err
    if len(month) != 7:
        raise Invalid("supervision_bad_month", month=month)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (datetime.combine(first, time(0), tzinfo=tz), datetime.combine(following, time(0), tzinfo=tz))


def months_of_half(half: str) -> list[str]:
    """`2026-H1` → 2026-01 … 2026-06; `2026-H2` → 2026-07 … 2026-12."""
    year, _, which = half.partition("-H")
    if not (year.isdigit() and len(year) == 4 and which in ("1", "2")):
        raise Invalid("supervision_bad_half", half=half)
    first = 1 if which == "1" else 7
    return [f"{year}-{m:02d}" for m in range(first, first + 6)]


def rate(numerator: int | Decimal, denominator: int | Decimal) -> float | None:
    """numerator ÷ denominator as a 0–1 fraction (4 places); None when the denominator is 0."""
    if not denominator:
        return None
    return round(float(Decimal(numerator) / Decimal(denominator)), 4)


def figures(
    facts: Sequence[TicketFacts], now: datetime, settings: SupervisionSettings,
    *, homes: int | None = None, bills: tuple[Decimal, Decimal] | None = None,
) -> dict[str, object]:
    """Every figure of one group of tickets (a company, a community, its hotline share)."""
    limits = settings.response_limits
    accepted = [f for f in facts if f.accepted_at is not None]
    in_time = sum(1 for f in accepted if f.accepted_at - f.created_at <= _limit(limits, f.urgency))
    answered = [f for f in facts if f.solved is not None]
    rated = [f for f in facts if f.satisfaction is not None]
    ever_resolved = [f for f in facts if f.resolved_at is not None]
    complaints = sum(1 for f in facts if f.kind == "complaint")
    waits = [(f.accepted_at - f.created_at).total_seconds() / 60 for f in accepted]
    out: dict[str, object] = {
        "tickets": len(facts),
        "repairs": sum(1 for f in facts if f.kind == "repair"),
        "complaints": complaints,
        "response_rate": rate(in_time, len(facts)),
        "resolution_rate": rate(sum(1 for f in answered if f.solved), len(answered)),
        "satisfaction_rate": rate(
            sum(1 for f in rated if f.satisfaction in GOOD_SATISFACTION), len(rated)
        ),
        "return_visits": len(answered),
        "satisfaction_answers": len(rated),
        "first_response_median_minutes": round(median(waits), 1) if waits else None,
        "late_share": rate(sum(1 for f in facts if _late(f, now)), len(facts)),
        "reopen_rate": rate(sum(1 for f in ever_resolved if f.reopened), len(ever_resolved)),
    }
    if homes is not None:
        out["homes"] = homes
        out["complaints_per_100_homes"] = (
            round(complaints * 100 / homes, 2) if homes else None
        )
    if bills is not None:
        out["bill_collection_rate"] = rate(bills[1], bills[0])
    return out


def _limit(limits: dict[str, timedelta], urgency: str) -> timedelta:
    return limits.get(urgency) or limits["normal"]


def _late(f: TicketFacts, now: datetime) -> bool:
    """Resolved after its deadline (by urgency), or still unresolved past it."""
    due = f.created_at + SLA_BY_URGENCY.get(f.urgency, SLA_BY_URGENCY["normal"])
    return (f.resolved_at or now) > due


def collect_facts(
    uow: UnitOfWork, community_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, list[TicketFacts]]:
    """Community id → the facts of its quality tickets created in [start, end)."""
    repo = uow.supervision
    tickets = repo.tickets_created(list(community_ids), QUALITY_KINDS, start, end)
    ids = [x.id for x in tickets]
    accepted = repo.first_event_times(ids, "accepted")
    resolved = repo.first_event_times(ids, "resolved")
    visits = repo.latest_visits(ids)
    out: dict[int, list[TicketFacts]] = {}
    for x in tickets:
        solved, satisfaction = visits.get(x.id, (None, None))
        out.setdefault(x.community_id, []).append(TicketFacts(
            kind=x.kind, source=x.source or "owner", urgency=x.urgency, created_at=x.created_at,
            accepted_at=accepted.get(x.id), resolved_at=resolved.get(x.id),
            reopened=(x.reopen_count or 0) > 0, solved=solved, satisfaction=satisfaction,
        ))
    return out


def quality(
    uow: UnitOfWork, scope: RegulatorScope, month: str, now: datetime,
    settings: SupervisionSettings, tz: ZoneInfo,
) -> dict[str, object]:
    """`{"month", "companies": [...], "communities": [...]}` for the scope's communities."""
    start, end = month_bounds(month, tz)
    found = quality_over(uow, communities(uow, scope), [month], start, end, now, settings)
    return {"month": month, **found}


def quality_over(
    uow: UnitOfWork, places: Sequence[Community], months: Sequence[str],
    start: datetime, end: datetime, now: datetime, settings: SupervisionSettings,
) -> dict[str, list[dict[str, object]]]:
    """Per-company and per-community figures over tickets created in [start, end)."""
    ids = [c.id for c in places]
    facts = collect_facts(uow, ids, start, end)
    homes = uow.supervision.homes_per_community(ids)
    bills = uow.supervision.bill_totals(ids, months)
    rows = [_row(c, facts.get(c.id, []), homes.get(c.id, 0), bills.get(c.id), now, settings)
            for c in places]
    by_company: dict[int, list[Community]] = {}
    for c in places:
        if c.company_id is not None:
            by_company.setdefault(c.company_id, []).append(c)
    companies = []
    for company_id, members in sorted(by_company.items()):
        company = uow.org.company(company_id)
        group = [f for c in members for f in facts.get(c.id, [])]
        billed = sum((bills.get(c.id, (Decimal(0), Decimal(0)))[0] for c in members), Decimal(0))
        paid = sum((bills.get(c.id, (Decimal(0), Decimal(0)))[1] for c in members), Decimal(0))
        row = {"company_id": company_id, "company": company.name if company else "",
               "communities": len(members),
               **figures(group, now, settings, homes=sum(homes.get(c.id, 0) for c in members),
                         bills=(billed, paid)),
               "hotline": _hotline(group, now, settings)}
        companies.append(row)
    return {"companies": companies, "communities": rows}


def _row(
    community: Community, facts: list[TicketFacts], homes: int,
    bills: tuple[Decimal, Decimal] | None, now: datetime, settings: SupervisionSettings,
) -> dict[str, object]:
    company = community.company
    return {
        "community_id": community.id, "community": community.name,
        "company_id": community.company_id, "company": company.name if company else "",
        "district": community.district, "street": community.street,
        **figures(facts, now, settings, homes=homes, bills=bills or (Decimal(0), Decimal(0))),
        "hotline": _hotline(facts, now, settings),
    }


def _hotline(facts: list[TicketFacts], now: datetime, settings: SupervisionSettings) -> dict[str, object]:
    return figures([f for f in facts if f.source == "hotline"], now, settings)
