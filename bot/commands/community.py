"""`community set NAME [--service-phone P] [--emergency-phone P] [--desk-hours H] [--district D]
[--street S] [--heating-provider "北京热力 96069"]` and `community show NAME`."""

from __future__ import annotations

import argparse
import sys

from bot.app import App
from handlers.errors import DomainError
from handlers.imports.sheet import CellError
from handlers.office.community_settings import CommunityChanges, parse_changes, set_community
from handlers.texts import t

OPTIONS = (
    ("--service-phone", "service_phone", "the property service centre's phone"),
    ("--emergency-phone", "emergency_phone", "the property's 24-hour emergency line ('-' clears it)"),
    ("--desk-hours", "front_desk_hours", "front desk hours, e.g. 08:00-20:00"),
    ("--district", "district", "district (区), e.g. 朝阳区"),
    ("--street", "street", "street office (街道) that supervises it"),
    ("--heating-provider", "heating_provider", "who answers for heating, e.g. \"北京热力 96069\" ('-': own staff)"),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `community set` and `community show`."""
    cmd = subparsers.add_parser("community", help="a community's phones, desk hours, district, street, heating")
    sub = cmd.add_subparsers(dest="community_command", required=True)
    setter = sub.add_parser("set", help="change a community's settings (blank options stay as they are)")
    setter.add_argument("name", help="the community's name, e.g. 望京花园")
    for flag, dest, text in OPTIONS:
        setter.add_argument(flag, dest=dest, metavar="VALUE", help=text)
    setter.set_defaults(func=run_set)
    show = sub.add_parser("show", help="print a community's settings")
    show.add_argument("name")
    show.set_defaults(func=run_show)


def run_set(args: argparse.Namespace, app: App) -> int:
    """Check every value first, then change them in one transaction and print what changed."""
    raw = {dest: getattr(args, dest) for _, dest, _ in OPTIONS}
    try:
        changes: CommunityChanges = parse_changes(raw)
    except CellError as err:
        return _fail(t("cli_community_bad_value", option=_option_of(err, raw), reason=t(err.key, **err.params)))
    if not changes.items():
        return _fail(t("cli_community_nothing"))
    with app.deps.uow() as uow:
        try:
            community, changed = set_community(uow, args.name, changes, "cli", app.deps.clock())
        except DomainError as err:
            return _fail(t(err.text_key, **err.params))
        uow.commit()
        for field, (old, new) in changed.items():
            print(t("cli_community_changed", community=community.name, field=field,
                    old=old or "-", new=new or "-"))
        if not changed:
            print(t("cli_community_unchanged", community=community.name))
    return 0


def run_show(args: argparse.Namespace, app: App) -> int:
    """Print the settings of one community."""
    with app.deps.uow() as uow:
        community = uow.org.community_by_name(args.name.strip())
        if community is None:
            return _fail(t("community_not_found", name=args.name))
        print(t("cli_community_show", community=community.name,
                **{dest: getattr(community, dest) or "-" for _, dest, _ in OPTIONS}))
    return 0


def _option_of(err: CellError, raw: dict[str, str | None]) -> str:
    """The flag whose value failed (the first one that does not parse on its own)."""
    for flag, dest, _ in OPTIONS:
        if raw.get(dest) is None:
            continue
        try:
            parse_changes({dest: raw[dest]})
        except CellError:
            return flag
    return ""


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1
