"""Repository for owners' safety: binding requests, household codes, incident reporters, spool replays."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import (
    OPEN_STATUSES,
    BindingRequest,
    InviteCode,
    SpooledReport,
    Ticket,
    TicketReporter,
)


class SafetyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- binding requests ---------------------------------------------------------------

    def add_request(self, request: BindingRequest) -> BindingRequest:
        """Store a new binding request."""
        self.session.add(request)
        self.session.flush()
        return request

    def request(self, request_id: int, for_update: bool = False) -> BindingRequest | None:
        """One binding request by id (locked when it is about to be decided)."""
        stmt = select(BindingRequest).where(BindingRequest.id == request_id)
        if for_update:
            stmt = stmt.with_for_update()
        return self.session.scalars(stmt).one_or_none()

    def requests(self, status: str | None = "pending", limit: int = 100) -> list[BindingRequest]:
        """Binding requests, oldest first; all statuses when `status` is None."""
        stmt = select(BindingRequest)
        if status:
            stmt = stmt.where(BindingRequest.status == status)
        return list(self.session.scalars(stmt.order_by(BindingRequest.id).limit(limit)))

    def pending_of_identity(self, identity_id: int) -> list[BindingRequest]:
        """The chat account's requests still waiting for the office."""
        stmt = select(BindingRequest).where(
            BindingRequest.identity_id == identity_id, BindingRequest.status == "pending"
        )
        return list(self.session.scalars(stmt.order_by(BindingRequest.id)))

    def requests_since(self, identity_id: int, since: datetime) -> int:
        """How many requests the account made since `since` (against guessing by request)."""
        stmt = select(BindingRequest.id).where(
            BindingRequest.identity_id == identity_id, BindingRequest.created_at >= since
        )
        return len(list(self.session.scalars(stmt)))

    # -- household codes ----------------------------------------------------------------

    def member_codes(self, home_id: int, now: datetime) -> list[InviteCode]:
        """Unused, unexpired family/tenant codes of one home."""
        stmt = select(InviteCode).where(
            InviteCode.home_id == home_id,
            InviteCode.role.in_(("resident", "tenant")),
            InviteCode.used_at.is_(None),
            InviteCode.expires_at > now,
        )
        return list(self.session.scalars(stmt.order_by(InviteCode.id)))

    def code_used_by(self, identity_ids: list[int], home_id: int) -> InviteCode | None:
        """The household code one of these chat accounts joined `home_id` with, if any."""
        if not identity_ids:
            return None
        stmt = select(InviteCode).where(
            InviteCode.used_by_identity_id.in_(identity_ids), InviteCode.home_id == home_id
        )
        return self.session.scalars(stmt.order_by(InviteCode.id.desc())).first()

    # -- incidents ----------------------------------------------------------------------

    def open_emergencies(self, community_id: int, since: datetime) -> list[Ticket]:
        """Open emergency tickets of a community created since `since`, newest first."""
        stmt = select(Ticket).where(
            Ticket.community_id == community_id,
            Ticket.urgency == "emergency",
            Ticket.status.in_(OPEN_STATUSES),
            Ticket.created_at >= since,
        )
        return list(self.session.scalars(stmt.order_by(Ticket.id.desc())))

    def reporters(self, ticket_id: int) -> list[TicketReporter]:
        """The further reporters linked to an incident's ticket."""
        stmt = select(TicketReporter).where(TicketReporter.ticket_id == ticket_id)
        return list(self.session.scalars(stmt.order_by(TicketReporter.id)))

    def link_reporter(self, ticket_id: int, identity_id: int, now: datetime) -> bool:
        """Link one more reporter; False when they were linked already."""
        stmt = select(TicketReporter).where(
            TicketReporter.ticket_id == ticket_id, TicketReporter.identity_id == identity_id
        )
        if self.session.scalars(stmt).first() is not None:
            return False
        self.session.add(TicketReporter(ticket_id=ticket_id, identity_id=identity_id, created_at=now))
        self.session.flush()
        return True

    # -- spool replays ------------------------------------------------------------------

    def spooled(self, spool_id: str) -> SpooledReport | None:
        """The replay record of one spool file, or None when it was never replayed."""
        return self.session.get(SpooledReport, spool_id)

    def mark_spooled(self, spool_id: str, ticket_id: int | None, now: datetime) -> None:
        """Record that the spool file `spool_id` has become a ticket (or an audit line)."""
        self.session.add(SpooledReport(id=spool_id, ticket_id=ticket_id, replayed_at=now))
        self.session.flush()
