"""The red/black list (红黑榜) per district and month, and the half-yearly grade A–D.

Both read the figures of handlers.supervision.metrics. The grade's indicators and weights
are configuration (`supervision.grade_weights`, `grade_bands`): the city's evaluation rules
change, the code does not hard-code them. An indicator without data (no rectifications, no
bills) is left out and its weight shared among the others; each company gets its breakdown.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.supervision import metrics
from handlers.supervision.scope import RegulatorScope, communities
from handlers.supervision.settings import INDICATORS, SupervisionSettings
from storage.uow import UnitOfWork

THREE_RATES = ("response_rate", "resolution_rate", "satisfaction_rate")
__all__ = ["INDICATORS", "THREE_RATES", "band", "composite", "half_year_grades", "red_black"]


def red_black(
    uow: UnitOfWork, scope: RegulatorScope, month: str, now: datetime,
    settings: SupervisionSettings, tz: ZoneInfo,
) -> dict[str, object]:
    """`{"district", "street", "month", "red": [...], "black": [...]}` from the three rates."""
    found = metrics.quality(uow, scope, month, now, settings, tz)
    ranked = []
    for row in found["companies"]:  # type: ignore[union-attr]
        rates = [row[k] for k in THREE_RATES if row[k] is not None]
        if row["tickets"] < settings.list_min_tickets or row["response_rate"] is None:
            continue
        mean = round(sum(rates) / len(rates), 4)
        ranked.append({"company_id": row["company_id"], "company": row["company"],
                       "tickets": row["tickets"], "score": mean,
                       **{k: row[k] for k in THREE_RATES}})
    ranked.sort(key=lambda r: (-r["score"], r["company_id"]))
    red = [r for r in ranked if r["score"] >= settings.red_min
           and all(r[k] is None or r[k] >= settings.black_max for k in THREE_RATES)]
    red = red[:settings.list_size]
    black = [r for r in reversed(ranked) if r not in red and (
        r["score"] < settings.black_max
        or any(r[k] is not None and r[k] < settings.black_max for k in THREE_RATES))]
    return {"district": scope.district, "street": scope.street, "month": month,
            "red": red, "black": black[:settings.list_size]}


def half_year_grades(
    uow: UnitOfWork, scope: RegulatorScope, half: str, now: datetime,
    settings: SupervisionSettings, tz: ZoneInfo,
) -> dict[str, object]:
    """`{"half", "weights", "companies": [{"company", "score", "grade", "breakdown"}]}`."""
    months = metrics.months_of_half(half)
    start, _ = metrics.month_bounds(months[0], tz)
    _, end = metrics.month_bounds(months[-1], tz)
    found = metrics.quality_over(uow, communities(uow, scope), months, start, end, now, settings)
    companies = []
    for row in found["companies"]:
        values = indicator_values(uow, row, start.date(), end.date())
        score, breakdown = composite(values, settings.grade_weights)
        companies.append({"company_id": row["company_id"], "company": row["company"],
                          "score": score, "grade": band(score, settings.grade_bands),
                          "breakdown": breakdown})
    return {"half": half, "weights": dict(settings.grade_weights), "companies": companies}


def indicator_values(uow: UnitOfWork, row: dict, first_day: object, end_day: object) -> dict[str, float | None]:
    """Every indicator of one company from its figures and its rectification record."""
    notices = [n for n in uow.supervision.rectifications([row["company_id"]])
               if first_day <= n.issued_on < end_day]
    on_time = sum(1 for n in notices if n.overdue_at is None)
    late, reopened = row["late_share"], row["reopen_rate"]
    return {
        "response_rate": row["response_rate"],
        "resolution_rate": row["resolution_rate"],
        "satisfaction_rate": row["satisfaction_rate"],
        "bill_collection_rate": row.get("bill_collection_rate"),
        "rectification_on_time_rate": metrics.rate(on_time, len(notices)),
        "on_time_share": None if late is None else round(1 - late, 4),
        "not_reopened_rate": None if reopened is None else round(1 - reopened, 4),
    }


def composite(
    values: dict[str, float | None], weights: dict[str, float]
) -> tuple[float | None, list[dict[str, object]]]:
    """Weighted mean over the indicators that have a value; the breakdown of each."""
    present = {k: w for k, w in weights.items() if values.get(k) is not None and w > 0}
    total = sum(present.values())
    breakdown = []
    for name, weight in weights.items():
        value = values.get(name)
        share = weight / total if name in present and total else 0.0
        breakdown.append({"indicator": name, "value": value, "weight": weight,
                          "effective_weight": round(share, 4),
                          "contribution": round(share * value, 4) if value is not None and share else 0.0})
    if not total:
        return None, breakdown
    return round(sum(values[k] * w for k, w in present.items()) / total, 4), breakdown  # type: ignore[operator]


def band(score: float | None, bands: dict[str, float]) -> str | None:
    """A–D from the floors of A, B and C; None when there is nothing to grade."""
    if score is None:
        return None
    for letter in ("A", "B", "C"):
        if score >= bands[letter]:
            return letter
    return "D"
