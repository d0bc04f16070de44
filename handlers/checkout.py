"""The checkout page's use cases: describe an order, settle a demo order, tell the household.

The web adapter (bot/channels/web_pay.py) calls these inside one unit of work. WeChat Pay
settles through `handlers.owners.pay_settle.apply_trade` from its notification
(`POST /pay/notify/wechat`) and reuses `notify_receipt`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from handlers import billing_rules as rules
from handlers.errors import Invalid, NotFound
from handlers.messages import Button
from handlers.notify import push
from handlers.payments import DemoPaymentProvider, double_paid, settle_payment
from handlers.texts import t
from storage.models import Home, OutboxMessage, Payment
from storage.uow import UnitOfWork

DEMO_PROVIDER = DemoPaymentProvider.name  # "demo": orders whose owner's word settles them


@dataclass(frozen=True)
class PaymentLine:
    """One bill of an order, in words: `物业费`, `2026年10月`, and its amount."""

    item: str
    period: str
    amount: Decimal


@dataclass(frozen=True)
class PaymentView:
    """An order as the checkout page shows it (read-only data, nothing to commit)."""

    reference: str
    community: str
    home: str
    home_id: int
    lines: tuple[PaymentLine, ...]
    total: Decimal
    status: str  # pending / succeeded / failed
    provider: str
    created_at: datetime
    paid_at: datetime | None
    refunded: Decimal

    @property
    def paid(self) -> bool:
        """True once the order is settled."""
        return self.status == "succeeded"


def describe_payment(uow: UnitOfWork, reference: str, locale: str = "zh") -> PaymentView | None:
    """The order `reference` with its home and bills; None when there is no such order."""
    payment = uow.billing.payment(reference)
    if payment is None:
        return None
    home = uow.org.home(payment.home_id)
    if home is None:  # a foreign key makes this impossible; be explicit anyway
        return None
    bills = uow.billing.bills_by_ids(_bill_ids(payment))
    lines = tuple(
        PaymentLine(rules.item_name(b.item, locale), rules.period_label(b.period, locale), b.amount)
        for b in sorted(bills, key=lambda b: b.id)
    )
    refunded = double_paid(uow, payment)
    return PaymentView(
        reference=payment.reference, community=home.building.community.name, home=home.label,
        home_id=home.id, lines=lines, total=payment.amount, status=payment.status,
        provider=payment.provider, created_at=payment.created_at, paid_at=payment.paid_at,
        refunded=refunded,
    )


def may_view(uow: UnitOfWork, home_id: int, channel: str, external_id: str) -> bool:
    """True when the chat account is bound to somebody who belongs to the home.

    The same rule as paying in the chat: any member (owner, resident, tenant) may pay.
    """
    identity = uow.identities.by_external(channel, external_id)
    if identity is None or identity.owner_id is None:
        return False
    return any(h.id == home_id for h in uow.identities.homes_of(identity.owner_id))


def settle_demo_payment(
    uow: UnitOfWork, reference: str, now: datetime, tz: ZoneInfo, amount: Decimal | None = None,
) -> PaymentView:
    """Settle a demo order (no money moves: the owner's click is the payment) and push the
    receipt to the household's chats; settling again changes nothing and pushes nothing.

    NotFound for an unknown order; Invalid for another provider's order, an amount that is
    not the order's, or an order that failed.
    """
    # Locked on first load: a later locking query would not refresh an already-loaded row.
    payment = uow.billing.payment(reference, for_update=True)
    if payment is None:
        raise NotFound()
    if payment.provider != DEMO_PROVIDER:
        raise Invalid(reason="not a demo order")  # real money: only its provider settles it
    payment = settle_payment(uow, reference, now, provider_ref="demo-page", amount=amount)
    home = uow.org.home(payment.home_id)
    if home is not None:
        notify_receipt(uow, payment, home, now, tz)
    view = describe_payment(uow, reference)
    if view is None:  # it was there a moment ago, in this very transaction
        raise NotFound()
    return view


def notify_receipt(
    uow: UnitOfWork, payment: Payment, home: Home, now: datetime, tz: ZoneInfo,
) -> list[OutboxMessage]:
    """The receipt to every verified chat account of the home's members, once per account."""
    queued = []
    for identity in uow.identities.for_home(home.id):
        member = uow.identities.membership(identity.owner_id or 0, home.id)
        if not identity.verified or (member is not None and member.role == "tenant"):
            continue  # a tenant's chat never shows the owner's payments
        locale = identity.locale or "zh"
        button = Button(t("bill_btn_history", locale), "/payment_history")
        # One key per account: outbox dedupe keys are unique across the table.
        msg = push(uow, identity, "payment", receipt_text(uow, payment, home, locale, tz),
                   (button,), dedupe_key=f"payment:{payment.reference}:{identity.id}", now=now)
        if msg is not None:
            queued.append(msg)
    return queued


def receipt_text(uow: UnitOfWork, payment: Payment, home: Home, locale: str, tz: ZoneInfo) -> str:
    """The chat receipt of a settled order (the same wording as the chat's own receipt)."""
    paid_at = (payment.paid_at or payment.created_at).astimezone(tz)
    bills = uow.billing.bills_by_ids(_bill_ids(payment))
    lines = "\n".join(
        rules.bill_line(b, paid_at.date(), locale, with_status=False) for b in bills
    )
    text = t("pay_receipt", locale, reference=payment.reference, home=home.label, lines=lines,
             total=rules.money(payment.amount, locale), time=paid_at.strftime("%Y-%m-%d %H:%M"))
    refunded = double_paid(uow, payment)
    if refunded:
        text += "\n" + t("pay_refund_note", locale, amount=rules.money(refunded, locale))
    return text


def _bill_ids(payment: Payment) -> list[int]:
    return [int(x) for x in payment.bill_ids.split(",") if x]
