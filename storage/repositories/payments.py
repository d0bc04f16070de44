"""Repository for real-provider payments: open orders, refunds by number, a day's trades,
reconciliation items. Locks are row locks (`SELECT … FOR UPDATE`) on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from storage.models import (
    Building,
    Community,
    Company,
    Home,
    Payment,
    ReconciliationItem,
    Refund,
    Staff,
)


class PaymentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def open_orders(self, provider: str, limit: int = 500) -> list[Payment]:
        """Pending orders of `provider`, oldest first (the sync job walks them)."""
        stmt = select(Payment).where(Payment.provider == provider, Payment.status == "pending")
        return list(self.session.scalars(stmt.order_by(Payment.id).limit(limit)))

    def refund(self, out_refund_no: str, for_update: bool = False) -> Refund | None:
        """A refund by our refund number, locked when it is about to change."""
        stmt = select(Refund).where(Refund.out_refund_no == out_refund_no)
        if for_update:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(stmt).one_or_none()

    def refund_by_id(self, refund_id: int) -> Refund | None:
        """A refund by its id."""
        return self.session.get(Refund, refund_id)

    def payment_by_id(self, payment_id: int, for_update: bool = False) -> Payment | None:
        """A payment by its id, locked when asked."""
        stmt = select(Payment).where(Payment.id == payment_id)
        if for_update:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(stmt).one_or_none()

    def refunds_to_follow(self, provider: str, limit: int = 500) -> list[Refund]:
        """Refunds not final yet (pending, processing) of `provider`'s payments, oldest first."""
        stmt = (select(Refund).join(Payment, Payment.id == Refund.payment_id)
                .where(Payment.provider == provider, Refund.status.in_(("pending", "processing")))
                .order_by(Refund.id).limit(limit))
        return list(self.session.scalars(stmt))

    def refund_count(self, payment_id: int) -> int:
        """Refunds sent or to be sent for one payment (WeChat allows 50 per order)."""
        stmt = select(func.count(Refund.id)).where(Refund.payment_id == payment_id,
                                                   Refund.out_refund_no.is_not(None))
        return int(self.session.scalar(stmt) or 0)

    def companies(self) -> list[Company]:
        """Every company, by name."""
        return list(self.session.scalars(select(Company).order_by(Company.name)))

    def company_by_name(self, name: str) -> Company | None:
        """A company by its exact name."""
        return self.session.scalars(select(Company).where(Company.name == name)).one_or_none()

    def staff_by_phone(self, phone: str, company_id: int | None = None) -> list[Staff]:
        """Staff with this phone (one per company), optionally of one company."""
        stmt = select(Staff).where(Staff.phone == phone)
        if company_id is not None:
            stmt = stmt.where(Staff.company_id == company_id)
        return list(self.session.scalars(stmt))

    def company_of_home(self, home_id: int) -> int | None:
        """The company that manages a home's community."""
        stmt = (select(Community.company_id).join(Building, Building.community_id == Community.id)
                .join(Home, Home.building_id == Building.id).where(Home.id == home_id))
        return self.session.scalar(stmt)

    def settled_between(self, provider: str, merchant: str, start: datetime, end: datetime) -> list[Payment]:
        """Payments of one merchant settled in [start, end)."""
        stmt = select(Payment).where(
            Payment.provider == provider, Payment.merchant == merchant,
            Payment.paid_at >= start, Payment.paid_at < end,
            Payment.status == "succeeded")
        return list(self.session.scalars(stmt.order_by(Payment.id)))

    def settled_between_any(self, start: datetime, end: datetime) -> list[Payment]:
        """Every online payment (any provider but the demo) settled in [start, end)."""
        stmt = select(Payment).where(Payment.status == "succeeded", Payment.provider != "demo",
                                     Payment.paid_at >= start, Payment.paid_at < end)
        return list(self.session.scalars(stmt.order_by(Payment.paid_at, Payment.id)))

    def refunds_changed_between(self, start: datetime, end: datetime) -> list[Refund]:
        """Refunds requested or changed in [start, end)."""
        stmt = select(Refund).where(or_(
            (Refund.created_at >= start) & (Refund.created_at < end),
            (Refund.updated_at >= start) & (Refund.updated_at < end)))
        return list(self.session.scalars(stmt.order_by(Refund.id)))

    def refunds_succeeded_between(self, provider: str, merchant: str, start: datetime,
                                  end: datetime) -> list[Refund]:
        """Refunds of one merchant's payments that succeeded in [start, end)."""
        stmt = (select(Refund).join(Payment, Payment.id == Refund.payment_id)
                .where(Payment.provider == provider, Payment.merchant == merchant,
                       Refund.status == "succeeded", Refund.succeeded_at >= start,
                       Refund.succeeded_at < end))
        return list(self.session.scalars(stmt.order_by(Refund.id)))

    def payments_by_reference(self, references: list[str]) -> dict[str, Payment]:
        """Payments by reference for the given references."""
        if not references:
            return {}
        stmt = select(Payment).where(Payment.reference.in_(references))
        return {p.reference: p for p in self.session.scalars(stmt)}

    def refunds_by_number(self, numbers: list[str]) -> dict[str, Refund]:
        """Refunds by out_refund_no for the given numbers."""
        if not numbers:
            return {}
        stmt = select(Refund).where(Refund.out_refund_no.in_(numbers))
        return {r.out_refund_no or "": r for r in self.session.scalars(stmt)}

    def replace_reconciliation(self, day: date, merchant: str, items: list[ReconciliationItem]) -> None:
        """The mismatches of one merchant and day, replacing an earlier run's."""
        self.session.execute(delete(ReconciliationItem).where(
            ReconciliationItem.day == day, ReconciliationItem.merchant == merchant))
        self.session.add_all(items)
        self.session.flush()

    def reconciliation(self, day: date, company_id: int | None = None) -> list[ReconciliationItem]:
        """The mismatches of one day (one company's, or all)."""
        stmt = select(ReconciliationItem).where(ReconciliationItem.day == day)
        if company_id is not None:
            stmt = stmt.where(or_(ReconciliationItem.company_id == company_id))
        return list(self.session.scalars(stmt.order_by(ReconciliationItem.id)))
