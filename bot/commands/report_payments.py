"""`report payments --date YYYY-MM-DD --out FILE [--company NAME]`: the day's online
payments, refunds and reconciliation mismatches as an XLSX workbook."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.app import App
from handlers.office.payments_report import PaymentsReport, payments_report


def register_report(kinds: argparse._SubParsersAction) -> None:
    """Add `report payments`."""
    cmd = kinds.add_parser("payments", help="a day's WeChat Pay payments, refunds and mismatches (XLSX)")
    cmd.add_argument("--date", required=True, help="the day, YYYY-MM-DD (local time)")
    cmd.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")
    cmd.add_argument("--company", help="only this company (default: all)")
    cmd.set_defaults(func=_run)


def _run(args: argparse.Namespace, app: App) -> int:
    try:
        day = date.fromisoformat(args.date)
    except ValueError:
        print(f"wuye: --date {args.date!r} is not YYYY-MM-DD", file=sys.stderr)
        return 2
    with app.deps.uow() as uow:
        company_id = None
        if args.company:
            company = uow.payments.company_by_name(args.company)
            if company is None:
                print(f"wuye: no company named {args.company!r}", file=sys.stderr)
                return 1
            company_id = company.id
        report = payments_report(uow, day, ZoneInfo(app.settings.timezone), company_id)
    write_xlsx(report, args.out)
    print(f"{args.out}: {len(report.payments)} payments ({report.collected} 元), "
          f"{len(report.refunds)} refunds, {len(report.mismatches)} mismatches")
    return 0


def write_xlsx(report: PaymentsReport, path: Path) -> None:
    """Three sheets: 对账差异, 收款, 退款 (amounts in yuan as numbers, two decimals)."""
    book = Workbook()
    sheets = [
        ("对账差异", ["类型", "单号", "微信单号", "微信金额", "本地金额", "说明", "商户号"], report.mismatches),
        ("收款", ["订单号", "房屋", "金额", "微信支付单号", "支付时间", "商户号"], report.payments),
        ("退款", ["退款单号", "订单号", "金额", "状态", "原因", "操作人"], report.refunds),
    ]
    for index, (title, header, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append([f"{report.day.isoformat()} {title}"])
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for column in sheet.iter_cols(min_row=3):
            for cell in column:
                if cell.value is not None and not isinstance(cell.value, str):
                    cell.number_format = "0.00"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
