"""The monthly quality report as XLSX (openpyxl, with a native bar chart) and as PDF
(reportlab, with the built-in STSong-Light CID font so Chinese needs no font file).

Both show the same figures as `GET /console/api/supervision/metrics` (they come from
handlers.supervision.metrics through handlers.supervision.report).
"""

from __future__ import annotations

from pathlib import Path

from handlers.supervision.report import COLUMNS, QualityReport, cell

CHART_RATES = (("response_rate", "响应率"), ("resolution_rate", "解决率"), ("satisfaction_rate", "满意率"))
FONT = "STSong-Light"


def write(report: QualityReport, path: Path) -> None:
    """XLSX or PDF by the file's suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".pdf":
        write_pdf(report, path)
    else:
        write_xlsx(report, path)


def _rows(items: list[dict[str, object]], name_key: str) -> list[list[object]]:
    return [[item[name_key], *[item.get(key) for key, _, _ in COLUMNS]] for item in items]


def write_xlsx(report: QualityReport, path: Path) -> None:
    """Sheets 企业 (with a bar chart of the three rates), 小区, 红黑榜, 督办与整改."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    book = Workbook()
    headings = [h for _, h, _ in COLUMNS]
    for index, (title, name_key, items) in enumerate((
        ("企业", "company", report.companies), ("小区", "community", report.communities),
    )):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append([report.title])
        sheet.append(["企业" if name_key == "company" else "小区", *headings])
        for c in sheet[2]:
            c.font = Font(bold=True)
        for row in _rows(items, name_key):
            sheet.append(row)
        for col, (_, _, kind) in enumerate(COLUMNS, start=2):
            if kind == "rate":
                for (c,) in sheet.iter_rows(min_row=3, min_col=col, max_col=col):
                    c.number_format = "0.0%"
    companies = book["企业"]
    if report.companies:
        chart = BarChart()
        chart.title, chart.y_axis.title = "响应率 / 解决率 / 满意率", "比例"
        for key, _ in CHART_RATES:
            col = 2 + [k for k, _, _ in COLUMNS].index(key)
            data = Reference(companies, min_col=col, min_row=2, max_row=2 + len(report.companies))
            chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(companies, min_col=1, min_row=3, max_row=2 + len(report.companies)))
        companies.add_chart(chart, f"B{len(report.companies) + 5}")
    lists = book.create_sheet("红黑榜")
    lists.append(["榜单", "企业", "工单", "响应率", "解决率", "满意率", "综合"])
    for name, rows in (("红榜", report.red), ("黑榜", report.black)):
        for r in rows:
            lists.append([name, r["company"], r["tickets"], r["response_rate"],
                          r["resolution_rate"], r["satisfaction_rate"], r["score"]])
    summary = book.create_sheet("督办与整改")
    summary.append(["本月新增督办", report.cases_opened])
    summary.append(["本月办结督办", report.cases_closed])
    for status, count in sorted(report.rectifications.items()):
        summary.append([f"整改通知（{status}）", count])
    book.save(path)


def write_pdf(report: QualityReport, path: Path) -> None:
    """A4 landscape: title, the company table, a bar chart of the three rates, the lists."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("t", fontName=FONT, fontSize=16, leading=22)
    body = ParagraphStyle("b", fontName=FONT, fontSize=10, leading=14)
    story: list[object] = [Paragraph(report.title, title), Spacer(1, 8)]
    for heading, name_key, items in (("企业", "company", report.companies),
                                     ("小区", "community", report.communities)):
        header = [heading, *[h for _, h, _ in COLUMNS]]
        rows = [[str(item[name_key]), *[cell(item.get(k), kind) for k, _, kind in COLUMNS]]
                for item in items]
        table = Table([header, *rows], repeatRows=1)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 7),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ]))
        story += [table, Spacer(1, 10)]
    if report.companies:
        story += [_chart(report), Spacer(1, 10)]
    lines = [f"红榜：{'、'.join(str(r['company']) for r in report.red) or '无'}",
             f"黑榜：{'、'.join(str(r['company']) for r in report.black) or '无'}",
             f"本月新增督办 {report.cases_opened} 件，办结 {report.cases_closed} 件；整改通知 "
             + ("、".join(f"{k} {v}" for k, v in sorted(report.rectifications.items())) or "无")]
    story += [Paragraph(line, body) for line in lines]
    SimpleDocTemplate(str(path), pagesize=landscape(A4), title=report.title).build(story)


def _chart(report: QualityReport) -> object:
    """Grouped bars: the three rates (percent) per company."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    drawing = Drawing(700, 220)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, 520, 170
    chart.data = [[float(c[key] or 0) * 100 for c in report.companies] for key, _ in CHART_RATES]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.categoryAxis.categoryNames = [str(c["company"])[:10] for c in report.companies]
    chart.categoryAxis.labels.fontName = FONT
    palette = (colors.steelblue, colors.seagreen, colors.orange)
    for index, color in enumerate(palette):
        chart.bars[index].fillColor = color
    legend = Legend()
    legend.x, legend.y, legend.fontName = 580, 180, FONT
    legend.colorNamePairs = [(palette[i], name) for i, (_, name) in enumerate(CHART_RATES)]
    drawing.add(chart)
    drawing.add(legend)
    return drawing
