"""Reconciliation of WeChat Pay's daily trade bill against local payments and refunds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import AwareDateTime, Base, Money

# settled_flagged: paid there, a matching local order was not settled → settled now, flagged;
# only_there: paid there, no local order; only_here: settled here, not in the bill;
# amount_mismatch: both, amounts differ; refund_*: the same for refunds.
RECONCILIATION_KINDS = (
    "settled_flagged", "only_there", "only_here", "amount_mismatch",
    "refund_only_there", "refund_only_here", "refund_mismatch",
)


class ReconciliationItem(Base):
    """One mismatch found for one merchant and day (re-running the day replaces its rows)."""

    __tablename__ = "reconciliation_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    merchant: Mapped[str] = mapped_column(String(32))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(64), default="")  # out_trade_no / out_refund_no
    provider_ref: Mapped[str] = mapped_column(String(64), default="")  # transaction_id / refund_id
    amount_there: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    amount_here: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
