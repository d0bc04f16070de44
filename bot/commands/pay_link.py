"""`pay-link --home 望京花园/3-2-501`: the front desk's WeChat Pay order for a home's unpaid
bills; the printed link opens the pay page, which shows the Native QR code on the desk's
screen for the owner to scan."""

from __future__ import annotations

import argparse
import secrets
import sys

from bot.app import App
from handlers import billing_rules as rules
from handlers.errors import DomainError
from handlers.imports.keys import home_label
from handlers.owners.pay_orders import ensure_order
from handlers.payment_gateway import GatewayError, gateway_of
from handlers.texts import t


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `pay-link`."""
    cmd = subparsers.add_parser("pay-link", help="a WeChat Pay order for a home's unpaid bills (front desk)")
    cmd.add_argument("--home", required=True, metavar="COMMUNITY/HOME", help="e.g. 望京花园/3-2-501")
    cmd.set_defaults(func=_run)


def _run(args: argparse.Namespace, app: App) -> int:
    gateway = gateway_of(app.deps.payments)
    if gateway is None:
        print("wuye: WeChat Pay is not configured (wechat_pay.mch_id)", file=sys.stderr)
        return 2
    community, _, raw = args.home.rpartition("/")
    label = home_label(raw)
    now = app.deps.clock()
    with app.deps.uow() as uow:
        place = uow.org.community_by_name(community.strip()) if community else None
        homes = uow.org.homes_by_label(label, place.id) if place and label else []
        if not homes:
            print(f"wuye: no home {args.home!r}", file=sys.stderr)
            return 1
        bills = uow.billing.unpaid_bills(homes[0].id)
        if not bills:
            print(t("pay_nothing", home=homes[0].label, what=t("bill_what_all")))
            return 0
        reference = "WY" + now.astimezone(app.deps.settings.timezone).strftime("%y%m%d%H%M%S") \
            + secrets.token_hex(2).upper()
        try:
            payment = ensure_order(uow, gateway, homes[0], bills, now, reference)
        except (DomainError, GatewayError) as err:
            text = t(err.text_key, **err.params) if isinstance(err, DomainError) else str(err)
            print("wuye: " + text, file=sys.stderr)
            return 1
        uow.commit()
        print(f"{payment.reference} {rules.money(payment.amount, 'zh')}")
        print(gateway.create_checkout(payment.reference, payment.amount, ""))
    return 0
