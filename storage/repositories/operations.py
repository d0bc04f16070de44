"""Repository for service plans and tasks, duty shifts, expenses and fund approvals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Community, Staff
from storage.models.operations import DutyShift, Expense, FundApproval, ServicePlan, ServiceTask


class OperationsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- plans and tasks ----------------------------------------------------------------

    def add(self, row: object) -> None:
        """Add a new row of any operations table and give it an id."""
        self.session.add(row)
        self.session.flush()

    def plan(self, plan_id: int) -> ServicePlan | None:
        return self.session.get(ServicePlan, plan_id)

    def plans(self, community_ids: Sequence[int] | None = None, *, active: bool = True) -> list[ServicePlan]:
        """Plans (of some communities), by id."""
        stmt = select(ServicePlan).where(ServicePlan.active.is_(active))
        if community_ids is not None:
            stmt = stmt.where(ServicePlan.community_id.in_(community_ids))
        return list(self.session.scalars(stmt.order_by(ServicePlan.id)))

    def task(self, task_id: int, *, for_update: bool = False) -> ServiceTask | None:
        stmt = select(ServiceTask).where(ServiceTask.id == task_id)
        if for_update:
            stmt = stmt.with_for_update()
        return self.session.scalars(stmt).one_or_none()

    def task_at(self, plan_id: int, starts_at: datetime) -> ServiceTask | None:
        stmt = select(ServiceTask).where(ServiceTask.plan_id == plan_id, ServiceTask.starts_at == starts_at)
        return self.session.scalars(stmt).one_or_none()

    def tasks_on(self, day: date, community_ids: Sequence[int] | None = None) -> list[ServiceTask]:
        """The tasks of local day `day`, by start then id."""
        stmt = select(ServiceTask).where(ServiceTask.day == day)
        if community_ids is not None:
            stmt = stmt.where(ServiceTask.community_id.in_(community_ids))
        return list(self.session.scalars(stmt.order_by(ServiceTask.starts_at, ServiceTask.id)))

    def open_tasks_of(self, staff_id: int) -> list[ServiceTask]:
        stmt = select(ServiceTask).where(ServiceTask.assignee_staff_id == staff_id,
                                         ServiceTask.status == "open")
        return list(self.session.scalars(stmt.order_by(ServiceTask.due_at, ServiceTask.id)))

    def overdue_unflagged(self, now: datetime) -> list[ServiceTask]:
        """Open tasks past their due time that nobody was told about yet."""
        stmt = select(ServiceTask).where(ServiceTask.status == "open", ServiceTask.due_at < now,
                                         ServiceTask.flagged_at.is_(None))
        return list(self.session.scalars(stmt.order_by(ServiceTask.due_at, ServiceTask.id)))

    def latest_done(self, plan_id: int) -> ServiceTask | None:
        stmt = (select(ServiceTask).where(ServiceTask.plan_id == plan_id, ServiceTask.status == "done")
                .order_by(ServiceTask.done_at.desc(), ServiceTask.id.desc()).limit(1))
        return self.session.scalars(stmt).first()

    def tasks_between(self, first: date, last: date, community_ids: Sequence[int] | None) -> list[ServiceTask]:
        """Tasks of days `first` … `last` (both included)."""
        stmt = select(ServiceTask).where(ServiceTask.day >= first, ServiceTask.day <= last)
        if community_ids is not None:
            stmt = stmt.where(ServiceTask.community_id.in_(community_ids))
        return list(self.session.scalars(stmt.order_by(ServiceTask.id)))

    # -- rota ---------------------------------------------------------------------------

    def shifts_at(self, community_id: int, role: str, moment: datetime) -> list[DutyShift]:
        """Shifts of one community and role that cover `moment`, by start then id."""
        stmt = select(DutyShift).where(
            DutyShift.community_id == community_id, DutyShift.role == role,
            DutyShift.starts_at <= moment, DutyShift.ends_at > moment,
        )
        return list(self.session.scalars(stmt.order_by(DutyShift.starts_at, DutyShift.id)))

    def has_rota(self, community_id: int, role: str) -> bool:
        """Whether the community keeps a rota for `role` at all (else everyone of the role serves)."""
        stmt = select(func.count(DutyShift.id)).where(DutyShift.community_id == community_id,
                                                       DutyShift.role == role)
        return bool(self.session.scalar(stmt))

    def shifts_between(self, community_id: int, start: datetime, end: datetime) -> list[DutyShift]:
        """Shifts of a community overlapping [start, end), by start."""
        stmt = select(DutyShift).where(DutyShift.community_id == community_id,
                                       DutyShift.starts_at < end, DutyShift.ends_at > start)
        return list(self.session.scalars(stmt.order_by(DutyShift.starts_at, DutyShift.role, DutyShift.id)))

    def shifts_of(self, staff_id: int, after: datetime) -> list[DutyShift]:
        """A person's shifts that end after `after`."""
        stmt = select(DutyShift).where(DutyShift.staff_id == staff_id, DutyShift.ends_at > after)
        return list(self.session.scalars(stmt.order_by(DutyShift.starts_at)))

    def delete(self, row: object) -> None:
        self.session.delete(row)
        self.session.flush()

    def staff_by_phone(self, phone: str) -> list[Staff]:
        """Staff rows with this phone (one per company they work for)."""
        return list(self.session.scalars(select(Staff).where(Staff.phone == phone).order_by(Staff.id)))

    def communities_of_company(self, company_id: int) -> list[Community]:
        stmt = select(Community).where(Community.company_id == company_id).order_by(Community.id)
        return list(self.session.scalars(stmt))

    # -- books --------------------------------------------------------------------------

    def expense(self, expense_id: int) -> Expense | None:
        return self.session.get(Expense, expense_id)

    def expenses(self, community_id: int, first: date, last: date, category: str | None = None) -> list[Expense]:
        """A community's expenses of days `first` … `last`, by date then id."""
        stmt = select(Expense).where(Expense.community_id == community_id,
                                     Expense.spent_on >= first, Expense.spent_on <= last)
        if category:
            stmt = stmt.where(Expense.category == category)
        return list(self.session.scalars(stmt.order_by(Expense.spent_on, Expense.id)))

    def fund_approvals(self, community_id: int) -> list[FundApproval]:
        stmt = select(FundApproval).where(FundApproval.community_id == community_id)
        return list(self.session.scalars(stmt.order_by(FundApproval.approved_on.desc(), FundApproval.id.desc())))
