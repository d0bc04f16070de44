"""`report finance --community NAME --month YYYY-MM --out FILE`: a community's monthly income
and spending as XLSX or PDF (by the file's suffix)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import App
from bot.finance_report import write
from handlers.errors import DomainError
from handlers.office.books import community_month
from handlers.office.ops_access import OPERATOR
from handlers.texts import t


def register_report(kinds: argparse._SubParsersAction) -> None:
    """Add `report finance`."""
    cmd = kinds.add_parser("finance", help="a community's monthly income and spending (XLSX or PDF)")
    cmd.add_argument("--community", required=True, help="community name or id")
    cmd.add_argument("--month", required=True, help="YYYY-MM (local time)")
    cmd.add_argument("--out", required=True, type=Path, help=".xlsx or .pdf")
    cmd.set_defaults(func=_run)


def _run(args: argparse.Namespace, app: App) -> int:
    with app.deps.uow() as uow:
        try:
            summary = community_month(uow, OPERATOR, args.community, args.month, ZoneInfo(app.settings.timezone))
        except DomainError as err:
            print(f"wuye: {t(err.text_key, **err.params)}", file=sys.stderr)
            return 1
        write(summary, args.out)
    print(f"{args.out}: income {summary.income_total} 元, spending {summary.expense_total} 元, "
          f"{len(summary.lines)} expense lines")
    return 0
