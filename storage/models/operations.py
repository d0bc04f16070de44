"""Daily operations: service plans and their tasks, the duty rota, expenses, fund approvals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import AwareDateTime, Base, Money

TASK_STATUSES = ("open", "done", "missed")
SHIFT_KINDS = ("day", "night", "on_call")
EXPENSE_CATEGORIES = (
    "staff", "cleaning", "security", "greening", "repairs", "elevator", "fire_safety",
    "utilities", "office", "insurance", "tax", "other",
)


class ServicePlan(Base):
    """A recurring service (daily cleaning, lift maintenance…) of a community or some buildings."""

    __tablename__ = "service_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    buildings: Mapped[str] = mapped_column(String(300), default="")  # comma list, "" = whole community
    title: Mapped[str] = mapped_column(String(200))
    checklist: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of item texts
    schedule: Mapped[str] = mapped_column(String(100))  # daily / weekly / monthly / cron-like
    window_minutes: Mapped[int] = mapped_column(Integer, default=240)  # due this long after start
    role: Mapped[str] = mapped_column(String(30), default="")  # importer vocabulary, or ""
    staff_ids: Mapped[str] = mapped_column(String(300), default="")  # comma list, or ""
    photo_required: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    created_by: Mapped[str] = mapped_column(String(60), default="")


class ServiceTask(Base):
    """One occurrence of a plan for the shift on duty, checked off item by item."""

    __tablename__ = "service_task"
    __table_args__ = (
        UniqueConstraint("plan_id", "starts_at"),
        Index("ix_service_task_status_due_at", "status", "due_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("service_plan.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)  # the local day it is for
    starts_at: Mapped[datetime] = mapped_column(AwareDateTime())
    due_at: Mapped[datetime] = mapped_column(AwareDateTime())
    assignee_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(12), default="open")  # one of TASK_STATUSES
    checked: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of checklist indexes done
    photos: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of media refs
    note: Mapped[str] = mapped_column(String(500), default="")
    done_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    done_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    flagged_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)

    @property
    def late(self) -> bool:
        """Done, but after its due time."""
        return self.done_at is not None and self.done_at > self.due_at


class DutyShift(Base):
    """Who is on duty for one community and role, from `starts_at` to `ends_at`."""

    __tablename__ = "duty_shift"
    __table_args__ = (Index("ix_duty_shift_lookup", "community_id", "role", "starts_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    role: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(12), default="day")  # one of SHIFT_KINDS
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(AwareDateTime())
    ends_at: Mapped[datetime] = mapped_column(AwareDateTime())
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class Expense(Base):
    """One expense of a community's property-fee account, as finance staff recorded it."""

    __tablename__ = "expense"
    __table_args__ = (Index("ix_expense_community_spent_on", "community_id", "spent_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    category: Mapped[str] = mapped_column(String(30))  # one of EXPENSE_CATEGORIES
    amount: Mapped[Decimal] = mapped_column(Money())
    spent_on: Mapped[date] = mapped_column(Date)
    payee: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    invoice_ref: Mapped[str] = mapped_column(String(300), default="")  # media ref of the invoice photo
    recorded_by: Mapped[str] = mapped_column(String(60), default="")
    source: Mapped[str] = mapped_column(String(200), default="")  # console / import:FILE / cli
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class FundApproval(Base):
    """An approved maintenance-fund expenditure: the owners' vote and its documents."""

    __tablename__ = "fund_approval"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money())
    approved_on: Mapped[date] = mapped_column(Date)
    owners_for: Mapped[int] = mapped_column(Integer)  # owners who voted yes
    owners_total: Mapped[int] = mapped_column(Integer)  # owners of the community
    area_for_m2: Mapped[Decimal] = mapped_column(Money())  # floor area of the yes votes
    area_total_m2: Mapped[Decimal] = mapped_column(Money())
    documents: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of document refs
    recorded_by: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
