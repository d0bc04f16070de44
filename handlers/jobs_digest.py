"""`daily_digest`: each company's managers get the morning picture, once a day.

Open tickets (and how many are late), yesterday's new tickets and ratings, today's notices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import handlers.texts.jobs  # noqa: F401 - registers the texts used here
import handlers.texts.notices  # noqa: F401 - notice kind names
from handlers import notify
from handlers.deps import Deps
from handlers.jobs_common import JobReport, day_bounds, local_day
from handlers.texts import t
from storage.models import Company, Notice
from storage.repositories.jobs import JobQueries
from storage.uow import UnitOfWork

NAME = "daily_digest"
LATE_LISTED = 5  # ticket numbers named in the "late" line


@dataclass(frozen=True)
class Digest:
    """What one company's managers read this morning."""

    company: str
    day: date
    open: int
    late: tuple[str, ...]
    created_yesterday: int
    ratings: tuple[int, ...]
    notices: tuple[tuple[str, Notice], ...]  # (community name, notice)


def daily_digest(deps: Deps, now: datetime) -> JobReport:
    """Queue today's digest to every manager account of every active company."""
    tz = deps.settings.timezone
    today = local_day(now, tz)
    queued = considered = 0
    with deps.uow() as uow:
        queries = JobQueries(uow.session)
        for company in queries.active_companies():
            managers = uow.org.staff_by_role(company.id, "manager")
            identities = [i for m in managers for i in uow.identities.for_staff(m.id)]
            if not identities:
                continue
            considered += 1
            digest = gather(uow, queries, company, now, tz)
            for identity in identities:
                msg = notify.push(
                    uow, identity, "digest", digest_text(digest, identity.locale or "zh", tz),
                    dedupe_key=f"digest:{identity.id}:{today.isoformat()}", now=now,
                )
                queued += msg is not None
        uow.commit()
    return JobReport(NAME, now, queued=queued, considered=considered)


def gather(
    uow: UnitOfWork, queries: JobQueries, company: Company, now: datetime, tz: ZoneInfo
) -> Digest:
    """Count and list what the digest says about one company."""
    today = local_day(now, tz)
    start, end = day_bounds(today, tz)
    yesterday = start - timedelta(days=1)
    communities = queries.community_ids_of(company.id)
    names = {c: getattr(uow.org.community(c), "name", "") for c in communities}
    late = queries.past_due_open(now, communities)
    return Digest(
        company=company.name,
        day=today,
        open=queries.open_count(communities),
        late=tuple(ticket.number for ticket in late),
        created_yesterday=queries.created_count(communities, yesterday, start),
        ratings=tuple(queries.ratings_between(communities, yesterday, start)),
        notices=tuple(
            (names.get(n.community_id, ""), n)
            for n in queries.notices_overlapping(communities, start, end, now)
        ),
    )


def digest_text(digest: Digest, locale: str, tz: ZoneInfo) -> str:
    """The digest as one message in the manager's language."""
    day = f"{digest.day.month}月{digest.day.day}日" if locale != "en" else digest.day.isoformat()
    lines = [
        t("job_digest_head", locale, date=day, company=digest.company),
        t("job_digest_open", locale, open=digest.open, overdue=len(digest.late)),
    ]
    if digest.late:
        sep = ", " if locale == "en" else "、"
        numbers = sep.join(digest.late[:LATE_LISTED]) + ("…" if len(digest.late) > LATE_LISTED else "")
        lines.append(t("job_digest_overdue_list", locale, numbers=numbers))
    average = ""
    if digest.ratings:
        mean = Decimal(sum(digest.ratings)) / len(digest.ratings)
        average = t("job_digest_average", locale,
                    average=mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    lines.append(t("job_digest_yesterday", locale, created=digest.created_yesterday,
                   rated=len(digest.ratings), average=average))
    if not digest.notices:
        lines.append(t("job_digest_no_notices", locale))
        return "\n".join(lines)
    lines.append(t("job_digest_notices", locale))
    for community, notice in digest.notices:
        start = notify.local_time(notice.starts_at, locale, tz)
        window = f"{start} – {notify.local_time(notice.ends_at, locale, tz)}" if notice.ends_at else start
        lines.append(t("job_digest_notice_line", locale, community=community, title=notice.title,
                       kind=t(f"notice_kind_{notice.kind}", locale), window=window))
    return "\n".join(lines)
