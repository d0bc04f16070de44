"""Supervision (issue 13): return visits, supervised cases, rectification answers' photos."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import AwareDateTime, Base

SATISFACTION_ANSWERS = ("satisfied", "basic", "dissatisfied")  # 满意 / 基本满意 / 不满意
CASE_STATUSES = ("open", "closed")
CASE_ORIGINS = ("overdue", "owner")  # N working days unresolved / the owner asked the regulator
RECTIFICATION_STATUSES = ("issued", "answered", "accepted", "returned", "overdue")


class ReturnVisit(Base):
    """One return-visit answer (回访) on a ticket: solved? and satisfied?, as 12345 asks.

    A star rating is an answer (solved, satisfaction from the stars); "没修好" / reopening is
    an answer "not solved" without a satisfaction. The latest answer of a ticket counts.
    """

    __tablename__ = "return_visit"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), index=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    solved: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    satisfaction: Mapped[str | None] = mapped_column(String(12), nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(12), default="rating")  # rating/reopen/call
    actor: Mapped[str] = mapped_column(String(40), default="")


class SupervisedCase(Base):
    """A complaint the regulator follows (督办); owner data shown only with `consent`."""

    __tablename__ = "supervised_case"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), unique=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), nullable=True, index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"), nullable=True)
    origin: Mapped[str] = mapped_column(String(10))  # one of CASE_ORIGINS
    consent: Mapped[bool] = mapped_column(Boolean, default=False)  # owner agreed to share
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    opened_at: Mapped[datetime] = mapped_column(AwareDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class RectificationPhoto(Base):
    """A photo a company sent with its rectification answer."""

    __tablename__ = "rectification_photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    rectification_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_notice.id"), index=True
    )
    ref: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
