"""The monthly income and expense report of one community as XLSX (openpyxl) and PDF
(reportlab, built-in STSong-Light CID font: Chinese needs no font file).

Both show handlers.office.books.month_summary — the figures owners get in the chat.
"""

from __future__ import annotations

from pathlib import Path

from handlers import billing_rules as rules
from handlers.office.books import MonthSummary
from handlers.texts import t

FONT = "STSong-Light"
MONEY_FORMAT = "#,##0.00"


def title(summary: MonthSummary) -> str:
    return f"{summary.community} {summary.month} 收支报表"


def tables(summary: MonthSummary) -> tuple[list[list[object]], list[list[object]], list[list[object]]]:
    """(income rows, expense rows, expense lines) with headers; amounts as Decimal."""
    income = [["收入项目", "金额（元）"]]
    income += [[rules.item_name(item, "zh"), amount] for item, amount in summary.income.items()]
    income.append(["收入合计", summary.income_total])
    spending = [["支出类别", "金额（元）"]]
    spending += [[t(f"expense_{cat}"), amount] for cat, amount in summary.expenses.items()]
    spending += [["支出合计", summary.expense_total], ["本月结余", summary.balance]]
    lines = [["日期", "类别", "收款方", "金额（元）", "备注", "发票"]]
    lines += [[e.spent_on.isoformat(), t(f"expense_{e.category}"), e.payee, e.amount, e.note, e.invoice_ref]
              for e in summary.lines]
    return income, spending, lines


def write(summary: MonthSummary, path: Path) -> None:
    """XLSX or PDF by the file's suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".pdf":
        write_pdf(summary, path)
    else:
        write_xlsx(summary, path)


def write_xlsx(summary: MonthSummary, path: Path) -> None:
    """Sheets 汇总 (income by item, spending by category) and 支出明细 (every expense)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    income, spending, lines = tables(summary)
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append([title(summary)])
    sheet["A1"].font = Font(bold=True, size=14)
    for block in (income, spending):
        sheet.append([])
        for row in block:
            sheet.append([float(c) if hasattr(c, "quantize") else c for c in row])
            if row is block[0] or str(row[0]).endswith(("合计", "结余")):
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
            sheet.cell(sheet.max_row, 2).number_format = MONEY_FORMAT
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 16
    detail = book.create_sheet("支出明细")
    for row in lines:
        detail.append([float(c) if hasattr(c, "quantize") else c for c in row])
        detail.cell(detail.max_row, 4).number_format = MONEY_FORMAT
    book.save(path)


def write_pdf(summary: MonthSummary, path: Path) -> None:
    """A4 portrait: title, income table, spending table, the expense lines."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    style = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("ALIGN", (1, 1), (1, -1), "RIGHT"),
    ])
    story: list[object] = [Paragraph(title(summary), ParagraphStyle("t", fontName=FONT, fontSize=16, leading=22)),
                           Spacer(1, 10)]
    income, spending, lines = tables(summary)
    for block in (income, spending):
        table = Table([[_text(c) for c in row] for row in block], colWidths=(160, 120), hAlign="LEFT")
        table.setStyle(style)
        story += [table, Spacer(1, 12)]
    detail = Table([[_text(c)[:24] for c in row] for row in lines], repeatRows=1, hAlign="LEFT")
    detail.setStyle(TableStyle([*style.getCommands()[:4], ("ALIGN", (3, 1), (3, -1), "RIGHT")]))
    story.append(detail)
    SimpleDocTemplate(str(path), pagesize=A4, title=title(summary)).build(story)


def _text(value: object) -> str:
    return f"{value:,.2f}" if hasattr(value, "quantize") else str(value)
