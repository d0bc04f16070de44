"""Who a broadcast reaches: the chat accounts of the people living in a community or building.

Read in pages by identity id (keyset), as plain tuples: a 100,000-recipient notice never
loads 100,000 ORM objects.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from storage.models import Building, ChannelIdentity, Home, HomeMember


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


def _where(stmt: Select[Any], scope: Scope) -> Select[Any]:
    stmt = (
        stmt.join(HomeMember, HomeMember.owner_id == ChannelIdentity.owner_id)
        .join(Home, Home.id == HomeMember.home_id)
        .join(Building, Building.id == Home.building_id)
        .where(
            Building.community_id == scope.community_id,
            ChannelIdentity.reachable.is_(True),
            ChannelIdentity.verified.is_(True),
        )
    )
    if scope.building_id is not None:
        stmt = stmt.where(Building.id == scope.building_id)
    if not scope.include_opted_out:
        stmt = stmt.where(ChannelIdentity.notify_notices.is_(True))
    if scope.skip_channels:
        stmt = stmt.where(ChannelIdentity.channel.not_in(list(scope.skip_channels)))
    return stmt


def count(session: Session, scope: Scope) -> int:
    """How many distinct chat accounts the scope reaches."""
    stmt = _where(select(func.count(distinct(ChannelIdentity.id))).select_from(ChannelIdentity), scope)
    return int(session.scalar(stmt) or 0)


def page(session: Session, scope: Scope, after_id: int, limit: int) -> list[Recipient]:
    """The next `limit` recipients with identity id above `after_id`, in id order."""
    stmt = _where(
        select(ChannelIdentity.id, ChannelIdentity.channel, ChannelIdentity.locale), scope
    ).where(ChannelIdentity.id > after_id)
    stmt = stmt.distinct().order_by(ChannelIdentity.id).limit(limit)
    return [Recipient(r.id, r.channel, r.locale or "zh") for r in session.execute(stmt)]


def building(session: Session, community_id: int, name: str) -> Building | None:
    """A building of the community by its stored name ("3")."""
    stmt = select(Building).where(Building.community_id == community_id, Building.name == name)
    return session.scalars(stmt).one_or_none()
