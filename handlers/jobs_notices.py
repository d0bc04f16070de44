"""`notice_reminders`: each notice reaches the homes in its scope at three moments, once each.

- `published`: a broadcast pushes a notice when it is published; this catches notices that
  were published without one (imports, admin tools), up to `notice_catch_up` late;
- `before_start`: `notice_before_start` before it starts, unless it was published inside
  that window (the published push already said it);
- `restored`: once `restored_at` is set (water/power back), up to `notice_catch_up` late.

Every push carries `notify.notice_dedupe_key(notice, stage, account)`. When a stage has
been handled for everybody, a marker in the key-value store lets later runs skip it without
looking at the recipients again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import handlers.texts.jobs  # noqa: F401 - registers the texts used here
import handlers.texts.notices  # noqa: F401 - notice kind names
from handlers import notify
from handlers.deps import Deps
from handlers.jobs_common import CHUNK, JobReport, JobSettings
from handlers.texts import t
from storage.models import Notice
from storage.repositories.jobs import JobQueries
from storage.uow import UnitOfWork

NAME = "notice_reminders"
STAGES = ("published", "before_start", "restored")


def notice_reminders(deps: Deps, now: datetime) -> JobReport:
    """Push the notices whose publish, before-start or restored moment has come."""
    settings = deps.settings.jobs
    with deps.uow() as uow:
        notices = JobQueries(uow.session).notices_to_remind(
            now, now - settings.notice_catch_up, now + settings.notice_before_start
        )
        due = [(n.id, stage) for n in notices for stage in stages_due(n, now, settings)]
    queued = considered = 0
    for notice_id, stage in due:
        marker = f"job:notice:{notice_id}:{stage}"
        if deps.state.get(marker) is not None:
            continue
        q, c = push_stage(deps, notice_id, stage, now)
        queued, considered = queued + q, considered + c
        # Only after the pushes committed: a crash before this line just redoes the stage.
        deps.state.set(marker, {"at": now.isoformat(), "queued": q}, settings.marker_ttl_seconds)
    return JobReport(NAME, now, queued=queued, considered=considered)


def stages_due(notice: Notice, now: datetime, settings: JobSettings) -> list[str]:
    """Which of the notice's moments are due at `now` (and not yet too old)."""
    since = now - settings.notice_catch_up
    stages = []
    if notice.restored_at is not None:
        if since <= notice.restored_at <= now:
            stages.append("restored")
        return stages
    still_relevant = notice.ends_at is None or notice.ends_at > now
    if notice.published_at >= since and still_relevant:
        stages.append("published")
    remind_at = notice.starts_at - settings.notice_before_start
    if remind_at <= now < notice.starts_at and notice.published_at < remind_at:
        stages.append("before_start")
    return stages


def push_stage(deps: Deps, notice_id: int, stage: str, now: datetime) -> tuple[int, int]:
    """Queue one stage of a notice to every account in scope; (queued, recipients)."""
    with deps.uow() as uow:
        queries = JobQueries(uow.session)
        notice = queries.notice(notice_id)
        ids = queries.notice_recipient_ids(notice) if notice is not None else []
        keys = {i: notify.notice_dedupe_key(notice_id, stage, i) for i in ids}
        done = queries.existing_dedupe_keys(keys.values())
    todo = [i for i in ids if keys[i] not in done]
    queued = 0
    for start in range(0, len(todo), CHUNK):
        with deps.uow() as uow:
            queued += _push_chunk(deps, uow, notice_id, stage, todo[start : start + CHUNK], now)
            uow.commit()
    return queued, len(ids)


def _push_chunk(
    deps: Deps, uow: UnitOfWork, notice_id: int, stage: str, ids: Sequence[int], now: datetime
) -> int:
    queries = JobQueries(uow.session)
    notice = queries.notice(notice_id)
    if notice is None:
        return 0
    safety = notice.kind in deps.settings.jobs.always_on_notice_kinds
    queued = 0
    for identity in queries.identities_by_ids(ids):
        text = notice_text(notice, stage, identity.locale or "zh", deps.settings.timezone)
        msg = notify.push(
            uow, identity, "notice", text,
            dedupe_key=notify.notice_dedupe_key(notice_id, stage, identity.id), now=now,
            safety=safety,
        )
        queued += msg is not None
    return queued


def notice_text(notice: Notice, stage: str, locale: str, tz: ZoneInfo) -> str:
    """The push for one stage of a notice, in the account's language."""
    kind = t(f"notice_kind_{notice.kind}", locale)
    start = notify.local_time(notice.starts_at, locale, tz)
    window = f"{start} – {notify.local_time(notice.ends_at, locale, tz)}" if notice.ends_at else start
    body = notice.body.strip()
    if stage == "restored":
        at = notify.local_time(notice.restored_at, locale, tz)
        return t("job_notice_restored", locale, title=notice.title, at=at)
    key = "job_notice_before_start" if stage == "before_start" else "job_notice_published"
    return t(key, locale, kind=kind, title=notice.title, window=window, start=start, body=body).rstrip()
