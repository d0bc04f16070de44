"""The daily payments report: what was collected and refunded online, and what did not match.

Read-only data for the console and `python -m bot report payments --date …` (XLSX); scoped
to one company when an actor's company is given, every company for operators.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from handlers.jobs_common import day_bounds
from storage.models import Payment, Refund
from storage.uow import UnitOfWork

KIND_NAMES = {
    "settled_flagged": "微信已收款、本地未入账 → 已补记",
    "only_there": "微信有收款、本地无订单",
    "only_here": "本地已入账、微信无此笔",
    "amount_mismatch": "金额不一致",
    "refund_only_there": "微信有退款、本地无记录",
    "refund_only_here": "本地退款成功、微信无此笔",
    "refund_mismatch": "退款金额或状态不一致",
}
REFUND_STATUS_NAMES = {"pending": "待发送", "processing": "处理中", "succeeded": "退款成功",
                       "closed": "已关闭", "abnormal": "退款异常", "failed": "被拒绝"}


@dataclass(frozen=True)
class PaymentsReport:
    """One day: payments settled, refunds requested or finished, mismatches found."""

    day: date
    payments: list[tuple[str, str, Decimal, str, str, str]]  # reference, home, amount, txn, paid, merchant
    refunds: list[tuple[str, str, Decimal, str, str, str]]  # number, order, amount, status, reason, actor
    mismatches: list[tuple[str, str, str, Decimal | None, Decimal | None, str, str]]

    @property
    def collected(self) -> Decimal:
        """Money settled online that day."""
        return sum((row[2] for row in self.payments), Decimal("0"))

    @property
    def refunded(self) -> Decimal:
        """Refunds that succeeded that day."""
        return sum((row[2] for row in self.refunds if row[3] == REFUND_STATUS_NAMES["succeeded"]),
                   Decimal("0"))


def payments_report(uow: UnitOfWork, day: date, tz: ZoneInfo, company_id: int | None = None) -> PaymentsReport:
    """The report of `day` (local calendar day), one company's or all."""
    start, end = day_bounds(day, tz)
    payments = [p for p in uow.payments.settled_between_any(start, end)
                if company_id is None or uow.payments.company_of_home(p.home_id) == company_id]
    refunds = [r for r in uow.payments.refunds_changed_between(start, end)
               if company_id is None or _refund_company(uow, r) == company_id]
    return PaymentsReport(
        day=day,
        payments=[_payment_row(uow, p, tz) for p in payments],
        refunds=[_refund_row(uow, r) for r in refunds],
        mismatches=[(KIND_NAMES.get(i.kind, i.kind), i.reference, i.provider_ref, i.amount_there,
                     i.amount_here, i.note, i.merchant)
                    for i in uow.payments.reconciliation(day, company_id)],
    )


def _payment_row(uow: UnitOfWork, p: Payment, tz: ZoneInfo) -> tuple[str, str, Decimal, str, str, str]:
    home = uow.org.home(p.home_id)
    label = f"{home.building.community.name} {home.label}" if home else str(p.home_id)
    paid = p.paid_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if p.paid_at else ""
    return (p.reference, label, p.amount, p.provider_ref, paid, p.merchant)


def _refund_row(uow: UnitOfWork, r: Refund) -> tuple[str, str, Decimal, str, str, str]:
    payment = uow.payments.payment_by_id(r.payment_id)
    return (r.out_refund_no or "", payment.reference if payment else "", r.amount,
            REFUND_STATUS_NAMES.get(r.status, r.status), r.reason, r.actor)


def _refund_company(uow: UnitOfWork, refund: Refund) -> int | None:
    payment = uow.payments.payment_by_id(refund.payment_id)
    return uow.payments.company_of_home(payment.home_id) if payment else None
