"""`report quality --month YYYY-MM --district NAME [--street NAME] --out FILE`: the monthly
service-quality report (XLSX, or PDF when FILE ends in .pdf) with charts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.app import App
from bot.quality_report import write
from handlers.errors import DomainError
from handlers.supervision.report import quality_report
from handlers.supervision.scope import RegulatorScope
from handlers.texts import t


def register_report(kinds: argparse._SubParsersAction) -> None:
    """Add `report quality`."""
    cmd = kinds.add_parser("quality", help="a district's monthly service-quality report (XLSX or PDF)")
    cmd.add_argument("--month", required=True, help="YYYY-MM (local time)")
    cmd.add_argument("--district", required=True, help="e.g. 朝阳区")
    cmd.add_argument("--street", default="", help="only this street office's communities")
    cmd.add_argument("--out", required=True, type=Path, help="the .xlsx or .pdf file to write")
    cmd.set_defaults(func=_run)


def _run(args: argparse.Namespace, app: App) -> int:
    scope = RegulatorScope(args.district.strip(), args.street.strip())
    deps = app.deps
    with deps.uow() as uow:
        try:
            report = quality_report(uow, scope, args.month, deps.clock(), deps.settings.supervision,
                                    deps.settings.timezone)
        except DomainError as err:
            print("wuye: " + t(err.text_key, "zh", **err.params), file=sys.stderr)
            return 2
    write(report, args.out)
    print(f"{args.out}: {report.title}, {len(report.companies)} companies, "
          f"{len(report.communities)} communities")
    return 0
