"""`seed --demo [--if-empty]`: fill the database with the demo community."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.app import App
from handlers.demo_seed import seed_demo
from handlers.texts import t

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `seed`."""
    cmd = subparsers.add_parser("seed", help="create demo data (a Beijing community)")
    cmd.add_argument("--demo", action="store_true", help="the demo community 望京花园 (required)")
    cmd.add_argument("--if-empty", action="store_true",
                     help="do nothing when any community exists (safe on every start)")
    cmd.set_defaults(func=run_seed)


def run_seed(args: argparse.Namespace, app: App) -> int:
    """Seed in one transaction; 0 when created or skipped, 1 when the demo exists already."""
    if not args.demo:
        print(t("seed_needs_demo"), file=sys.stderr)
        return 2
    with app.deps.uow() as uow:
        result = seed_demo(uow, app.deps.clock(), if_empty=args.if_empty)
        uow.commit()
    if result.status == "skipped":
        print(t("seed_skipped"))
        return 0
    if result.status == "exists":
        print(t("seed_exists", community=result.community), file=sys.stderr)
        return 1
    print(t("seed_done", community=result.community, homes=result.homes, owners=result.owners,
            bills=result.bills, tickets=result.tickets, home=result.demo_home))
    log.info("demo seed: %s homes, %s bills", result.homes, result.bills)
    return 0
