"""Repository for notices, FAQ, policies."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from storage.models import FaqEntry, Notice, Policy


class ContentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- FAQ and policies ---------------------------------------------------------------

    def faq_entries(self, community_id: int | None = None) -> list[FaqEntry]:
        """FAQ entries for everyone plus (when given) those of one community."""
        cond = FaqEntry.community_id.is_(None)
        if community_id is not None:
            cond = or_(cond, FaqEntry.community_id == community_id)
        return list(self.session.scalars(select(FaqEntry).where(cond).order_by(FaqEntry.id)))

    def policies(self, topic: str | None = None) -> list[Policy]:
        """Published policies, newest first, optionally of one topic."""
        stmt = select(Policy)
        if topic:
            stmt = stmt.where(Policy.topic == topic)
        return list(self.session.scalars(stmt.order_by(Policy.published_on.desc(), Policy.id.desc())))

    # -- notices ------------------------------------------------------------------------

    def notices_for_home(
        self,
        community_id: int,
        building_id: int,
        home_id: int,
        now: datetime,
        lookback_hours: int = 12,
        limit: int = 10,
    ) -> list[Notice]:
        """Published notices reaching one home (its community, building, or itself) that are
        upcoming, under way, or ended/restored within `lookback_hours`; soonest first."""
        recent = now - timedelta(hours=lookback_hours)
        scope = or_(
            Notice.scope == "community",
            and_(Notice.scope == "building", Notice.building_id == building_id),
            and_(Notice.scope == "home", Notice.home_id == home_id),
        )
        live = or_(
            Notice.starts_at >= now,
            Notice.ends_at >= recent,
            Notice.restored_at >= recent,
            and_(Notice.ends_at.is_(None), Notice.starts_at >= now - timedelta(days=3)),
        )
        stmt = (
            select(Notice)
            .where(Notice.community_id == community_id, Notice.published_at <= now, scope, live)
            .order_by(Notice.starts_at, Notice.id)
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

