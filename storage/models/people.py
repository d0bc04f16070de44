"""Owners and residents, their homes, chat identities and invite codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import AwareDateTime, Base
from storage.models.org import Home


class Owner(Base):
    """A person who owns or lives in one or more homes (业主 / 住户)."""

    __tablename__ = "owner"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    # None for a family member or tenant who joined with the owner's code: no registered phone.
    phone: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    memberships: Mapped[list[HomeMember]] = relationship(back_populates="owner")


class HomeMember(Base):
    """Who belongs to a home: one owner may hold several homes, one home several people."""

    __tablename__ = "home_member"
    __table_args__ = (UniqueConstraint("home_id", "owner_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("home.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owner.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="owner")  # owner/resident/tenant
    home: Mapped[Home] = relationship()
    owner: Mapped[Owner] = relationship(back_populates="memberships")


class ChannelIdentity(Base):
    """A chat account on one channel, and who it speaks for once bound."""

    __tablename__ = "channel_identity"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))  # web/terminal/telegram/wechat/wecom
    external_id: Mapped[str] = mapped_column(String(128))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"), nullable=True, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True, index=True)
    regulator_id: Mapped[int | None] = mapped_column(ForeignKey("regulator.id"), nullable=True)
    home_id: Mapped[int | None] = mapped_column(ForeignKey("home.id"), nullable=True)  # home in focus
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)  # false after block/unsubscribe
    locale: Mapped[str] = mapped_column(String(8), default="zh")
    notify_bills: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_notices: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_tickets: Mapped[bool] = mapped_column(Boolean, default=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    last_inbound_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    # WeChat allows a few customer-service messages per owner message within 48 h: count them.
    replies_since_inbound: Mapped[int] = mapped_column(default=0)
    owner: Mapped[Owner | None] = relationship()
    home: Mapped[Home | None] = relationship()


class InviteCode(Base):
    """A one-time code staff hand out to bind a chat account to a home or a staff record."""

    __tablename__ = "invite_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    home_id: Mapped[int | None] = mapped_column(ForeignKey("home.id"), nullable=True, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())
    used_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    used_by_identity_id: Mapped[int | None] = mapped_column(
        ForeignKey("channel_identity.id"), nullable=True
    )
    # A code an owner made for a family member (resident) or tenant; "owner" for the office's.
    role: Mapped[str] = mapped_column(String(20), default="owner", server_default="owner")
    issued_by_owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"), nullable=True)
    label: Mapped[str] = mapped_column(String(60), default="", server_default="")  # 妈妈, 租客小李
