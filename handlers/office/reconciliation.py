"""Reconciliation: the provider's daily trade bill against local payments and refunds.

Per merchant (the direct merchant, or each company's sub_mchid): paid there with a matching
local order not settled → settle it and flag (`settled_flagged`); paid there with no local
order (`only_there`) or settled here and not there (`only_here`) → flag only, a counter
payment may explain it; different amounts → `amount_mismatch`; the same for refunds. The
day's rows replace an earlier run's, so running a day again is safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import handlers.texts.wechat_pay  # noqa: F401 - registers the texts used here
from handlers import notify
from handlers.jobs_common import day_bounds
from handlers.owners.pay_settle import TradeRejected, apply_trade
from handlers.payment_gateway import BillLine, PaymentGateway, TradeState, fen
from handlers.texts import t
from storage.models import ReconciliationItem
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class MerchantDay:
    """What one merchant's reconciliation of one day found."""

    merchant: str
    company_id: int | None
    lines: int
    items: tuple[ReconciliationItem, ...]


def merchants(uow: UnitOfWork, gateway: PaymentGateway) -> list[tuple[str, int | None]]:
    """(merchant, company id) pairs to reconcile: each company's sub_mchid, or the merchant."""
    companies = uow.payments.companies()
    if gateway.sub_mch_mode:
        return [(c.wechat_pay_sub_mchid, c.id) for c in companies if c.wechat_pay_sub_mchid]
    owner = next((c for c in companies if c.name == gateway.company), None)
    if owner is None and len(companies) == 1:
        owner = companies[0]
    return [(gateway.mch_id, owner.id if owner else None)]


def reconcile_day(uow_factory: Callable[[], UnitOfWork], gateway: PaymentGateway, day: date,
                  now: datetime, tz: object) -> list[MerchantDay]:
    """Download each merchant's bill of `day`, match it, store and report the mismatches."""
    with uow_factory() as uow:
        pairs = merchants(uow, gateway)
    done = []
    for merchant, company_id in pairs:
        lines = gateway.trade_bill(day, merchant)  # outside any transaction: network
        with uow_factory() as uow:
            items = _match(uow, gateway, merchant, company_id, day, lines, now, tz)
            uow.payments.replace_reconciliation(day, merchant, items)
            uow.audit.record(now, "system", "reconciliation_run", f"merchant:{merchant}",
                             {"day": day.isoformat(), "lines": len(lines), "mismatches": len(items)})
            _tell_finance(uow, company_id, day, merchant, items, now)
            uow.commit()
        done.append(MerchantDay(merchant, company_id, len(lines), tuple(items)))
    return done


def _match(uow: UnitOfWork, gateway: PaymentGateway, merchant: str, company_id: int | None,
           day: date, lines: list[BillLine], now: datetime, tz: object) -> list[ReconciliationItem]:
    start, end = day_bounds(day, tz)  # type: ignore[arg-type]
    def item(kind: str, reference: str, provider_ref: str = "", there: object = None,
             here: object = None, note: str = "") -> ReconciliationItem:
        return ReconciliationItem(day=day, merchant=merchant, company_id=company_id, kind=kind,
                                  reference=reference, provider_ref=provider_ref,
                                  amount_there=there, amount_here=here, note=note, created_at=now)
    items: list[ReconciliationItem] = []
    paid = {ln.reference: ln for ln in lines if ln.kind == "payment" and ln.state == "SUCCESS"}
    local = uow.payments.payments_by_reference(list(paid))
    for reference, line in paid.items():
        payment = local.get(reference)
        if payment is None or payment.provider != gateway.name:
            items.append(item("only_there", reference, line.transaction_id, line.amount))
        elif payment.amount != line.amount:
            items.append(item("amount_mismatch", reference, line.transaction_id, line.amount,
                              payment.amount))
        elif payment.status != "succeeded":
            state = TradeState(reference, "SUCCESS", line.transaction_id, fen(line.amount), "CNY",
                               gateway.mch_id, merchant if gateway.sub_mch_mode else "", "")
            try:
                apply_trade(uow, gateway, state, now, tz)  # type: ignore[arg-type]
                items.append(item("settled_flagged", reference, line.transaction_id, line.amount,
                                  payment.amount, "settled from the trade bill"))
            except TradeRejected as err:
                items.append(item("amount_mismatch", reference, line.transaction_id, line.amount,
                                  payment.amount, err.reason))
    for payment in uow.payments.settled_between(gateway.name, merchant, start, end):
        if payment.reference not in paid:
            items.append(item("only_here", payment.reference, payment.provider_ref, None,
                              payment.amount))
    items.extend(_match_refunds(uow, gateway, merchant, lines, start, end, item))
    return items


def _match_refunds(uow: UnitOfWork, gateway: PaymentGateway, merchant: str, lines: list[BillLine],
                   start: datetime, end: datetime, item: Callable[..., ReconciliationItem],
                   ) -> list[ReconciliationItem]:
    found = []
    there = {ln.out_refund_no: ln for ln in lines if ln.kind == "refund" and ln.state == "SUCCESS"}
    local = uow.payments.refunds_by_number(list(there))
    for number, line in there.items():
        refund = local.get(number)
        if refund is None:
            found.append(item("refund_only_there", number, line.refund_id, line.amount))
        elif refund.amount != line.amount or refund.status != "succeeded":
            found.append(item("refund_mismatch", number, line.refund_id, line.amount, refund.amount,
                              f"here: {refund.status}"))
    for refund in uow.payments.refunds_succeeded_between(gateway.name, merchant, start, end):
        if refund.out_refund_no not in there:
            found.append(item("refund_only_here", refund.out_refund_no or "", refund.provider_ref,
                              None, refund.amount))
    return found


def _tell_finance(uow: UnitOfWork, company_id: int | None, day: date, merchant: str,
                  items: list[ReconciliationItem], now: datetime) -> None:
    if not items or company_id is None:
        return
    settled = sum(1 for i in items if i.kind == "settled_flagged")
    for staff in uow.org.staff_by_role(company_id, "finance"):
        for identity in uow.identities.for_staff(staff.id):
            text = t("recon_summary", identity.locale or "zh", day=day.isoformat(),
                     merchant=merchant, count=len(items), settled=settled)
            notify.push(uow, identity, "digest", text,
                        dedupe_key=f"recon:{merchant}:{day.isoformat()}:{identity.id}", now=now)


def report_rows(uow: UnitOfWork, day: date, company_id: int | None = None) -> list[ReconciliationItem]:
    """The stored mismatches of `day` (one company's, or every one for operators)."""
    return uow.payments.reconciliation(day, company_id)
