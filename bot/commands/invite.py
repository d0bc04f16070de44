"""`invite --home 望京花园/3-2-501 | --staff PHONE | --community NAME --all`: binding codes.

The code is always the last line of the output, so scripts can take `tail -n 1`; `--all`
writes `home,code` CSV to stdout for the letters.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from datetime import datetime

from bot.app import App
from handlers.binding import issue_invite, issue_invites_for_community
from handlers.errors import NotFound
from handlers.imports import values
from handlers.imports.keys import home_label, staff_by_phone
from handlers.imports.sheet import CellError
from handlers.texts import t
from storage.uow import UnitOfWork


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `invite`."""
    cmd = subparsers.add_parser("invite", help="issue single-use binding codes for owners or staff")
    target = cmd.add_mutually_exclusive_group(required=True)
    target.add_argument("--home", metavar="COMMUNITY/HOME", help="e.g. 望京花园/3-2-501")
    target.add_argument("--staff", metavar="PHONE", help="a staff member's registered phone")
    target.add_argument("--community", metavar="NAME", help="with --all: every home, as CSV")
    cmd.add_argument("--all", action="store_true", help="with --community: a code for every home")
    cmd.add_argument("--days", type=int, help="validity in days (default: 90)")
    cmd.set_defaults(func=run_invite)


def run_invite(args: argparse.Namespace, app: App) -> int:
    """Issue the code(s) in one transaction and print them."""
    days = args.days or app.deps.settings.invite_ttl_days
    if days < 1:
        return _fail("--days must be at least 1")
    if args.community and not args.all:
        return _fail(t("cli_invite_all_needs_flag"))
    now = app.deps.clock()
    with app.deps.uow() as uow:
        if args.home:
            status = _for_home(uow, args.home, now, days)
        elif args.staff:
            status = _for_staff(uow, args.staff, now, days)
        else:
            status = _for_community(uow, args.community, now, days)
        if status == 0:
            uow.commit()
    return status


def _for_home(uow: UnitOfWork, target: str, now: datetime, days: int) -> int:
    community, _, raw_label = target.rpartition("/")
    label = home_label(raw_label)
    if not community or label is None:
        return _fail(t("cli_invite_bad_home"))
    place = uow.org.community_by_name(community.strip())
    homes = uow.org.homes_by_label(label, place.id) if place else []
    if not homes:
        return _fail(t("cli_invite_no_home", home=target))
    code = issue_invite(uow, now, home_id=homes[0].id, ttl_days=days)
    print(t("cli_invite_home", community=community.strip(), home=label, days=days))
    print(code)
    return 0


def _for_staff(uow: UnitOfWork, raw_phone: str, now: datetime, days: int) -> int:
    try:
        phone = values.phone(raw_phone)
    except CellError:
        return _fail(t("cli_invite_no_staff", phone=values.mask(raw_phone)))
    found = staff_by_phone(uow.session, phone)
    if not found:
        return _fail(t("cli_invite_no_staff", phone=values.mask(phone)))
    if len(found) > 1:
        names = "、".join(f"{s.name}（{s.company.name}）" for s in found)
        return _fail(t("cli_invite_many_staff", phone=values.mask(phone), names=names))
    staff = found[0]
    code = issue_invite(uow, now, staff_id=staff.id, ttl_days=days)
    print(t("cli_invite_staff", name=staff.name, phone=values.mask(phone),
            company=staff.company.name, days=days))
    print(code)
    return 0


def _for_community(uow: UnitOfWork, name: str, now: datetime, days: int) -> int:
    try:
        issued = issue_invites_for_community(uow, name.strip(), now, ttl_days=days)
    except NotFound:
        return _fail(t("cli_invite_no_community", community=name))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["home", "code"])
    writer.writerows(issued)
    try:
        sys.stdout.write(buffer.getvalue())
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): issue nothing rather than codes nobody printed.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1
