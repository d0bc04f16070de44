"""Broadcast notices: publish a notice and queue one push per recipient, in one transaction.

Recipients are every reachable, verified chat account of every owner or resident of the
homes in scope, once each, honouring their `notify_notices` choice — except safety notices
(outages, lifts) when the property office made those always-on. Each push has the dedupe
key `notify.notice_dedupe_key(notice, "published", account)` — the key the
notice_reminders job uses too — so queueing a notice again (a re-run, the job's catch-up)
adds nobody twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import handlers.texts.broadcasts  # noqa: F401 - registers the texts used here
from handlers.errors import Invalid, NotFound
from handlers.notify import local_time, notice_dedupe_key
from handlers.texts import t
from storage.models import NOTICE_KINDS, SAFETY_NOTICE_KINDS, Building, Community, Notice
from storage.repositories.audience import Scope
from storage.uow import UnitOfWork

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHUNK = 10_000  # pushes inserted per statement (a range of account ids)
DEFAULT_LOCALE = "zh"
Progress = Callable[[int, int], None]  # (queued so far, total recipients)


@dataclass(frozen=True)
class Published:
    """What `publish_notice` did."""

    notice_id: int
    title: str
    scope: str
    recipients: int  # chat accounts in scope
    queued: int  # pushes added now (fewer on a re-run)


def publish_notice(
    uow: UnitOfWork, community: str | int, building: str | None, kind: str, title: str | None,
    text: str, start: datetime, end: datetime | None, now: datetime,
    progress: Progress | None = None, *, safety_always_on: bool = True,
    created_by: str = "cli", tz: ZoneInfo = SHANGHAI,
) -> Published:
    """Write the Notice and its pushes in the caller's unit of work (the caller commits)."""
    if kind not in NOTICE_KINDS:
        raise Invalid("broadcast_bad_kind", kind=kind, kinds=", ".join(NOTICE_KINDS))
    if not text.strip():
        raise Invalid("broadcast_empty_text")
    if end is not None and end < start:
        raise Invalid("broadcast_bad_window")
    community_row = _community(uow, community)
    building_row = _building(uow, community_row.id, community_row.name, building) if building else None
    scope = scope_label(community_row.name, building_row.name if building_row else None)
    head = t(f"broadcast_head_{kind}").strip("【】")
    notice = Notice(
        community_id=community_row.id, building_id=building_row.id if building_row else None,
        scope="building" if building_row else "community", kind=kind,
        title=(title or "").strip() or t("broadcast_default_title", scope=scope, kind=head),
        body=text.strip(), starts_at=start, ends_at=end, published_at=now, created_by=created_by,
    )
    uow.session.add(notice)
    uow.session.flush()
    recipients, queued = enqueue_notice(
        uow, notice, now, progress, safety_always_on=safety_always_on, tz=tz
    )
    uow.audit.record(now, created_by, "notice_published", f"notice:{notice.id}",
                     {"kind": kind, "scope": scope, "recipients": recipients, "queued": queued})
    return Published(notice.id, notice.title, scope, recipients, queued)


def enqueue_notice(
    uow: UnitOfWork, notice: Notice, now: datetime, progress: Progress | None = None, *,
    safety_always_on: bool = True, stage: str = "published", tz: ZoneInfo = SHANGHAI,
) -> tuple[int, int]:
    """Queue `notice` to everyone in its scope; (recipients, new pushes). Safe to repeat.

    `stage` names the occasion in the dedupe key (see notify.notice_dedupe_key).
    """
    scope = Scope(
        notice.community_id, notice.building_id,
        include_opted_out=safety_always_on and notice.kind in SAFETY_NOTICE_KINDS,
    )
    everyone = uow.outbox.audience_ids(scope)
    # One payload per language present, not one per recipient.
    payloads = {
        locale: notice_payload(uow, notice, locale, tz)
        for locale in uow.outbox.audience_locales(scope) | {DEFAULT_LOCALE}
    }
    prefix = _key_prefix(notice.id, stage)
    queued = 0
    if progress:
        progress(0, len(everyone))
    for start in range(0, len(everyone), CHUNK):
        chunk = everyone[start:start + CHUNK]
        queued += uow.outbox.queue_copies(
            scope, chunk[0], chunk[-1], "notice", payloads, DEFAULT_LOCALE, prefix, now
        )
        if progress:
            progress(start + len(chunk), len(everyone))
    return len(everyone), queued


def _key_prefix(notice_id: int, stage: str) -> str:
    """notify.notice_dedupe_key without its account id (the database appends each one)."""
    probe = 987654321
    key = notice_dedupe_key(notice_id, stage, probe)
    if not key.endswith(str(probe)):  # the key's shape changed: this must change with it
        raise RuntimeError(f"unexpected notice dedupe key shape: {key}")
    return key.removesuffix(str(probe))


def notice_payload(uow: UnitOfWork, notice: Notice, locale: str, tz: ZoneInfo = SHANGHAI) -> str:
    """The outbox payload (JSON) of a notice push in `locale`."""
    community = uow.org.community(notice.community_id)
    building = uow.session.get(Building, notice.building_id) if notice.building_id else None
    scope = scope_label(
        community.name if community else "", building.name if building else None, locale
    )
    text = t(
        "broadcast_push", locale, head=t(f"broadcast_head_{notice.kind}", locale),
        title=notice.title, window=window(notice.starts_at, notice.ends_at, locale, tz),
        scope=scope, body=notice.body,
    )
    return json.dumps({"text": text, "buttons": []}, ensure_ascii=False)


def window(start: datetime, end: datetime | None, locale: str, tz: ZoneInfo = SHANGHAI) -> str:
    """`11月28日 09:00–17:00`, or with the end's date when it is another day."""
    first = local_time(start, locale, tz)
    if end is None:
        return first
    if end.astimezone(tz).date() == start.astimezone(tz).date():
        return f"{first}–{end.astimezone(tz):%H:%M}"
    return f"{first} – {local_time(end, locale, tz)}"


def scope_label(community: str, building: str | None, locale: str = "zh") -> str:
    """`望京花园 3号楼` or `望京花园全体住户`."""
    if building:
        return t("broadcast_scope_building", locale, community=community, building=building)
    return t("broadcast_scope_community", locale, community=community)


def _community(uow: UnitOfWork, community: str | int) -> Community:
    found = (
        uow.org.community(community) if isinstance(community, int)
        else uow.org.community_by_name(community.strip())
    )
    if found is None:
        raise NotFound("broadcast_no_community", name=str(community))
    return found


def _building(uow: UnitOfWork, community_id: int, community: str, name: str) -> Building:
    # Operators write 3, 3号楼, 3栋 or 3幢; buildings are stored as "3".
    wanted = name.strip().removesuffix("号楼").removesuffix("栋").removesuffix("幢")
    found = uow.outbox.audience_building(community_id, wanted)
    if found is None:
        raise NotFound("broadcast_no_building", community=community, building=wanted)
    return found


def mark_restored(uow: UnitOfWork, notice_id: int, at: datetime) -> Notice:
    """Record that the service is back (water, power…); `notice_reminders` then tells the owners.

    Marking twice keeps the first time, so owners are told once.
    """
    notice = uow.session.get(Notice, notice_id)
    if notice is None:
        raise NotFound("broadcast_no_notice", id=notice_id)
    if notice.restored_at is None:
        notice.restored_at = at
        uow.audit.record(at, "cli", "notice_restored", f"notice:{notice_id}", {})
    return notice
