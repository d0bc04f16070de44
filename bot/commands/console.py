"""`console password PHONE [--company NAME] [--admin]`: console access for an imported staff member.

The new password is read from standard input (asked twice, unechoed, in a terminal; the
first line otherwise), never from the command line, and nothing secret is printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.app import App
from bot.console.passwords import Argon2Hasher
from handlers.errors import DomainError
from handlers.office.accounts import set_password
from handlers.office.permissions import ROLES
from handlers.texts import t
from handlers.util import mask_phones
from storage.models import Staff


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `console password`."""
    cmd = subparsers.add_parser("console", help="office console accounts")
    sub = cmd.add_subparsers(dest="console_command", required=True)
    pw = sub.add_parser("password", help="set a staff member's console password (read from stdin)")
    pw.add_argument("phone", metavar="PHONE", help="the staff member's phone, as imported")
    pw.add_argument("--company", help="the company, when the phone works for several")
    pw.add_argument("--admin", action="store_true", help="make the account a company administrator")
    pw.set_defaults(func=run_password)


def read_password() -> str | None:
    """The new password: twice without echo in a terminal, else the first stdin line."""
    if sys.stdin.isatty():
        first = getpass.getpass("新密码 / new password: ")
        if getpass.getpass("再输一次 / again: ") != first:
            print("wuye: the two passwords differ", file=sys.stderr)
            return None
        return first
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def run_password(args: argparse.Namespace, app: App) -> int:
    """Create or update the account in one transaction; print who it is for."""
    phone = args.phone.strip()
    password = read_password()
    if password is None:
        return 1
    now = app.deps.clock()
    with app.deps.uow() as uow:
        try:
            account = set_password(uow, Argon2Hasher(), phone, password, now,
                                   company=args.company, admin=args.admin)
        except DomainError as err:
            print(t(err.text_key, "zh", **err.params), file=sys.stderr)
            return 1
        staff = uow.session.get(Staff, account.staff_id) if account.staff_id else None
        uow.commit()
        print(t("console_password_set", phone=mask_phones(phone), name=staff.name if staff else "-",
                role=ROLES.get(account.role, account.role)))
    return 0

