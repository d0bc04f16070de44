"""Refunds of real payments by the finance staff: request, send, follow to a final state.

Money safety: the refund is reserved on the payment (`payment.refunded`) under a row lock
before any call to the provider, so concurrent requests can never refund more than was
paid; the reservation is released only when the provider says CLOSED or refuses the request
outright. Refunds are asynchronous: PROCESSING → SUCCESS / CLOSED / ABNORMAL. A retry sends
the same `out_refund_no`, which WeChat treats as the same refund.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import handlers.texts.wechat_pay  # noqa: F401 - registers the texts used here
from handlers import billing_rules as rules
from handlers.errors import Forbidden, Invalid, NotFound
from handlers.notify import push
from handlers.owners.pay_orders import new_out_refund_no
from handlers.payment_gateway import GatewayError, PaymentGateway, RefundState, fen
from handlers.payments import ALREADY_PAID
from handlers.texts import t
from storage.models import Payment, Refund
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
MAX_REFUNDS = 50  # WeChat: at most 50 partial refunds per order
MAX_AGE = timedelta(days=365)  # WeChat: refunds within one year of the payment
REFUND_ROLES = frozenset({"finance"})
STATUS_BY_PROVIDER = {"PROCESSING": "processing", "SUCCESS": "succeeded", "CLOSED": "closed",
                      "ABNORMAL": "abnormal"}


@dataclass(frozen=True)
class StaffActor:
    """A staff member acting in the office: who, for which company, in which role."""

    staff_id: int
    company_id: int
    role: str
    audit_name: str = ""  # the console's `console:{account}`; default `staff:{id}`

    @property
    def label(self) -> str:
        """How the audit log names them."""
        return self.audit_name or f"staff:{self.staff_id}"


def staff_actor(uow: UnitOfWork, staff_id: int) -> StaffActor:
    """The actor of an active staff member (NotFound otherwise)."""
    staff = uow.org.staff(staff_id)
    if staff is None or not getattr(staff, "active", True):
        raise NotFound()
    return StaffActor(staff.id, staff.company_id, staff.role)


def request_refund(uow: UnitOfWork, gateway: PaymentGateway, actor: StaffActor, reference: str,
                   amount: Decimal | None, reason: str, now: datetime,
                   bill_ids: list[int] | None = None) -> Refund:
    """Reserve a refund of `amount` (None: all that is left) of a settled payment.

    Bills named in `bill_ids` (all of them for a full refund) return to unpaid when the
    refund succeeds. Forbidden for roles other than finance; NotFound for another company's
    payment; Invalid for anything WeChat or the books would refuse.
    """
    if actor.role not in REFUND_ROLES:
        raise Forbidden()
    payment = uow.billing.payment(reference, for_update=True)  # serialises refunds of one order
    if payment is None or uow.payments.company_of_home(payment.home_id) != actor.company_id:
        raise NotFound()
    reason = " ".join(reason.split())
    if not reason or len(reason) > 80:
        raise Invalid(reason="a reason of 1-80 characters is required")
    if payment.status != "succeeded" or payment.provider != gateway.name:
        raise Invalid(reason="only a settled online payment can be refunded")
    if payment.paid_at is not None and now - payment.paid_at > MAX_AGE:
        raise Invalid(reason="payments older than one year cannot be refunded online")
    if uow.payments.refund_count(payment.id) >= MAX_REFUNDS:
        raise Invalid(reason=f"an order takes at most {MAX_REFUNDS} refunds")
    left = payment.amount - payment.refunded
    amount = left if amount is None else amount
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise Invalid(reason="the amount must be positive, in yuan with at most two decimals")
    if amount > left:
        raise Invalid(reason=f"at most {left} can still be refunded")
    paid_ids = [int(x) for x in payment.bill_ids.split(",") if x]
    chosen = paid_ids if amount == payment.amount and not bill_ids else list(bill_ids or [])
    if any(b not in paid_ids for b in chosen):
        raise Invalid(reason="those bills are not part of this payment")
    payment.refunded = left_after = payment.refunded + amount
    refund = uow.billing.add_refund(Refund(
        payment_id=payment.id, amount=amount, reason=reason, status="pending", created_at=now,
        out_refund_no=new_out_refund_no(now), actor=actor.label,
        bill_ids=",".join(str(b) for b in chosen), updated_at=now,
    ))
    uow.audit.record(now, actor.label, "refund_requested", f"payment:{reference}", {
        "out_refund_no": refund.out_refund_no, "amount": str(amount), "reason": reason,
        "bills": refund.bill_ids, "refunded_total": str(left_after)})
    return refund


def adopt_refund(uow: UnitOfWork, refund: Refund, now: datetime) -> None:
    """Give settle_payment's refund (bills that were paid twice) a number and reserve it."""
    payment = uow.payments.payment_by_id(refund.payment_id, for_update=True)
    assert payment is not None
    payment.refunded += refund.amount
    refund.out_refund_no, refund.actor, refund.updated_at = new_out_refund_no(now), "system", now
    uow.audit.record(now, "system", "refund_requested", f"payment:{payment.reference}", {
        "out_refund_no": refund.out_refund_no, "amount": str(refund.amount), "reason": refund.reason})


def send_refund(uow: UnitOfWork, gateway: PaymentGateway, out_refund_no: str, now: datetime,
                tz: ZoneInfo | None = None) -> Refund:
    """Send a reserved refund to the provider (again, with the same number, if unsure)."""
    refund = uow.payments.refund(out_refund_no, for_update=True)
    if refund is None:
        raise NotFound()
    if refund.status not in ("pending", "processing"):
        return refund  # final already: nothing to send
    payment = uow.payments.payment_by_id(refund.payment_id, for_update=True)
    assert payment is not None  # a foreign key
    try:
        state = gateway.refund(payment.reference, out_refund_no, fen(refund.amount),
                               fen(payment.amount), reason_text(refund, "zh"), payment.merchant)
    except GatewayError as err:
        if err.retryable:
            log.warning("wechat pay: refund %s not sent (%s); will retry", out_refund_no, err.code)
            return refund
        _release(uow, payment, refund, now, "failed", err.code)
        return refund
    return apply_refund(uow, gateway, state, now, tz)


def apply_refund(uow: UnitOfWork, gateway: PaymentGateway, state: RefundState, now: datetime,
                 tz: ZoneInfo | None = None) -> Refund:
    """Apply the provider's state of a refund (answer, query or verified notification)."""
    refund = uow.payments.refund(state.out_refund_no, for_update=True)
    if refund is None:
        raise NotFound()
    payment = uow.payments.payment_by_id(refund.payment_id, for_update=True)
    assert payment is not None
    merchant = state.sub_mchid if gateway.sub_mch_mode else state.mch_id
    if (state.mch_id and state.mch_id != gateway.mch_id) or (merchant and merchant != payment.merchant):
        raise Invalid(reason="merchant mismatch")
    if state.reference and state.reference != payment.reference:
        raise Invalid(reason="order mismatch")
    if state.refund_fen is not None and state.refund_fen != fen(refund.amount):
        raise Invalid(reason="amount mismatch")
    status = STATUS_BY_PROVIDER.get(state.status)
    if status is None or refund.status in ("succeeded", "closed", "failed") or status == refund.status:
        return refund  # unknown word, already final, or nothing new: a redelivery changes nothing
    refund.provider_ref = state.refund_id or refund.provider_ref
    if status == "succeeded":
        _succeed(uow, payment, refund, state.success_time or now, now, tz)
    elif status == "closed":
        _release(uow, payment, refund, now, "closed", "provider closed the refund")
    else:  # processing, or abnormal: the money is stuck (card closed) until finance acts
        refund.status, refund.updated_at = status, now
        uow.audit.record(now, "system", f"refund_{status}", f"refund:{refund.out_refund_no}",
                         {"amount": str(refund.amount), "payment": payment.reference})
    return refund


def reason_text(refund: Refund, locale: str) -> str:
    """The reason as the payer reads it (settle_payment's refunds get a sentence of their own)."""
    if refund.reason.startswith(ALREADY_PAID):
        return t("refund_reason_double_paid", locale)
    return refund.reason


def _succeed(uow: UnitOfWork, payment: Payment, refund: Refund, when: datetime, now: datetime,
             tz: ZoneInfo | None) -> None:
    refund.status, refund.succeeded_at, refund.updated_at = "succeeded", when, now
    ids = [int(x) for x in refund.bill_ids.split(",") if x]
    bills = [b for b in uow.billing.bills_by_ids(ids, for_update=True) if b.status == "paid"]
    for bill in bills:
        bill.status, bill.paid_at = "unpaid", None
    uow.audit.record(now, "system", "refund_succeeded", f"refund:{refund.out_refund_no}", {
        "amount": str(refund.amount), "payment": payment.reference, "bills_unpaid": ids})
    _tell_owner(uow, payment, refund, bills, now, tz or ZoneInfo("Asia/Shanghai"))


def _release(uow: UnitOfWork, payment: Payment, refund: Refund, now: datetime, status: str,
             why: str) -> None:
    # The reservation goes back: the money never left.
    payment.refunded -= refund.amount
    refund.status, refund.updated_at = status, now
    uow.audit.record(now, "system", f"refund_{status}", f"refund:{refund.out_refund_no}",
                     {"amount": str(refund.amount), "payment": payment.reference, "why": why})


def _tell_owner(uow: UnitOfWork, payment: Payment, refund: Refund, bills: list, now: datetime,
                tz: ZoneInfo) -> None:
    for identity in uow.identities.for_home(payment.home_id):
        if not identity.verified:
            continue
        locale = identity.locale or "zh"
        unpaid = ""
        if bills:
            names = "、".join(f"{rules.item_name(b.item, locale)} {rules.period_label(b.period, locale)}"
                             for b in bills)
            unpaid = t("refund_bills_unpaid", locale, bills=names)
        text = t("refund_done", locale, reference=payment.reference, reason=reason_text(refund, locale),
                 amount=rules.money(refund.amount, locale), bills=unpaid)
        push(uow, identity, "payment", text, dedupe_key=f"refund:{refund.out_refund_no}:{identity.id}",
             now=now)
