"""`payment_sync` and `payment_reconciliation`: the clock's side of real payments.

payment_sync (every 10 min): asks the provider about every open order — a missed
notification is recovered (settled, receipt pushed), an expired order is closed there and
here — and sends or follows every refund not final yet. payment_reconciliation (daily after
WeChat publishes the previous day's trade bill, ~10:00): handlers.office.reconciliation.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from handlers.deps import Deps
from handlers.errors import DomainError
from handlers.jobs_common import JobReport, local_day
from handlers.office.reconciliation import reconcile_day
from handlers.office.refunds import adopt_refund, apply_refund, send_refund
from handlers.owners.pay_orders import retire
from handlers.owners.pay_settle import TradeRejected, apply_trade
from handlers.payment_gateway import GatewayError, PaymentGateway, gateway_of

log = logging.getLogger(__name__)


def payment_sync(deps: Deps, now: datetime) -> JobReport:
    """Recover missed payment notifications, close expired orders, follow refunds."""
    gateway = gateway_of(deps.payments)
    if gateway is None:
        return JobReport("payment_sync", now, skipped="no_provider")
    with deps.uow() as uow:
        references = [p.reference for p in uow.payments.open_orders(gateway.name)]
        refunds = [r.id for r in uow.payments.refunds_to_follow(gateway.name)]
    changed = sum(_sync_order(deps, gateway, ref, now) for ref in references)
    changed += sum(_sync_refund(deps, gateway, rid, now) for rid in refunds)
    return JobReport("payment_sync", now, considered=len(references) + len(refunds), changed=changed)


def _sync_order(deps: Deps, gateway: PaymentGateway, reference: str, now: datetime) -> int:
    tz = deps.settings.timezone
    try:
        with deps.uow() as uow:
            payment = uow.billing.payment(reference, for_update=True)
            if payment is None or payment.status != "pending":
                return 0
            expired = payment.expires_at is not None and payment.expires_at <= now
            state = gateway.query_order(reference, payment.merchant) if payment.prepay else None
            if state is not None and state.state in ("SUCCESS", "REFUND"):
                result = apply_trade(uow, gateway, state, now, tz)
                if result == "settled":
                    log.info("wechat pay: order %s settled by the sync job (missed notification)",
                             reference)
            elif expired or (state is not None and state.state in ("CLOSED", "REVOKED", "PAYERROR")):
                result = retire(uow, gateway, payment, now, "expired")
            else:
                return 0
            uow.commit()
            return int(result in ("settled", "closed", "paid"))
    except (GatewayError, TradeRejected, DomainError) as err:
        log.warning("wechat pay: sync of order %s failed: %s", reference, err)
        return 0


def _sync_refund(deps: Deps, gateway: PaymentGateway, refund_id: int, now: datetime) -> int:
    tz = deps.settings.timezone
    try:
        with deps.uow() as uow:
            refund = uow.payments.refund_by_id(refund_id)
            if refund is None:
                return 0
            before = refund.status
            if refund.out_refund_no is None:  # settle_payment's refund of bills paid twice
                adopt_refund(uow, refund, now)
                uow.commit()
            number = refund.out_refund_no or ""
            payment = uow.payments.payment_by_id(refund.payment_id)
            if refund.status == "processing" and payment is not None:
                state = gateway.query_refund(number, payment.merchant)
                if state is not None:
                    apply_refund(uow, gateway, state, now, tz)
            else:
                send_refund(uow, gateway, number, now, tz)
            uow.commit()
            return int(refund.status != before)
    except (GatewayError, DomainError) as err:
        log.warning("wechat pay: refund %s not followed: %s", refund_id, err)
        return 0


def payment_reconciliation(deps: Deps, now: datetime) -> JobReport:
    """Match yesterday's WeChat Pay trade bill against local payments and refunds."""
    gateway = gateway_of(deps.payments)
    if gateway is None:
        return JobReport("payment_reconciliation", now, skipped="no_provider")
    day = local_day(now, deps.settings.timezone) - timedelta(days=1)
    found = reconcile_day(deps.uow, gateway, day, now, deps.settings.timezone)
    details = tuple(f"{m.merchant}: {m.lines} lines, {len(m.items)} mismatches" for m in found)
    return JobReport("payment_reconciliation", now, considered=sum(m.lines for m in found),
                     changed=sum(len(m.items) for m in found), details=details)
