"""`regulator add --name NAME --district 朝阳区 [--street 劲松街道] --phone PHONE`.

The account's console password is set afterwards with `console password PHONE` (console).
"""

from __future__ import annotations

import argparse
import sys

from bot.app import App
from handlers.errors import DomainError
from handlers.supervision.accounts import add_regulator
from handlers.texts import t
from handlers.util import mask_phones


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `regulator add`."""
    cmd = subparsers.add_parser("regulator", help="regulator accounts (district / street scope)")
    actions = cmd.add_subparsers(dest="regulator_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create or update a regulator account (by phone)")
    add.add_argument("--name", required=True)
    add.add_argument("--district", required=True, help="e.g. 朝阳区")
    add.add_argument("--street", default="", help="a street office (街道), e.g. 劲松街道")
    add.add_argument("--phone", required=True, help="the account's login phone")
    add.add_argument("--department", default="", help="default: the district's 住建委 or the street office")
    add.set_defaults(func=run_add)


def run_add(args: argparse.Namespace, app: App) -> int:
    """Create or update the account in one transaction and print one line."""
    with app.deps.uow() as uow:
        try:
            done = add_regulator(uow, name=args.name, district=args.district, street=args.street,
                                 phone=args.phone, department=args.department, now=app.deps.clock())
        except DomainError as err:
            print(t(err.text_key, "zh", **err.params), file=sys.stderr)
            return 2
        uow.commit()
        reg = done.regulator
        print(t("cli_regulator_added" if done.created else "cli_regulator_updated", "zh",
                id=reg.id, name=reg.name, scope=f"{reg.district}{reg.street}",
                phone=mask_phones(reg.phone), communities=done.communities))
    return 0
