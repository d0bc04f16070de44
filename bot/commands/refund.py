"""`refund create` and `refund list`: finance staff's refunds from the operators' terminal.

The refund is reserved and committed first, then sent to WeChat Pay; its final state
(SUCCESS / CLOSED / ABNORMAL) arrives by notification or the `payment_sync` job.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation

from bot.app import App
from handlers.errors import DomainError, NotFound
from handlers.office.payments_report import REFUND_STATUS_NAMES
from handlers.office.refunds import request_refund, send_refund, staff_actor
from handlers.payment_gateway import gateway_of
from handlers.texts import t


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `refund create` and `refund list`."""
    cmd = subparsers.add_parser("refund", help="refund WeChat Pay payments (finance staff)")
    actions = cmd.add_subparsers(dest="refund_action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="refund a settled payment in full or in part")
    create.add_argument("reference", help="the order number, WY…")
    amount = create.add_mutually_exclusive_group(required=True)
    amount.add_argument("--amount", help="yuan, e.g. 45.20")
    amount.add_argument("--all", action="store_true", help="all that has not been refunded yet")
    create.add_argument("--reason", required=True, help="shown to the owner and in WeChat Pay")
    create.add_argument("--staff", required=True, metavar="PHONE", help="the finance staff member acting")
    create.add_argument("--bills", default="", help="bill ids that become unpaid again (comma list)")
    create.set_defaults(func=_create)
    listing = actions.add_parser("list", help="the refunds of one payment and their states")
    listing.add_argument("reference")
    listing.set_defaults(func=_list)


def _create(args: argparse.Namespace, app: App) -> int:
    gateway = gateway_of(app.deps.payments)
    if gateway is None:
        print("wuye: WeChat Pay is not configured (wechat_pay.mch_id)", file=sys.stderr)
        return 2
    try:
        amount = None if args.all else Decimal(args.amount)
        bills = [int(x) for x in args.bills.split(",") if x.strip()] or None
    except (InvalidOperation, ValueError):
        print("wuye: --amount is yuan like 45.20 and --bills a comma list of ids", file=sys.stderr)
        return 2
    now = app.deps.clock()
    try:
        with app.deps.uow() as uow:
            staff = uow.payments.staff_by_phone(args.staff)
            if len(staff) != 1:
                raise NotFound()
            actor = staff_actor(uow, staff[0].id)
            refund = request_refund(uow, gateway, actor, args.reference, amount, args.reason, now, bills)
            uow.commit()
            number = refund.out_refund_no or ""
        with app.deps.uow() as uow:
            sent = send_refund(uow, gateway, number, now, app.deps.settings.timezone)
            uow.commit()
            print(f"{number}: {sent.amount} {REFUND_STATUS_NAMES.get(sent.status, sent.status)}")
    except DomainError as err:
        print("wuye: " + t(err.text_key, **err.params), file=sys.stderr)
        return 1
    return 0


def _list(args: argparse.Namespace, app: App) -> int:
    with app.deps.uow() as uow:
        payment = uow.billing.payment(args.reference)
        if payment is None:
            print("wuye: " + t("not_found"), file=sys.stderr)
            return 1
        print(f"{payment.reference}: paid {payment.amount}, refunded or reserved {payment.refunded}")
        for refund in uow.billing.refunds(payment.id):
            print(f"  {refund.out_refund_no or '-'}  {refund.amount}  "
                  f"{REFUND_STATUS_NAMES.get(refund.status, refund.status)}  {refund.reason}  {refund.actor}")
    return 0
