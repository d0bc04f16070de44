"""Service contracts, bills, payments, refunds and the maintenance fund ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import AwareDateTime, Base, Money
from storage.models.org import Home

BILL_ITEMS = ("property_fee", "water", "electricity", "gas", "heating", "parking")


class ServiceContract(Base):
    """The property service contract (物业服务合同) between a community and its company."""

    __tablename__ = "service_contract"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"))
    title: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    fee_per_m2: Mapped[Decimal] = mapped_column(Numeric(8, 2))  # yuan per m² per month
    terms: Mapped[str] = mapped_column(Text, default="")  # one clause per line


class Bill(Base):
    """One charge for one home, item and period."""

    __tablename__ = "bill"
    __table_args__ = (UniqueConstraint("home_id", "item", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("home.id"), index=True)
    item: Mapped[str] = mapped_column(String(20))  # one of BILL_ITEMS
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM or YYYY
    amount: Mapped[Decimal] = mapped_column(Money())
    due_date: Mapped[date] = mapped_column(Date, index=True)
    # Daily late-fee rate on the unpaid amount after the due date (万分之三 = 0.0003).
    late_fee_rate: Mapped[Decimal] = mapped_column(Numeric(8, 6), default=Decimal("0.0003"))
    status: Mapped[str] = mapped_column(String(12), default="unpaid", index=True)  # unpaid/paid/refunded
    paid_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    home: Mapped[Home] = relationship()


class Payment(Base):
    """An online payment for one or more bills through the payment provider."""

    __tablename__ = "payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)  # our order number
    home_id: Mapped[int] = mapped_column(ForeignKey("home.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    bill_ids: Mapped[str] = mapped_column(String(2000))  # comma list of bill ids it settles
    provider: Mapped[str] = mapped_column(String(20), default="demo")
    provider_ref: Mapped[str] = mapped_column(String(128), default="")
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending/succeeded/failed/closed
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    # Real providers (issue 12): the order's expiry (WeChat's time_expire), the merchant it was
    # placed with (mch_id, or the company's sub_mchid), the payer's openid when the order came
    # from the Official Account, the provider's prepay answers by trade type (JSON), and the
    # refunds requested so far that are not closed (never more than `amount`).
    expires_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    merchant: Mapped[str] = mapped_column(String(32), default="")
    payer_openid: Mapped[str] = mapped_column(String(128), default="")
    trade_type: Mapped[str] = mapped_column(String(10), default="")
    prepay: Mapped[str] = mapped_column(Text, default="")
    refunded: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))


class Refund(Base):
    __tablename__ = "refund"
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    reason: Mapped[str] = mapped_column(String(300), default="")
    # pending (not yet sent) / processing / succeeded / closed / abnormal / failed
    status: Mapped[str] = mapped_column(String(12), default="pending")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    # Real providers (issue 12): our refund number (a retry reuses it), the provider's, who
    # asked, which bills go back to unpaid when it succeeds, when it last changed.
    out_refund_no: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    provider_ref: Mapped[str] = mapped_column(String(64), default="")
    actor: Mapped[str] = mapped_column(String(60), default="")
    bill_ids: Mapped[str] = mapped_column(String(2000), default="")
    updated_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    succeeded_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)


class MaintenanceFundEntry(Base):
    """A line of the community's maintenance fund ledger (专项维修资金)."""

    __tablename__ = "maintenance_fund_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))  # deposit/expense/interest
    amount: Mapped[Decimal] = mapped_column(Money())  # positive; kind gives the sign
    description: Mapped[str] = mapped_column(String(300))
    approval: Mapped[str] = mapped_column(String(200), default="")  # e.g. 业主大会表决通过
