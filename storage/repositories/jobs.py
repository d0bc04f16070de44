"""Read-side queries of the clock-driven jobs (reminders, notices, escalations, digest).

Built on the unit of work's session (`JobQueries(uow.session)`); like every repository it
never commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from storage.models import (
    OPEN_STATUSES,
    Bill,
    Building,
    ChannelIdentity,
    Community,
    Company,
    Home,
    HomeMember,
    Notice,
    OutboxMessage,
    Ticket,
    TicketEvent,
)

IN_CHUNK = 500  # bound parameters per IN (…) list, well under every driver's limit


class JobQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- bills --------------------------------------------------------------------------

    def unpaid_bills_of_owners(
        self, due_on: Collection[date], due_before: date | None
    ) -> list[tuple[int, Bill]]:
        """(owner id, bill) for unpaid bills due on one of `due_on` or before `due_before`.

        Only members with the role `owner` are reminded: the bill is theirs to pay.
        """
        due = [Bill.due_date.in_(list(due_on))] if due_on else []
        if due_before is not None:
            due.append(Bill.due_date < due_before)
        if not due:
            return []
        stmt = (
            select(HomeMember.owner_id, Bill)
            .join(HomeMember, HomeMember.home_id == Bill.home_id)
            .where(Bill.status == "unpaid", HomeMember.role == "owner", or_(*due))
            .order_by(HomeMember.owner_id, Bill.home_id, Bill.due_date, Bill.item, Bill.id)
        )
        return [(int(owner_id), bill) for owner_id, bill in self.session.execute(stmt)]

    # -- notices ------------------------------------------------------------------------

    def notices_to_remind(self, now: datetime, since: datetime, until: datetime) -> list[Notice]:
        """Published notices published or restored since `since`, or starting before `until`."""
        stmt = select(Notice).where(
            Notice.published_at <= now,
            or_(
                Notice.published_at >= since,
                Notice.restored_at >= since,
                and_(Notice.starts_at > now, Notice.starts_at <= until),
            ),
        )
        return list(self.session.scalars(stmt.order_by(Notice.id)))

    def notice(self, notice_id: int) -> Notice | None:
        """One notice by id."""
        return self.session.get(Notice, notice_id)

    def identities_by_ids(self, ids: Sequence[int]) -> list[ChannelIdentity]:
        """Chat accounts by id, in id order (loaded in chunks)."""
        wanted, found = list(ids), []
        for i in range(0, len(wanted), IN_CHUNK):
            stmt = select(ChannelIdentity).where(ChannelIdentity.id.in_(wanted[i : i + IN_CHUNK]))
            found += list(self.session.scalars(stmt))
        return sorted(found, key=lambda identity: identity.id)

    def notice_recipient_ids(self, notice: Notice) -> list[int]:
        """Verified chat accounts of everybody living in the homes the notice reaches."""
        homes = select(Home.id).join(Building, Building.id == Home.building_id).where(
            Building.community_id == notice.community_id
        )
        if notice.scope == "building":
            homes = homes.where(Home.building_id == notice.building_id)
        elif notice.scope == "home":
            homes = homes.where(Home.id == notice.home_id)
        members = select(HomeMember.owner_id).where(HomeMember.home_id.in_(homes))
        stmt = select(ChannelIdentity.id).where(
            ChannelIdentity.owner_id.in_(members), ChannelIdentity.verified.is_(True)
        )
        return [int(i) for i in self.session.scalars(stmt.order_by(ChannelIdentity.id))]

    def existing_dedupe_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` already name an outbox row (checked in chunks, not one by one)."""
        wanted, found = list(keys), set()
        for i in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[i : i + IN_CHUNK]
            stmt = select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(chunk))
            found.update(k for k in self.session.scalars(stmt) if k)
        return found

    def notices_overlapping(
        self, community_ids: Sequence[int], start: datetime, end: datetime, now: datetime
    ) -> list[Notice]:
        """Published notices of these communities under way at some point in [start, end)."""
        if not community_ids:
            return []
        stmt = select(Notice).where(
            Notice.community_id.in_(community_ids),
            Notice.published_at <= now,
            Notice.starts_at < end,
            or_(Notice.ends_at >= start, and_(Notice.ends_at.is_(None), Notice.starts_at >= start)),
        )
        return list(self.session.scalars(stmt.order_by(Notice.starts_at, Notice.id)))

    # -- tickets ------------------------------------------------------------------------

    def unassigned_open(self, created_before: datetime) -> list[Ticket]:
        """Open tickets nobody holds, opened before `created_before`."""
        stmt = select(Ticket).where(
            Ticket.status.in_(OPEN_STATUSES),
            Ticket.assignee_staff_id.is_(None),
            Ticket.created_at < created_before,
        )
        return list(self.session.scalars(stmt.order_by(Ticket.id)))

    def past_due_open(self, now: datetime, community_ids: Sequence[int] | None = None) -> list[Ticket]:
        """Open tickets whose SLA deadline has passed (optionally in some communities)."""
        stmt = select(Ticket).where(Ticket.status.in_(OPEN_STATUSES), Ticket.sla_due_at < now)
        if community_ids is not None:
            stmt = stmt.where(Ticket.community_id.in_(community_ids))
        return list(self.session.scalars(stmt.order_by(Ticket.sla_due_at, Ticket.id)))

    def escalation_levels(self, ticket_id: int) -> set[str]:
        """The escalation levels (event notes) recorded since the ticket was last reopened."""
        reopened = select(func.max(TicketEvent.id)).where(
            TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "reopened"
        ).scalar_subquery()
        stmt = select(TicketEvent.note).where(
            TicketEvent.ticket_id == ticket_id,
            TicketEvent.kind == "escalated",
            TicketEvent.id > func.coalesce(reopened, 0),
        )
        return set(self.session.scalars(stmt))

    def resolved_unrated(self, resolved_after: datetime, resolved_before: datetime) -> list[Ticket]:
        """Resolved tickets without a rating, resolved in [after, before]."""
        stmt = select(Ticket).where(
            Ticket.status == "resolved",
            Ticket.rating.is_(None),
            Ticket.owner_id.is_not(None),
            Ticket.resolved_at >= resolved_after,
            Ticket.resolved_at <= resolved_before,
        )
        return list(self.session.scalars(stmt.order_by(Ticket.resolved_at, Ticket.id)))

    def open_count(self, community_ids: Sequence[int]) -> int:
        """How many tickets are still open in these communities."""
        if not community_ids:
            return 0
        stmt = select(func.count(Ticket.id)).where(
            Ticket.community_id.in_(community_ids), Ticket.status.in_(OPEN_STATUSES)
        )
        return int(self.session.scalar(stmt) or 0)

    def created_count(self, community_ids: Sequence[int], start: datetime, end: datetime) -> int:
        """How many tickets were opened in these communities in [start, end)."""
        if not community_ids:
            return 0
        stmt = select(func.count(Ticket.id)).where(
            Ticket.community_id.in_(community_ids),
            Ticket.created_at >= start,
            Ticket.created_at < end,
        )
        return int(self.session.scalar(stmt) or 0)

    def ratings_between(
        self, community_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[int]:
        """The ratings owners gave in [start, end) to tickets of these communities."""
        if not community_ids:
            return []
        stmt = (
            select(Ticket.rating)
            .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
            .where(
                Ticket.community_id.in_(community_ids),
                TicketEvent.kind == "rated",
                TicketEvent.at >= start,
                TicketEvent.at < end,
                Ticket.rating.is_not(None),
            )
        )
        return [int(r) for r in self.session.scalars(stmt)]

    # -- companies ----------------------------------------------------------------------

    def active_companies(self) -> list[Company]:
        """Companies in business, by id."""
        stmt = select(Company).where(Company.status == "active").order_by(Company.id)
        return list(self.session.scalars(stmt))

    def community_ids_of(self, company_id: int) -> list[int]:
        """The communities a company serves."""
        stmt = select(Community.id).where(Community.company_id == company_id)
        return [int(i) for i in self.session.scalars(stmt.order_by(Community.id))]
