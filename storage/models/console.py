"""The office console: staff and regulator accounts, live conversations, canned replies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import AwareDateTime, Base

CONVERSATION_STATUSES = ("waiting", "open", "closed")
MESSAGE_SENDERS = ("owner", "staff", "bot", "system")


class ConsoleAccount(Base):
    """Who may log in to the console: a staff member (role, company) or a regulator (district/street)."""

    __tablename__ = "console_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)  # the login name
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, PHC string
    kind: Mapped[str] = mapped_column(String(12), default="staff")  # staff/regulator
    role: Mapped[str] = mapped_column(String(30))  # a key of handlers.office.permissions.ROLES
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True, index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), nullable=True, index=True)
    regulator_id: Mapped[int | None] = mapped_column(ForeignKey("regulator.id"), nullable=True)
    district: Mapped[str] = mapped_column(String(40), default="")  # regulator scope; "" = none
    street: Mapped[str] = mapped_column(String(40), default="")  # narrower regulator scope
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    password_set_at: Mapped[datetime] = mapped_column(AwareDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)


class Conversation(Base):
    """An owner's chat handed to people ("H12"): while open the bot stays quiet."""

    __tablename__ = "conversation"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    home_id: Mapped[int | None] = mapped_column(ForeignKey("home.id"), nullable=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"), nullable=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("channel_identity.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="waiting", index=True)
    assignee_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    last_owner_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    last_staff_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)

    @property
    def number(self) -> str:
        """What clerks type: `回复 H12 …`."""
        return f"H{self.id}"


class ConversationMessage(Base):
    """One line of a conversation; a staff line's delivery state is its outbox row's."""

    __tablename__ = "conversation_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"), index=True)
    sender: Mapped[str] = mapped_column(String(10))  # owner/staff/bot/system
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    media_kind: Mapped[str] = mapped_column(String(10), default="")  # photo/video/voice/file
    media_ref: Mapped[str] = mapped_column(String(300), default="")  # stored path
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), nullable=True)


class CannedReply(Base):
    """A company's ready answer a clerk inserts with one click."""

    __tablename__ = "canned_reply"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    title: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
