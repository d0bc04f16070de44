"""Online payment of bills: the provider interface, the demo provider, the pay flow, settlement.

The flow: `pay_bill` shows what will be paid and asks to confirm; confirming creates a pending
Payment and a checkout link; `confirm_payment` (the web demo's "I paid", or after the
provider's callback) settles it and answers with a receipt.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

import handlers.texts.wechat_pay  # noqa: F401 - registers the texts of real payments
from handlers import billing_rules as rules
from handlers.access import current_home, owner_homes
from handlers.errors import Invalid, NotFound
from handlers.messages import Button, Outcome, Reply
from handlers.owners.pay_orders import ensure_order
from handlers.payment_gateway import GatewayError, gateway_of
from handlers.texts import t
from handlers.turn import Turn
from storage.models import Bill, Home, Payment, Refund
from storage.uow import UnitOfWork

# "I have paid", typed after the checkout link instead of pressing the button.
_PAID = re.compile(
    r"^(好了|好啦|ok|okay|done)$|(付|交|缴|支付|转账)(好|完|过)了|(已经?|都)(付|交|缴|支付)|付款了|支付了"
    r"|支付成功|付了|交了钱|i('ve| have)? paid|\bpaid\b",
    re.IGNORECASE,
)


ALREADY_PAID = "already paid: "  # reason of settle_payment's refunds (bills paid twice)


class PaymentProvider(Protocol):
    """A payment service: it turns an order into a checkout URL the owner opens."""

    name: str

    def create_checkout(self, reference: str, amount: Decimal, description: str) -> str: ...


@dataclass(frozen=True)
class DemoPaymentProvider:
    """No money moves: the checkout page is the web demo's `/pay/{reference}`."""

    public_base_url: str
    name: str = "demo"

    def create_checkout(self, reference: str, amount: Decimal, description: str) -> str:
        """The demo checkout URL of an order."""
        return f"{self.public_base_url.rstrip('/')}/pay/{reference}"


def provider_of(turn: Turn) -> PaymentProvider:
    """The configured provider, or the demo one when none is."""
    configured = turn.deps.payments
    if configured is not None:
        return configured  # type: ignore[return-value]
    return DemoPaymentProvider(turn.deps.settings.public_base_url)


def new_reference(now: datetime, turn: Turn) -> str:
    """`WY261127100000A1B2`: local time plus randomness, short enough for button payloads."""
    local = now.astimezone(turn.deps.settings.timezone)
    return "WY" + local.strftime("%y%m%d%H%M%S") + secrets.token_hex(2).upper()


def settle_payment(
    uow: UnitOfWork, reference: str, now: datetime, provider_ref: str,
    amount: Decimal | None = None,
) -> Payment:
    """Mark a payment succeeded and its bills paid; settling again changes nothing.

    `amount`, when the provider reports one, must equal the order's. A bill that was paid in
    the meantime (another order, the front desk) is not paid twice: that part is refunded.
    """
    payment = uow.billing.payment(reference, for_update=True)
    if payment is None:
        raise NotFound()
    if amount is not None and amount != payment.amount:
        raise Invalid(reason="amount mismatch")
    if payment.status == "succeeded":
        return payment
    if payment.status != "pending":
        raise Invalid(reason=f"payment is {payment.status}")
    ids = [int(x) for x in payment.bill_ids.split(",") if x]
    bills = uow.billing.bills_by_ids(ids, for_update=True)
    if len(bills) != len(ids) or any(b.home_id != payment.home_id for b in bills):
        raise Invalid(reason="bills do not match the payment")
    if rules.total(bills) != payment.amount:
        raise Invalid(reason="amount mismatch")
    already = [b for b in bills if b.status != "unpaid"]
    for bill in bills:
        if bill.status == "unpaid":
            bill.status, bill.paid_at = "paid", now
    payment.status, payment.paid_at, payment.provider_ref = "succeeded", now, provider_ref[:128]
    if already:
        uow.billing.add_refund(Refund(
            payment_id=payment.id, amount=rules.total(already), status="pending", created_at=now,
            reason=ALREADY_PAID + ",".join(str(b.id) for b in already),
        ))
    uow.audit.record(now, "system", "payment_settled", f"payment:{reference}",
                     {"amount": str(payment.amount), "bills": payment.bill_ids,
                      "refunded_bills": [b.id for b in already]})
    return payment


def double_paid(uow: UnitOfWork, payment: Payment) -> Decimal:
    """The part of a payment refunded because its bills had been paid before (settle_payment);
    refunds finance makes later are not that and are told on their own."""
    return sum((r.amount for r in uow.billing.refunds(payment.id)
                if r.reason.startswith(ALREADY_PAID) and r.status not in ("closed", "failed")),
               Decimal("0"))


def pay_bill(turn: Turn) -> Outcome:
    """Show what will be paid (all unpaid, or the item/period asked) and ask to confirm."""
    home = current_home(turn)
    if turn.entity("confirm") and turn.state.get("flow") == "pay_bill":
        return _checkout(turn)
    item, period = rules.filters(turn)
    bills = turn.uow.billing.unpaid_bills(home.id, item, period)
    if not bills:
        what = rules.filter_text(item, period, turn.locale)
        return _reply(t("pay_nothing", turn.locale, home=home.label, what=what))
    return _confirm_prompt(turn, home, bills)


def _confirm_prompt(turn: Turn, home: Home, bills: list[Bill]) -> Outcome:
    today = rules.local_today(turn)
    lines = "\n".join(rules.bill_line(b, today, turn.locale) for b in bills)
    total = rules.money(rules.total(bills), turn.locale)
    text = t("pay_confirm", turn.locale, home=home.label, lines=lines, total=total)
    if any(rules.overdue_days(b, today) for b in bills):
        text += "\n" + t("pay_late_note", turn.locale)
    buttons = (
        Button(t("pay_btn_confirm", turn.locale, total=total), '/pay_bill{"confirm": "1"}'),
        Button(t("pay_btn_cancel", turn.locale), "/deny"),
    )
    state = {"flow": "pay_bill", "home_id": home.id, "bill_ids": [b.id for b in bills]}
    return Outcome((Reply(text, buttons),), state)


def continue_payment(turn: Turn) -> Outcome:
    """In the pay flow: yes creates the order, "付好了" after its link settles it, an item or
    month named narrows the selection; anything else shows the summary (or link) again."""
    reference = str(turn.state.get("reference") or "")
    if reference and _PAID.search(turn.text.strip()):
        return _confirm(turn, reference)  # "付好了" after the link: the same as "我已支付"
    if any(rules.filters(turn)):
        return pay_bill(turn)  # "只交物业费": a new, narrower selection
    if reference or turn.intent == "affirm":
        return _checkout(turn)  # the order (again, if it exists: the same link)
    home = current_home(turn)
    bills = _flow_bills(turn, home)
    if not bills:
        return _reply(t("pay_nothing", turn.locale, home=home.label,
                        what=t("bill_what_all", turn.locale)))
    return _confirm_prompt(turn, home, bills)


def _flow_bills(turn: Turn, home: Home) -> list[Bill]:
    # The state holds ids only; each is re-checked: still this home's, still unpaid.
    ids = [int(x) for x in turn.state.get("bill_ids") or []]
    return [b for b in turn.uow.billing.bills_by_ids(ids)
            if b.home_id == home.id and b.status == "unpaid"]


def _checkout(turn: Turn) -> Outcome:
    homes = {h.id: h for h in owner_homes(turn)}
    home = homes.get(int(turn.state.get("home_id") or 0))
    bills = _flow_bills(turn, home) if home is not None else []
    if home is None or not bills:
        home = home or current_home(turn)
        return _reply(t("pay_nothing", turn.locale, home=home.label,
                        what=t("bill_what_all", turn.locale)))
    provider = provider_of(turn)
    gateway = gateway_of(turn.deps.payments)
    if gateway is not None:  # real money: the amount as shown, one order per amount, expiry
        openid = turn.identity.external_id if turn.identity.channel == "wechat" else ""
        try:
            payment = ensure_order(turn.uow, gateway, home, bills, turn.now,
                                   new_reference(turn.now, turn), openid)
        except GatewayError:
            return _reply(t("pay_gateway_down", turn.locale))
    else:
        bill_ids = ",".join(str(b.id) for b in sorted(bills, key=lambda b: b.id))
        payment = turn.uow.billing.pending_payment_for(home.id, bill_ids)
    if payment is None:
        payment = turn.uow.billing.add_payment(Payment(
            reference=new_reference(turn.now, turn), home_id=home.id, amount=rules.total(bills),
            bill_ids=bill_ids, provider=provider.name, status="pending", created_at=turn.now,
        ))
    description = t("pay_description", turn.locale, community=home.building.community.name,
                    home=home.label)
    url = provider.create_checkout(payment.reference, payment.amount, description)
    total = rules.money(payment.amount, turn.locale)
    text = t("pay_link", turn.locale, reference=payment.reference, total=total, url=url)
    done = "/confirm_payment" + json.dumps({"reference": payment.reference})
    # The flow stays open on the order: the owner may type "付好了" instead of pressing.
    state = {"flow": "pay_bill", "home_id": home.id, "bill_ids": [b.id for b in bills],
             "reference": payment.reference}
    return Outcome((Reply(text, (Button(t("pay_btn_done", turn.locale), done),)),), state)


def confirm_payment(turn: Turn) -> Outcome:
    """"I paid" / the provider's confirmation: settle (demo) or report the status, with a receipt."""
    return _confirm(turn, turn.entity("reference") or "")


def _confirm(turn: Turn, reference: str) -> Outcome:
    homes = {h.id: h for h in owner_homes(turn)}
    payment = turn.uow.billing.payment(reference) if reference else None
    if payment is None or payment.home_id not in homes:
        raise NotFound()  # somebody else's order looks exactly like a missing one
    if payment.status == "pending" and isinstance(provider_of(turn), DemoPaymentProvider):
        # Demo only: no money moves, so the owner's word settles it. A real provider's
        # callback settles through settle_payment before the owner gets here.
        payment = settle_payment(turn.uow, reference, turn.now, provider_ref="demo")
    elif payment.status == "pending":
        payment = _ask_provider(turn, payment)  # the notification may be late: ask WeChat
    if payment.status == "pending":
        return _reply(t("pay_pending", turn.locale, reference=reference))
    if payment.status != "succeeded":
        return _reply(t("pay_failed_status", turn.locale, reference=reference))
    return receipt(turn, payment, homes[payment.home_id])


def _ask_provider(turn: Turn, payment: Payment) -> Payment:
    """The owner says they paid: query the provider once and settle if it says so."""
    gateway = gateway_of(turn.deps.payments)
    if gateway is None or payment.provider != gateway.name:
        return payment
    from handlers.owners.pay_settle import TradeRejected, apply_trade  # it imports this module

    try:
        state = gateway.query_order(payment.reference, payment.merchant)
        if state is not None:
            apply_trade(turn.uow, gateway, state, turn.now, turn.deps.settings.timezone)
    except (GatewayError, TradeRejected):
        pass  # the notification or the sync job settles it; the owner hears "pending"
    return turn.uow.billing.payment(payment.reference) or payment


def receipt(turn: Turn, payment: Payment, home: Home) -> Outcome:
    """The receipt of a settled payment, with any refund for bills that were already paid."""
    ids = [int(x) for x in payment.bill_ids.split(",") if x]
    bills = turn.uow.billing.bills_by_ids(ids)
    today = rules.local_today(turn)
    lines = "\n".join(rules.bill_line(b, today, turn.locale, with_status=False) for b in bills)
    paid_at = rules.local_time(payment.paid_at or turn.now, turn)
    text = t("pay_receipt", turn.locale, reference=payment.reference, home=home.label,
             lines=lines, total=rules.money(payment.amount, turn.locale), time=paid_at)
    refunded = double_paid(turn.uow, payment)
    if refunded:
        text += "\n" + t("pay_refund_note", turn.locale, amount=rules.money(refunded, turn.locale))
    button = Button(t("bill_btn_history", turn.locale), "/payment_history")
    return Outcome((Reply(text, (button,)),))


def _reply(text: str) -> Outcome:
    return Outcome((Reply(text),))
