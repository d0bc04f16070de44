"""Orders with a real provider: which merchant, one order per amount, expiry, checkout.

An order is built from the bills the owner confirmed, its amount computed here as the chat
showed it. It expires (`time_expire`) after the provider's `order_minutes`; a stale or
changed order is closed and the next checkout gets a new `out_trade_no` (our reference):
WeChat requires a new number when the amount changes.
"""

from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime, timedelta

from handlers import billing_rules as rules
from handlers.errors import Invalid, NotFound
from handlers.payment_gateway import Checkout, GatewayError, OrderRequest, PaymentGateway, fen
from handlers.texts import t
from storage.models import Bill, Home, Payment
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)
# An order this close to its expiry is not handed out again: the owner needs time to pay.
REUSE_MARGIN = timedelta(minutes=10)


def merchant_for(uow: UnitOfWork, gateway: PaymentGateway, home: Home) -> str:
    """The merchant that collects this home's fees; Invalid(`pay_not_enabled`) if none may.

    Never pools companies: in service-provider mode each company has its own sub_mchid; in
    direct mode the merchant is one company's (`wechat_pay.company`, or the only company).
    """
    company = home.building.community.company
    if company is None:
        raise _not_enabled(home)
    if gateway.sub_mch_mode:
        if not company.wechat_pay_sub_mchid:
            raise _not_enabled(home)
        return company.wechat_pay_sub_mchid
    if gateway.company:
        if company.name != gateway.company:
            raise _not_enabled(home)
    elif len(uow.payments.companies()) != 1:
        raise _not_enabled(home)  # several companies and no owner named for the merchant
    return gateway.mch_id


def _not_enabled(home: Home) -> Invalid:
    community = home.building.community
    return Invalid("pay_not_enabled", community=community.name,
                   phone=community.service_phone or community.front_desk_hours or "")


def ensure_order(uow: UnitOfWork, gateway: PaymentGateway, home: Home, bills: list[Bill],
                 now: datetime, reference: str, openid: str = "") -> Payment:
    """The open order for exactly these bills at today's amount, else a new one.

    A pending order of the same bills whose amount differs, that expired or is about to,
    or that is for another merchant is retired first (closed at the provider).
    """
    merchant = merchant_for(uow, gateway, home)
    bill_ids = ",".join(str(b.id) for b in sorted(bills, key=lambda b: b.id))
    amount = rules.total(bills)
    existing = uow.billing.pending_payment_for(home.id, bill_ids)
    if existing is not None:
        fresh = existing.expires_at is not None and existing.expires_at - now > REUSE_MARGIN
        if (existing.provider == gateway.name and existing.amount == amount and fresh
                and existing.merchant == merchant and existing.payer_openid == openid):
            return existing
        retire(uow, gateway, existing, now, "stale")
    return uow.billing.add_payment(Payment(
        reference=reference, home_id=home.id, amount=amount, bill_ids=bill_ids,
        provider=gateway.name, status="pending", created_at=now, merchant=merchant,
        expires_at=now + timedelta(minutes=gateway.order_minutes), payer_openid=openid,
    ))


def retire(uow: UnitOfWork, gateway: PaymentGateway, payment: Payment, now: datetime,
           why: str) -> str:
    """Close an order that must not be paid any more; `closed`, `paid` or `kept` (retry later).

    Only an order the provider has seen (it has a prepay) is closed there. If it was paid in
    the meantime (ORDERPAID), it is settled instead, through the provider's own answer.
    """
    if payment.provider != gateway.name:
        payment.status = "closed"  # a demo order: no money can arrive for it
        return "closed"
    if payment.prepay:
        try:
            gateway.close_order(payment.reference, payment.merchant)
        except GatewayError as err:
            if err.code == "ORDERPAID":
                from handlers.owners.pay_settle import apply_trade  # cycle: settle uses this module

                state = gateway.query_order(payment.reference, payment.merchant)
                if state is not None and state.state == "SUCCESS":
                    apply_trade(uow, gateway, state, now)
                    return "paid"
            log.warning("wechat pay: order %s not closed (%s); kept for the sync job",
                        payment.reference, err.code)
            return "kept"
    payment.status = "closed"
    uow.audit.record(now, "system", "payment_closed", f"payment:{payment.reference}", {"why": why})
    return "closed"


def order_bills(uow: UnitOfWork, payment: Payment) -> list[Bill]:
    """The bills an order pays."""
    return uow.billing.bills_by_ids([int(x) for x in payment.bill_ids.split(",") if x])


def check_payable(uow: UnitOfWork, payment: Payment, now: datetime) -> None:
    """Invalid with a clear text when the order may not be paid: closed, expired, changed."""
    if payment.status in ("closed", "failed"):
        raise Invalid("pay_closed", reference=payment.reference)
    if payment.expires_at is not None and payment.expires_at <= now:
        raise Invalid("pay_expired", reference=payment.reference)
    bills = order_bills(uow, payment)
    if (len(bills) != len(payment.bill_ids.split(",")) or any(b.status != "unpaid" for b in bills)
            or rules.total(bills) != payment.amount):
        raise Invalid("pay_changed", reference=payment.reference)


def checkout(uow: UnitOfWork, gateway: PaymentGateway, reference: str, now: datetime,
             trade_type: str, client_ip: str = "", locale: str = "zh") -> Checkout:
    """The provider's checkout of one open order for the pay page (prepaid once per type).

    JSAPI needs the payer's openid, known only for orders made in the Official Account;
    without it the page gets a Native QR code instead.
    """
    payment = uow.billing.payment(reference, for_update=True)
    if payment is None or payment.provider != gateway.name:
        raise NotFound()
    if payment.status == "succeeded":
        raise Invalid("pay_already_paid", reference=reference)
    check_payable(uow, payment, now)
    if trade_type == "JSAPI" and not payment.payer_openid:
        trade_type = "NATIVE"
    cached = json.loads(payment.prepay or "{}")
    if trade_type in cached:
        return Checkout(trade_type, cached[trade_type])
    home = uow.org.home(payment.home_id)
    if home is None:
        raise NotFound()
    description = t("pay_description", locale, community=home.building.community.name,
                    home=home.label)
    assert payment.expires_at is not None  # every real order has one (ensure_order)
    made = gateway.prepay(OrderRequest(
        reference=payment.reference, amount_fen=fen(payment.amount), description=description,
        expires_at=payment.expires_at, merchant=payment.merchant, trade_type=trade_type,
        openid=payment.payer_openid, client_ip=client_ip,
    ))
    cached[trade_type] = made.data
    payment.prepay, payment.trade_type = json.dumps(cached), trade_type
    return made


def new_out_refund_no(now: datetime) -> str:
    """`RF` + UTC time to the second + 6 hex digits (≤ 64 characters, unique)."""
    return "RF" + now.strftime("%y%m%d%H%M%S") + secrets.token_hex(3).upper()
