"""Console: online payments — the day's report (collected, refunds, reconciliation
mismatches), a payment's refunds, and refunds by finance staff (WeChat Pay).

Use cases: handlers.office.payments_console (permission `payments.read` / `payments.refund`,
scoped to the actor's company). A refund is reserved and committed first, then sent to
WeChat Pay; its final state arrives by notification or the `payment_sync` job.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from aiohttp import web

from bot.console import conventions as conv
from bot.console.routes import Call, ConsoleRoutes
from bot.console.state import CONSOLE_KEY, NavItem
from handlers.errors import Invalid
from handlers.office import payments_console as uc
from handlers.office.payments_report import KIND_NAMES, REFUND_STATUS_NAMES, PaymentsReport
from handlers.payment_gateway import GatewayError, PaymentGateway, gateway_of

routes = ConsoleRoutes()
NAV = [NavItem("在线缴费", "/console/payments", "payments.read")]
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
REFERENCE = {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,64}$"}
MONEY = {"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2})?$"}
REFUND_STATUSES = sorted(REFUND_STATUS_NAMES)
REFUND = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "out_refund_no", "reference", "amount", "status", "reason", "actor",
                 "created_at", "succeeded_at"],
    "properties": {"id": conv.ID, "out_refund_no": {"type": "string"}, "reference": {"type": "string"},
                   "amount": MONEY, "status": {"type": "string", "enum": REFUND_STATUSES},
                   "reason": {"type": "string"}, "actor": {"type": "string"},
                   "created_at": conv.TIME, "succeeded_at": conv.TIME_OR_NULL},
}
REFUND_BODY = {
    "type": "object", "additionalProperties": False, "required": ["reference", "reason"],
    "properties": {
        "reference": REFERENCE,
        "amount": {"type": ["string", "null"], "pattern": MONEY["pattern"]},  # null: all that is left
        "reason": {"type": "string", "minLength": 1, "maxLength": 80},
        "bill_ids": {"type": "array", "items": conv.ID},
    },
}
REFUNDS = {
    "type": "object", "additionalProperties": False, "required": ["reference", "amount", "refunded", "refunds"],
    "properties": {"reference": {"type": "string"}, "amount": MONEY, "refunded": MONEY,
                   "refunds": {"type": "array", "items": REFUND}},
}
ROW = {"type": "array"}
REPORT = {
    "type": "object", "additionalProperties": False,
    "required": ["date", "collected", "refunded", "payments", "refunds", "mismatches"],
    "properties": {
        "date": DATE, "collected": MONEY, "refunded": MONEY,
        "payments": {"type": "array", "items": {"type": "object"}},
        "refunds": {"type": "array", "items": {"type": "object"}},
        "mismatches": {"type": "array", "items": {"type": "object"}},
    },
}


def _day(call: Call) -> date:
    text = call.query.get("date") or call.request.query.get("date")
    if not text:
        return call.now().astimezone(call.app.deps.settings.timezone).date() - timedelta(days=1)
    try:
        return date.fromisoformat(str(text))
    except ValueError as err:
        raise Invalid(reason="date is YYYY-MM-DD") from err


def _report_json(found: PaymentsReport) -> dict[str, Any]:
    return {
        "date": found.day.isoformat(), "collected": str(found.collected), "refunded": str(found.refunded),
        "payments": [{"reference": r[0], "home": r[1], "amount": str(r[2]), "transaction_id": r[3],
                      "paid_at": r[4], "merchant": r[5]} for r in found.payments],
        "refunds": [{"out_refund_no": r[0], "reference": r[1], "amount": str(r[2]), "status": r[3],
                     "reason": r[4], "actor": r[5]} for r in found.refunds],
        "mismatches": [{"kind": r[0], "reference": r[1], "provider_ref": r[2],
                        "amount_there": None if r[3] is None else str(r[3]),
                        "amount_here": None if r[4] is None else str(r[4]), "note": r[5],
                        "merchant": r[6]} for r in found.mismatches],
    }


@routes.api("GET", "/payments/report", summary="A day's online payments, refunds and reconciliation mismatches",
            permission="payments.read", query={"date": DATE}, response=REPORT, tag="payments")
async def payments_report(call: Call) -> dict[str, Any]:
    """The report of `date` (default: yesterday) for the actor's company."""
    day = _day(call)
    found = await call.run(_load_report, call, day)
    return _report_json(found)


def _load_report(call: Call, day: date) -> PaymentsReport:
    with call.app.deps.uow() as uow:
        return uc.report(uow, call.me, day, call.app.deps.settings.timezone)


@routes.api("GET", "/payments/refunds", summary="The refunds of one payment (by its order number)",
            permission="payments.read", query={"reference": REFERENCE}, response=REFUNDS, tag="payments")
async def payment_refunds(call: Call) -> dict[str, Any]:
    reference = str(call.query.get("reference") or "")
    if not reference:
        raise Invalid(reason="reference is required")
    return await call.run(_load_refunds, call, reference)


def _load_refunds(call: Call, reference: str) -> dict[str, Any]:
    with call.app.deps.uow() as uow:
        payment, refunds = uc.refunds_of(uow, call.me, reference)
        return {"reference": payment.reference, "amount": str(payment.amount),
                "refunded": str(payment.refunded), "refunds": [_refund_json(call, r) for r in refunds]}


def _refund_json(call: Call, r: uc.RefundView) -> dict[str, Any]:
    return {"id": r.id, "out_refund_no": r.out_refund_no, "reference": r.reference,
            "amount": str(r.amount), "status": r.status, "reason": r.reason, "actor": r.actor,
            "created_at": call.iso(r.created_at), "succeeded_at": call.iso(r.succeeded_at)}


@routes.api("POST", "/payments/refunds", summary="Refund a WeChat Pay payment in full (amount null) or in part",
            permission="payments.refund", body=REFUND_BODY, response=REFUND, statuses=(409,), tag="payments")
async def create_refund(call: Call) -> web.StreamResponse | dict[str, Any]:
    """Reserve, commit, send; 409 while WeChat Pay is not configured."""
    gateway = gateway_of(call.app.deps.payments)
    if gateway is None:
        return conv.error(409, "conflict", "微信支付未开通，无法在线退款。")
    body = call.body
    amount = Decimal(body["amount"]) if body.get("amount") else None
    number = await call.run(_reserve, call, gateway, body["reference"], amount, body["reason"],
                            body.get("bill_ids"))
    try:
        view = await call.run(_send, call, gateway, number)
    except GatewayError:
        view = None  # reserved and committed: the payment_sync job sends it again
    if view is None:
        return conv.error(409, "conflict", f"退款 {number} 已登记，微信支付暂时无法受理，系统会自动重试。")
    return _refund_json(call, view)


def _reserve(call: Call, gateway: PaymentGateway, reference: str, amount: Decimal | None, reason: str,
             bill_ids: list[int] | None) -> str:
    with call.app.deps.uow() as uow:
        number = uc.refund(uow, gateway, call.me, reference, amount, reason, call.now(), bill_ids)
        uow.commit()
        return number


def _send(call: Call, gateway: PaymentGateway, number: str) -> uc.RefundView:
    with call.app.deps.uow() as uow:
        view = uc.send(uow, gateway, number, call.now(), call.app.deps.settings.timezone)
        uow.commit()
        return view


@routes.page("/console/payments", permission="payments.read")
async def payments_page(call: Call) -> web.StreamResponse:
    """The day's report as a page; finance staff also get the refund form."""
    console = call.request.app[CONSOLE_KEY]
    day = _day(call)
    found = await call.run(_load_report, call, day)
    return await console.render(call, "payments.html", report=_report_json(found), day=day.isoformat(),
                                kinds=KIND_NAMES, can_refund=call.me.can("payments.refund"))
