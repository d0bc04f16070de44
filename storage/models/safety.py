"""Owners' safety (issue 7): binding requests the office decides, incident reporters, spooled reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import AwareDateTime, Base

BINDING_REQUEST_STATUSES = ("pending", "approved", "rejected")


class BindingRequest(Base):
    """A chat account asking to be bound by home + phone; the property office approves it.

    `home_id`/`owner_id` are what the register matched when the request came in (None when
    nothing matched: the owner is told the same either way, the office sees the difference).
    """

    __tablename__ = "binding_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("channel_identity.id"), index=True)
    unit_label: Mapped[str] = mapped_column(String(40))  # as the owner gave it: 3-2-501
    phone: Mapped[str] = mapped_column(String(20))
    home_id: Mapped[int | None] = mapped_column(ForeignKey("home.id"), nullable=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    decided_by: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(String(200), default="")


class TicketReporter(Base):
    """One more person who reported the same emergency: linked to the incident's ticket."""

    __tablename__ = "ticket_reporter"
    __table_args__ = (UniqueConstraint("ticket_id", "identity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("channel_identity.id"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class SpooledReport(Base):
    """A report written to the disk spool while the database was down, once replayed.

    The spool file's id is the key, so replaying twice (or from two processes) adds nothing.
    """

    __tablename__ = "spooled_report"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    replayed_at: Mapped[datetime] = mapped_column(AwareDateTime())
