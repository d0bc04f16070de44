"""`import units|bills|staff FILE`: load a CSV/XLSX spreadsheet; all of it or nothing."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.app import App
from bot.spreadsheets import SpreadsheetError, read_sheet
from handlers.imports import IMPORTERS, ImportRejectedError
from handlers.imports.sheet import Progress as ProgressCallback
from handlers.texts import t
from handlers.util import mask_phones

log = logging.getLogger(__name__)
BIG_FILE_ROWS = 2000  # below this an import takes a blink; no bar
STAGES = {"validate": "检查", "write": "写入"}
KINDS = {
    "units": "房屋与业主：小区,楼号,单元,房号,面积,业主,电话[,产权年限,物业公司]",
    "bills": "账单：小区,楼号,单元,房号,收费项目,账期,金额,截止日期[,是否已缴]",
    "staff": "员工：物业公司,姓名,电话,岗位[,维修类别,负责楼栋]",
    "expenses": "支出：小区,类别,金额,日期[,收款方,备注,发票]",
    "fund": "维修资金对账单：小区,日期,类型(存入/支出/利息),金额,摘要[,批准]",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `import` and its kinds."""
    cmd = subparsers.add_parser("import", help="import a spreadsheet (CSV/XLSX): units, bills, staff")
    kinds = cmd.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    for kind, help_text in KINDS.items():
        sub = kinds.add_parser(kind, help=help_text)
        sub.add_argument("file", type=Path, metavar="FILE", help=".csv (UTF-8 or GBK) or .xlsx")
        sub.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        sub.set_defaults(func=run_import)


def run_import(args: argparse.Namespace, app: App) -> int:
    """Read, validate, write in one transaction; print the summary or every row error."""
    kind: str = args.import_kind
    try:
        sheet = read_sheet(args.file)
    except (SpreadsheetError, OSError) as err:
        _err(t("import_unreadable", reason=str(err)))
        return 1
    now = app.deps.clock()
    with _progress(len(sheet.rows)) as progress, app.deps.uow() as uow:
        try:
            summary = IMPORTERS[kind](uow, sheet, now, progress=progress, actor="cli",
                                      source=f"{kind}:{args.file.name}")
        except ImportRejectedError as rejected:
            _err(t("import_rejected"))
            for line in rejected.lines():
                _err(line)
            log.info("import %s refused: %d errors", kind, len(rejected.errors))
            return 1
        if not args.dry_run:
            uow.commit()
    for line in summary.lines():
        print(mask_phones(line))
    if args.dry_run:
        print(t("import_dry_run"))
    log.info("import %s %s: %s", kind, mask_phones(args.file.name),
             {entity: vars(c) for entity, c in summary.counts.items()})
    return 0


def _err(line: str) -> None:
    print(mask_phones(line), file=sys.stderr)


@contextmanager
def _progress(rows: int) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on stderr for big files in a terminal; None otherwise."""
    console = Console(stderr=True)
    if rows < BIG_FILE_ROWS or not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks = {stage: bar.add_task(label, total=rows) for stage, label in STAGES.items()}

        def report(stage: str, done: int, total: int) -> None:
            bar.update(tasks[stage], completed=done, total=total)

        yield report
