"""Supervision (issue 13): return visits, cases, rectification photos, credit file, consultations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
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


# -- credit file (信用档案) -------------------------------------------------------------------

DISCLOSURE_KINDS = ("fees", "service_standard", "contract", "fund_use")  # 民法典 art. 943 公示


class ProjectFiling(Base):
    """A project filing (项目备案): a company runs a community, with its project manager."""

    __tablename__ = "project_filing"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    manager_name: Mapped[str] = mapped_column(String(60))  # 项目负责人
    manager_phone: Mapped[str] = mapped_column(String(20), default="")
    filed_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class StaffCertificate(Base):
    """A certificate a company's staff member holds and that expires (消防设施操作员 …)."""

    __tablename__ = "staff_certificate"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    holder_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(60))  # e.g. 消防设施操作员, 电梯安全管理员
    number: Mapped[str] = mapped_column(String(60), default="")
    expires_on: Mapped[date] = mapped_column(Date, index=True)


class CreditRecord(Base):
    """A good or bad record on a company's credit file (rectifications, cases, awards)."""

    __tablename__ = "credit_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    kind: Mapped[str] = mapped_column(String(4))  # good/bad
    category: Mapped[str] = mapped_column(String(20))  # rectification/case/award/other
    text: Mapped[str] = mapped_column(Text)
    recorded_on: Mapped[date] = mapped_column(Date)
    ref: Mapped[str] = mapped_column(String(40), default="")  # Z12, D3 …: unique per company
    recorded_by: Mapped[str] = mapped_column(String(60), default="")


class Disclosure(Base):
    """A public disclosure (公示) owners are entitled to, with how long it stays current."""

    __tablename__ = "disclosure"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of DISCLOSURE_KINDS
    title: Mapped[str] = mapped_column(String(200), default="")
    published_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)


# -- consultations (征求意见) -------------------------------------------------------------------


class Consultation(Base):
    """A question with choices a regulator puts to companies and owners in its scope."""

    __tablename__ = "consultation"
    id: Mapped[int] = mapped_column(primary_key=True)
    regulator_id: Mapped[int | None] = mapped_column(ForeignKey("regulator.id"), nullable=True)
    district: Mapped[str] = mapped_column(String(40))
    street: Mapped[str] = mapped_column(String(40), default="")
    question: Mapped[str] = mapped_column(Text)
    choices: Mapped[str] = mapped_column(Text)  # JSON list of strings
    opened_at: Mapped[datetime] = mapped_column(AwareDateTime())
    closes_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ConsultationAnswer(Base):
    """One account's answer (changeable until the consultation closes)."""

    __tablename__ = "consultation_answer"
    __table_args__ = (UniqueConstraint("consultation_id", "identity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("channel_identity.id"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), nullable=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), nullable=True)
    role: Mapped[str] = mapped_column(String(10))  # owner/staff
    choice: Mapped[int] = mapped_column(Integer)  # 1-based
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(AwareDateTime())
