"""Operational tables: audit log, the outbox, and the SQL backends of shared state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import AwareDateTime, Base


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(60))  # owner:ID / staff:ID / cli / system
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[str] = mapped_column(Text, default="")  # JSON; phone numbers masked


class OutboxMessage(Base):
    """A push to send, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox"
    # The sender looks for one-to-one pushes (kind other than a broadcast's) among the pending
    # ones before the broadcast backlog; this index makes that a short range, not a scan.
    __table_args__ = (Index("ix_outbox_status_kind_id", "status", "kind", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("channel_identity.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # reply/bill_reminder/notice/ticket_update/staff_ticket/digest
    payload: Mapped[str] = mapped_column(Text)  # JSON: {"text", "buttons", "template": {...}}
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    claimed_by: Mapped[str] = mapped_column(String(60), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")


class KeyValueEntry(Base):
    """SQL backend of the shared-state stores (dialogue state, dedupe claims) with expiry."""

    __tablename__ = "kv_entry"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
