"""Repository for bills, payments, refunds, contracts, maintenance fund."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.models import Bill, MaintenanceFundEntry, Payment, Refund, ServiceContract


class BillingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- bills --------------------------------------------------------------------------

    def bills(
        self,
        home_id: int,
        status: str | None = None,
        item: str | None = None,
        period: str | None = None,
    ) -> list[Bill]:
        """Bills of one home, by due date; `period` `2026` matches every month of 2026."""
        stmt = select(Bill).where(Bill.home_id == home_id)
        if status:
            stmt = stmt.where(Bill.status == status)
        if item:
            stmt = stmt.where(Bill.item == item)
        if period:
            stmt = stmt.where(or_(Bill.period == period, Bill.period.startswith(period + "-")))
        return list(self.session.scalars(stmt.order_by(Bill.due_date, Bill.item, Bill.id)))

    def unpaid_bills(
        self, home_id: int, item: str | None = None, period: str | None = None
    ) -> list[Bill]:
        """Unpaid bills of one home, oldest due first."""
        return self.bills(home_id, "unpaid", item, period)

    def paid_bills(self, home_id: int) -> list[Bill]:
        """Paid bills of one home, newest payment first."""
        stmt = select(Bill).where(Bill.home_id == home_id, Bill.status == "paid")
        bills = list(self.session.scalars(stmt.order_by(Bill.period.desc(), Bill.id.desc())))
        # Newest payment first; bills paid together show the latest period first.
        return sorted(bills, key=lambda b: (b.paid_at is not None, b.paid_at), reverse=True)

    def bills_by_ids(self, bill_ids: Iterable[int], for_update: bool = False) -> list[Bill]:
        """The bills with these ids, locked when they are about to be paid."""
        ids = list(bill_ids)
        if not ids:
            return []
        stmt = select(Bill).where(Bill.id.in_(ids)).order_by(Bill.due_date, Bill.id)
        if for_update:
            # populate_existing: rows this session loaded earlier are refreshed from the locked
            # read, so a settlement made meanwhile by another transaction is seen.
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return list(self.session.scalars(stmt))

    # -- payments and refunds -----------------------------------------------------------

    def add_payment(self, payment: Payment) -> Payment:
        """Store a new (pending) payment."""
        self.session.add(payment)
        self.session.flush()
        return payment

    def payment(self, reference: str, for_update: bool = False) -> Payment | None:
        """A payment by our reference, locked when it is about to be settled."""
        stmt = select(Payment).where(Payment.reference == reference)
        if for_update:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(stmt).one_or_none()

    def payments(self, home_id: int, status: str | None = None) -> list[Payment]:
        """Payments of one home, newest first."""
        stmt = select(Payment).where(Payment.home_id == home_id)
        if status:
            stmt = stmt.where(Payment.status == status)
        return list(self.session.scalars(stmt.order_by(Payment.created_at.desc(), Payment.id.desc())))

    def pending_payment_for(self, home_id: int, bill_ids: str) -> Payment | None:
        """A still-pending payment of exactly these bills (reused instead of a second order)."""
        stmt = select(Payment).where(
            Payment.home_id == home_id, Payment.status == "pending", Payment.bill_ids == bill_ids
        )
        return self.session.scalars(stmt.order_by(Payment.id.desc())).first()

    def add_refund(self, refund: Refund) -> Refund:
        """Store a refund to be paid back."""
        self.session.add(refund)
        self.session.flush()
        return refund

    def refunds(self, payment_id: int) -> list[Refund]:
        """Refunds of one payment."""
        stmt = select(Refund).where(Refund.payment_id == payment_id).order_by(Refund.id)
        return list(self.session.scalars(stmt))

    # -- contracts ----------------------------------------------------------------------

    def contract(self, community_id: int, on: date | None = None) -> ServiceContract | None:
        """The community's service contract in force on `on` (else the latest one)."""
        stmt = select(ServiceContract).where(ServiceContract.community_id == community_id)
        contracts = list(self.session.scalars(stmt.order_by(ServiceContract.start_date.desc())))
        if on is not None:
            for contract in contracts:
                if contract.start_date <= on <= contract.end_date:
                    return contract
        return contracts[0] if contracts else None

    # -- maintenance fund ---------------------------------------------------------------

    def fund_entries(self, community_id: int, kind: str | None = None) -> list[MaintenanceFundEntry]:
        """The community's maintenance fund ledger, newest first."""
        stmt = select(MaintenanceFundEntry).where(MaintenanceFundEntry.community_id == community_id)
        if kind:
            stmt = stmt.where(MaintenanceFundEntry.kind == kind)
        order = (MaintenanceFundEntry.occurred_on.desc(), MaintenanceFundEntry.id.desc())
        return list(self.session.scalars(stmt.order_by(*order)))

    def fund_balance(self, community_id: int) -> Decimal:
        """Deposits + interest − expenses of the community's maintenance fund."""
        total = Decimal("0")
        for entry in self.fund_entries(community_id):
            total += -entry.amount if entry.kind == "expense" else entry.amount
        return total
