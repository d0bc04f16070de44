"""Who a broadcast reaches, and queueing it: set-based SQL, never one ORM object per person.

Recipients are the reachable, verified chat accounts of the people (owners, residents)
living in a community or one building: a semi-join, no parameter lists. Queueing is one
`INSERT … SELECT` per range of account ids, with the payload chosen by the account's
language and the dedupe key built in SQL, skipping keys already queued (a re-run adds
nobody).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, case, cast, literal, select
from sqlalchemy.orm import Session

from storage.models import Building, ChannelIdentity, Home, HomeMember, OutboxMessage
from storage.models.base import AwareDateTime

CI = ChannelIdentity.__table__.c
OUTBOX = OutboxMessage.__table__
COLUMNS = ["identity_id", "channel", "kind", "payload", "dedupe_key", "status", "attempts",
           "next_attempt_at", "claimed_by", "created_at", "last_error"]


@dataclass(frozen=True)
class Scope:
    """A community, optionally narrowed to one building, and which accounts count."""

    community_id: int
    building_id: int | None = None
    include_opted_out: bool = False  # safety notices that are always on
    skip_channels: Collection[str] = ("terminal",)  # channels that take no pushes


def _people(scope: Scope) -> Select[Any]:
    stmt = (
        select(HomeMember.owner_id)
        .join(Home, Home.id == HomeMember.home_id)
        .join(Building, Building.id == Home.building_id)
        .where(Building.community_id == scope.community_id)
    )
    return stmt.where(Building.id == scope.building_id) if scope.building_id is not None else stmt


def _accounts(stmt: Select[Any], scope: Scope) -> Select[Any]:
    stmt = stmt.where(
        CI.owner_id.in_(_people(scope)), CI.reachable.is_(True), CI.verified.is_(True)
    )
    if not scope.include_opted_out:
        stmt = stmt.where(CI.notify_notices.is_(True))
    if scope.skip_channels:
        stmt = stmt.where(CI.channel.not_in(list(scope.skip_channels)))
    return stmt


def ids(session: Session, scope: Scope) -> list[int]:
    """The identity ids a broadcast to `scope` reaches, ascending (each account once)."""
    return list(session.scalars(_accounts(select(CI.id), scope).order_by(CI.id)))


def locales(session: Session, scope: Scope) -> set[str]:
    """The languages of those accounts (one payload is rendered per language)."""
    return {r or "zh" for r in session.scalars(_accounts(select(CI.locale).distinct(), scope))}


def queue_copies(
    session: Session, scope: Scope, first_id: int, last_id: int, kind: str,
    payloads: Mapping[str, str], default_locale: str, key_prefix: str, now: datetime,
) -> int:
    """One pending push per account of `scope` with id in [first_id, last_id].

    Payload by the account's locale (else `default_locale`'s); dedupe key `key_prefix + id`;
    accounts whose key is queued already are skipped. Returns how many rows are new.
    """
    others = [(CI.locale == loc, literal(text)) for loc, text in payloads.items() if loc != default_locale]
    fallback = literal(payloads[default_locale])
    payload = case(*others, else_=fallback) if others else fallback
    when = literal(now, AwareDateTime())
    rows = _accounts(select(
        CI.id, CI.channel, literal(kind), payload, literal(key_prefix) + cast(CI.id, String),
        literal("pending"), literal(0), when, literal(""), when, literal(""),
    ), scope).where(CI.id >= first_id, CI.id <= last_id)
    stmt = (
        _insert(session).from_select(COLUMNS, rows)
        .on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OUTBOX.c.id)
    )
    # Counted from RETURNING: rowcount is -1 for INSERT … SELECT on some drivers.
    return len(session.execute(stmt).all())


def _insert(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    return insert(OUTBOX)


def building(session: Session, community_id: int, name: str) -> Building | None:
    """A building of the community by its stored name ("3")."""
    stmt = select(Building).where(Building.community_id == community_id, Building.name == name)
    return session.scalars(stmt).one_or_none()
