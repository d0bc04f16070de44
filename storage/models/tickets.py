"""Tickets (repairs, complaints, suggestions, fee questions, handoffs) and their timeline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import AwareDateTime, Base

TICKET_KINDS = ("repair", "complaint", "suggestion", "fee_question", "handoff")
TICKET_STATUSES = ("new", "assigned", "in_progress", "resolved", "closed", "cancelled")
OPEN_STATUSES = ("new", "assigned", "in_progress")


class Ticket(Base):
    __tablename__ = "ticket"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # R20261127001
    kind: Mapped[str] = mapped_column(String(20), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    home_id: Mapped[int | None] = mapped_column(ForeignKey("home.id"), nullable=True, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"), nullable=True, index=True)
    reporter_identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("channel_identity.id"), nullable=True
    )
    category: Mapped[str] = mapped_column(String(30), default="")  # plumbing/electrical/elevator/…
    location: Mapped[str] = mapped_column(String(10), default="home")  # home/public
    location_detail: Mapped[str] = mapped_column(String(200), default="")
    # Where an emergency is: the building (and unit) even when it is in a public area.
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"), nullable=True)
    unit: Mapped[str] = mapped_column(String(20), default="", server_default="")
    urgency: Mapped[str] = mapped_column(String(10), default="normal")  # emergency/high/normal/low
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="new", index=True)
    assignee_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    sla_due_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rating_comment: Mapped[str] = mapped_column(String(500), default="")
    urge_count: Mapped[int] = mapped_column(Integer, default=0)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    # Where it came from: "owner" (chat, desk) or "hotline" (a 12345 ticket staff entered);
    # the regulator's figures show hotline tickets apart (issue 13).
    source: Mapped[str] = mapped_column(String(20), default="owner", server_default="owner")
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(back_populates="ticket")


class TicketEvent(Base):
    """One step of a ticket's timeline; actor is `owner:ID`, `staff:ID` or `system`."""

    __tablename__ = "ticket_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    kind: Mapped[str] = mapped_column(String(20))  # created/assigned/accepted/…/rated/reopened
    actor: Mapped[str] = mapped_column(String(40))
    status_after: Mapped[str] = mapped_column(String(12), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    ticket: Mapped[Ticket] = relationship(back_populates="events")


class Attachment(Base):
    """A photo/video/location an owner or staff sent; kept even before its ticket exists."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True, index=True)
    identity_id: Mapped[int | None] = mapped_column(ForeignKey("channel_identity.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(12))  # photo/video/voice/location/file
    ref: Mapped[str] = mapped_column(String(500))  # stored file path, URL, or "lat,lon"
    content_type: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    ticket: Mapped[Ticket | None] = relationship(back_populates="attachments")


class TicketCounter(Base):
    """Daily ticket number sequences: `R20261127` → the last sequence number handed out.

    Why a row per prefix and day: an `UPDATE … RETURNING` on it serialises concurrent
    creators on PostgreSQL without savepoints, so two tickets never share a number.
    """

    __tablename__ = "ticket_counter"
    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
