"""Repository for tickets, their events and attachments, numbering and routing queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import (
    OPEN_STATUSES,
    Attachment,
    Staff,
    Ticket,
    TicketCounter,
    TicketEvent,
)


class TicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- numbering ----------------------------------------------------------------------

    def next_sequence(self, key: str) -> int:
        """The next number of the daily sequence `key` (`R20261127`), safe under concurrency.

        The counter row starts at the highest number already used with that prefix, so
        tickets written by other means (seeds, imports) are never handed out twice.
        """
        table = TicketCounter.__table__
        start = self._highest_used(key)
        dialect = self.session.get_bind().dialect.name
        if dialect in ("postgresql", "sqlite"):
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            self.session.execute(
                insert(table).values(key=key, value=start).on_conflict_do_nothing(
                    index_elements=["key"]
                )
            )
        elif self.session.get(TicketCounter, key) is None:
            self.session.add(TicketCounter(key=key, value=start))
            self.session.flush()
        stmt = (
            update(table)
            .where(table.c.key == key)
            .values(value=table.c.value + 1)
            .returning(table.c.value)
        )
        return int(self.session.execute(stmt).scalar_one())

    def _highest_used(self, key: str) -> int:
        numbers = self.session.scalars(
            select(Ticket.number).where(Ticket.number.like(f"{key}%"))
        )
        tails = [n[len(key):] for n in numbers]
        return max((int(t) for t in tails if t.isdigit()), default=0)

    def number_taken(self, number: str) -> bool:
        """Whether a ticket already carries `number`."""
        stmt = select(func.count(Ticket.id)).where(Ticket.number == number)
        return bool(self.session.scalar(stmt))

    # -- tickets ------------------------------------------------------------------------

    def add(self, ticket: Ticket) -> Ticket:
        """Store a new ticket (flushed, so it has an id)."""
        self.session.add(ticket)
        self.session.flush()
        return ticket

    def get(self, ticket_id: int) -> Ticket | None:
        """One ticket by id."""
        return self.session.get(Ticket, ticket_id)

    def by_number(self, number: str, for_update: bool = False) -> Ticket | None:
        """One ticket by its number (case-insensitive), locked when about to change."""
        stmt = select(Ticket).where(Ticket.number == number.strip().upper())
        if for_update:
            stmt = stmt.with_for_update()
        return self.session.scalars(stmt).one_or_none()

    def of_owner(
        self, owner_id: int, statuses: Sequence[str] | None = None, limit: int = 5
    ) -> list[Ticket]:
        """One owner's tickets, newest first, optionally only in `statuses`."""
        stmt = select(Ticket).where(Ticket.owner_id == owner_id)
        if statuses:
            stmt = stmt.where(Ticket.status.in_(statuses))
        stmt = stmt.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit)
        return list(self.session.scalars(stmt))

    def count_created_by_owner(self, owner_id: int, since: datetime) -> int:
        """How many tickets an owner opened since `since` (the daily cap)."""
        stmt = select(func.count(Ticket.id)).where(
            Ticket.owner_id == owner_id, Ticket.created_at >= since
        )
        return int(self.session.scalar(stmt) or 0)

    def open_for_staff(self, staff_id: int, limit: int = 20) -> list[Ticket]:
        """Open tickets assigned to one staff member, most urgent deadline first."""
        stmt = (
            select(Ticket)
            .where(Ticket.assignee_staff_id == staff_id, Ticket.status.in_(OPEN_STATUSES))
            .order_by(Ticket.sla_due_at, Ticket.id)
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

    def unassigned_in(self, community_ids: Sequence[int], limit: int = 20) -> list[Ticket]:
        """Open tickets nobody holds in these communities (what a manager must place)."""
        if not community_ids:
            return []
        stmt = (
            select(Ticket)
            .where(
                Ticket.community_id.in_(community_ids),
                Ticket.assignee_staff_id.is_(None),
                Ticket.status.in_(OPEN_STATUSES),
            )
            .order_by(Ticket.sla_due_at, Ticket.id)
            .limit(limit)
        )
        return list(self.session.scalars(stmt))

    # -- routing ------------------------------------------------------------------------

    def on_duty_staff(self, company_id: int, roles: Sequence[str]) -> list[Staff]:
        """Active, on-duty staff of a company with one of `roles`, by id."""
        stmt = select(Staff).where(
            Staff.company_id == company_id,
            Staff.role.in_(roles),
            Staff.active.is_(True),
            Staff.on_duty.is_(True),
        )
        return list(self.session.scalars(stmt.order_by(Staff.id)))

    def open_load(self, staff_ids: Sequence[int]) -> dict[int, int]:
        """Open tickets held by each of `staff_ids` (missing = 0)."""
        if not staff_ids:
            return {}
        stmt = (
            select(Ticket.assignee_staff_id, func.count(Ticket.id))
            .where(Ticket.assignee_staff_id.in_(staff_ids), Ticket.status.in_(OPEN_STATUSES))
            .group_by(Ticket.assignee_staff_id)
        )
        return {int(sid): int(n) for sid, n in self.session.execute(stmt) if sid is not None}

    # -- events -------------------------------------------------------------------------

    def add_event(self, event: TicketEvent) -> TicketEvent:
        """Append one timeline step (flushed, so pushes can name it)."""
        self.session.add(event)
        self.session.flush()
        return event

    def events(self, ticket_id: int, limit: int | None = None) -> list[TicketEvent]:
        """A ticket's timeline, oldest first; with `limit`, only the last steps."""
        stmt = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
        rows = list(self.session.scalars(stmt.order_by(TicketEvent.id)))
        return rows[-limit:] if limit else rows

    def last_event(self, ticket_id: int, kind: str) -> TicketEvent | None:
        """The newest event of one kind on a ticket."""
        stmt = (
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == kind)
            .order_by(TicketEvent.id.desc())
            .limit(1)
        )
        return self.session.scalars(stmt).first()

    # -- attachments --------------------------------------------------------------------

    def add_attachment(self, attachment: Attachment) -> Attachment:
        """Store a photo, video, voice, location or file (with or without its ticket)."""
        self.session.add(attachment)
        self.session.flush()
        return attachment

    def pending_attachments(self, identity_id: int, since: datetime) -> list[Attachment]:
        """What one chat account sent since `since` that no ticket holds yet."""
        stmt = select(Attachment).where(
            Attachment.identity_id == identity_id,
            Attachment.ticket_id.is_(None),
            Attachment.created_at >= since,
        )
        return list(self.session.scalars(stmt.order_by(Attachment.id)))

    def attachments_of(self, ticket_id: int) -> list[Attachment]:
        """A ticket's attachments, in the order they came."""
        stmt = select(Attachment).where(Attachment.ticket_id == ticket_id)
        return list(self.session.scalars(stmt.order_by(Attachment.id)))
