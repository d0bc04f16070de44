"""The console's payments use cases: the day's report, a payment's refunds, a refund —
each taking the console `Actor`, checking the permission, and scoped to the actor's company
(another company's payment is NotFound, never Forbidden)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from handlers.errors import NotFound
from handlers.office import audit
from handlers.office.access import Actor, require
from handlers.office.payments_report import PaymentsReport, payments_report
from handlers.office.refunds import StaffActor, request_refund, send_refund
from handlers.payment_gateway import PaymentGateway
from storage.models import Payment, Refund
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class RefundView:
    """One refund as the console shows it."""

    id: int
    out_refund_no: str
    reference: str
    amount: Decimal
    status: str
    reason: str
    actor: str
    created_at: datetime
    succeeded_at: datetime | None


def report(uow: UnitOfWork, actor: Actor, day: date, tz: ZoneInfo) -> PaymentsReport:
    """The day's payments report of the actor's company."""
    require(actor, "payments.read")
    return payments_report(uow, day, tz, _company(actor))


def refunds_of(uow: UnitOfWork, actor: Actor, reference: str) -> tuple[Payment, list[RefundView]]:
    """A payment of the actor's company and its refunds."""
    require(actor, "payments.read")
    payment = _payment(uow, actor, reference)
    return payment, [_view(payment, r) for r in uow.billing.refunds(payment.id)]


def refund(uow: UnitOfWork, gateway: PaymentGateway, actor: Actor, reference: str,
           amount: Decimal | None, reason: str, now: datetime, bill_ids: list[int] | None = None,
           ) -> str:
    """Reserve a refund (committed by the caller before `send`); its out_refund_no."""
    require(actor, "payments.refund")
    _payment(uow, actor, reference)  # another company's payment: NotFound first
    staff = StaffActor(actor.staff_id or 0, _company(actor), actor.role, actor.audit_name)
    made = request_refund(uow, gateway, staff, reference, amount, reason, now, bill_ids)
    audit.record(uow, actor, "refund", f"payment:{reference}", now,
                 after={"out_refund_no": made.out_refund_no, "amount": str(made.amount),
                        "reason": made.reason})
    return made.out_refund_no or ""


def send(uow: UnitOfWork, gateway: PaymentGateway, out_refund_no: str, now: datetime,
         tz: ZoneInfo) -> RefundView:
    """Send a reserved refund to the provider; the refund as it stands then."""
    sent = send_refund(uow, gateway, out_refund_no, now, tz)
    payment = uow.payments.payment_by_id(sent.payment_id)
    assert payment is not None
    return _view(payment, sent)


def _company(actor: Actor) -> int:
    if actor.scope.company_id is None:
        raise NotFound()  # regulators have no company's money to see
    return actor.scope.company_id


def _payment(uow: UnitOfWork, actor: Actor, reference: str) -> Payment:
    payment = uow.billing.payment(reference)
    if payment is None or uow.payments.company_of_home(payment.home_id) != _company(actor):
        raise NotFound()
    return payment


def _view(payment: Payment, r: Refund) -> RefundView:
    return RefundView(r.id, r.out_refund_no or "", payment.reference, r.amount, r.status, r.reason,
                      r.actor, r.created_at, r.succeeded_at)
