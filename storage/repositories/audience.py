"""Who a broadcast reaches, and queueing it: set-based SQL, never one ORM object per person.

Recipients are the chat accounts of the people living in a community or one building: the
owner ids in scope first (one indexed join), then their accounts in chunks. Queueing is
`INSERT … SELECT` over a chunk of account ids, with the payload chosen by the account's
language and the dedupe key built in SQL, skipping keys that exist (a re-run adds nobody).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, case, cast, literal, select
from sqlalchemy.orm import Session

from storage.models import Building, ChannelIdentity, Home, HomeMember, OutboxMessage
from storage.models.base import AwareDateTime

OWNERS_PER_QUERY = 5000  # bound parameters per IN (SQLite allows 32,766)


@dataclass(frozen=True)
class Scope:
    """A community, optionally narrowed to one building, and which accounts count."""

    community_id: int
    building_id: int | None = None
    include_opted_out: bool = False  # safety notices that are always on
    skip_channels: Collection[str] = ("terminal",)  # channels that take no pushes


@dataclass(frozen=True)
class Recipient:
    identity_id: int
    channel: str
    locale: str


def owners(session: Session, scope: Scope) -> list[int]:
    """The distinct owners and residents of the homes in scope."""
    stmt = (
        select(HomeMember.owner_id).distinct()
        .join(Home, Home.id == HomeMember.home_id)
        .join(Building, Building.id == Home.building_id)
        .where(Building.community_id == scope.community_id)
    )
    if scope.building_id is not None:
        stmt = stmt.where(Building.id == scope.building_id)
    return list(session.scalars(stmt))


def recipients(session: Session, scope: Scope) -> list[Recipient]:
    """Every reachable, verified account of those people (once each), by identity id."""
    found: list[Recipient] = []
    people = owners(session, scope)
    ci = ChannelIdentity
    for start in range(0, len(people), OWNERS_PER_QUERY):
        stmt = select(ci.id, ci.channel, ci.locale).where(
            ci.owner_id.in_(people[start:start + OWNERS_PER_QUERY]),
            ci.reachable.is_(True), ci.verified.is_(True),
        )
        if not scope.include_opted_out:
            stmt = stmt.where(ci.notify_notices.is_(True))
        if scope.skip_channels:
            stmt = stmt.where(ci.channel.not_in(list(scope.skip_channels)))
        found += [Recipient(r.id, r.channel, r.locale or "zh") for r in session.execute(stmt)]
    return sorted(found, key=lambda r: r.identity_id)


def queue_copies(
    session: Session, identity_ids: Sequence[int], kind: str, payloads: Mapping[str, str],
    default_locale: str, key_prefix: str, now: datetime,
) -> int:
    """One pending push per account: payload by locale, dedupe key `key_prefix + id`.

    Accounts whose key is already queued are skipped; returns how many rows are new.
    """
    if not identity_ids:
        return 0
    ci, table = ChannelIdentity.__table__.c, OutboxMessage.__table__
    payload = case(
        *((ci.locale == locale, literal(text)) for locale, text in payloads.items()
          if locale != default_locale),
        else_=literal(payloads[default_locale]),
    ) if len(payloads) > 1 else literal(payloads[default_locale])
    when = literal(now, AwareDateTime())
    rows = select(
        ci.id, ci.channel, literal(kind), payload, literal(key_prefix) + cast(ci.id, String),
        literal("pending"), literal(0), when, literal(""), when, literal(""),
    ).where(ci.id.in_(list(identity_ids)))
    columns = ["identity_id", "channel", "kind", "payload", "dedupe_key", "status", "attempts",
               "next_attempt_at", "claimed_by", "created_at", "last_error"]
    stmt = (
        _insert(session, table).from_select(columns, rows)
        .on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.id)
    )
    # Counted from RETURNING: rowcount is -1 for INSERT … SELECT on some drivers.
    return len(session.execute(stmt).all())


def _insert(session: Session, table: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    return insert(table)


def building(session: Session, community_id: int, name: str) -> Building | None:
    """A building of the community by its stored name ("3")."""
    stmt = select(Building).where(Building.community_id == community_id, Building.name == name)
    return session.scalars(stmt).one_or_none()
