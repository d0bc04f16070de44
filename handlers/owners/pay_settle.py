"""Settling real payments from the provider's word: a verified notification or query answer.

Everything the provider says is checked against our order — merchant, app id, order,
amount, currency — before anything changes; the order is settled exactly once
(handlers.payments.settle_payment) and the receipt is pushed to the household.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.checkout import notify_receipt
from handlers.errors import Invalid
from handlers.payment_gateway import PaymentGateway, TradeState, fen
from handlers.payments import settle_payment
from storage.models import Payment
from storage.uow import UnitOfWork


class TradeRejected(Exception):
    """The provider's message does not match our order; nothing was changed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_trade(gateway: PaymentGateway, payment: Payment, state: TradeState) -> None:
    """TradeRejected unless the message is about this order, merchant, app and amount."""
    if state.mch_id != gateway.mch_id:
        raise TradeRejected("merchant mismatch")
    if state.app_id and state.app_id != gateway.app_id:
        raise TradeRejected("app id mismatch")
    merchant = state.sub_mchid if gateway.sub_mch_mode else state.mch_id
    if merchant != payment.merchant:
        raise TradeRejected("sub-merchant mismatch")
    if state.state in ("SUCCESS", "REFUND"):
        if state.currency != "CNY":
            raise TradeRejected("currency mismatch")
        if state.total_fen != fen(payment.amount):
            raise TradeRejected("amount mismatch")


def apply_trade(uow: UnitOfWork, gateway: PaymentGateway, state: TradeState, now: datetime,
                tz: ZoneInfo | None = None) -> str:
    """Apply the provider's state of an order: `settled`, `already` (nothing changed) or
    `not_paid` (the provider has no payment for it). TradeRejected when it does not match."""
    payment = uow.billing.payment(state.reference, for_update=True)
    if payment is None or payment.provider != gateway.name:
        raise TradeRejected("unknown order")
    check_trade(gateway, payment, state)
    if state.state not in ("SUCCESS", "REFUND"):
        return "not_paid"
    if payment.status == "succeeded":
        if payment.provider_ref and payment.provider_ref != state.transaction_id:
            raise TradeRejected("another transaction for a settled order")
        return "already"
    if payment.status != "pending":
        # Money did arrive for an order we had given up on (closed locally while WeChat
        # still took it): it must be recorded, and finance sees it in the audit log.
        uow.audit.record(now, "system", "payment_reopened", f"payment:{payment.reference}",
                         {"was": payment.status, "transaction_id": state.transaction_id})
        payment.status = "pending"
    paid_at = state.success_time or now
    try:
        settle_payment(uow, payment.reference, paid_at, provider_ref=state.transaction_id,
                       amount=payment.amount)
    except Invalid as err:
        # The money arrived but the bills changed after the order was made (an import
        # adjusted an amount): record the payment, leave the bills for finance to decide
        # (refund or adjust) — refusing would only make WeChat retry for a day.
        payment.status, payment.paid_at, payment.provider_ref = "succeeded", paid_at, state.transaction_id
        uow.audit.record(now, "system", "payment_needs_review", f"payment:{payment.reference}",
                         {"why": err.params.get("reason", ""), "amount": str(payment.amount)})
        return "settled"
    home = uow.org.home(payment.home_id)
    if home is not None:
        notify_receipt(uow, payment, home, now, tz or ZoneInfo("Asia/Shanghai"))
    return "settled"
