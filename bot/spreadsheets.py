"""Read a CSV or XLSX file into a header and numbered rows (handlers.imports.Sheet).

CSV comes from Excel/WPS as UTF-8 (with or without BOM) or, on Chinese Windows, as GBK;
GB18030 is GBK's superset, so it decodes every GBK file too. XLSX is read with openpyxl in
read-only mode (streamed, so big files stay cheap) with cached formula values; its cells
keep their types (numbers, dates) and the importers parse them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from handlers.imports import Sheet

ENCODINGS = ("utf-8-sig", "gb18030")


class SpreadsheetError(Exception):
    """The file cannot be read as a spreadsheet; the message is fit for a terminal."""


def read_sheet(path: Path) -> Sheet:
    """The file's first sheet: row 1 is the header, every row keeps its number."""
    if not path.is_file():
        raise SpreadsheetError(f"{path}: 文件不存在")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise SpreadsheetError(f"{path.name}: 不支持旧版 .xls，请在 Excel/WPS 里另存为 .xlsx 或 CSV")
    return read_csv_bytes(path.read_bytes())


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not) first, then GBK/GB18030."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("无法识别文件编码（请另存为 UTF-8 或 GBK 编码的 CSV）")


def read_csv_bytes(data: bytes) -> Sheet:
    """A CSV file's bytes as a Sheet; tab-separated text (pasted from Excel) works too."""
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _sheet((number, list(cells)) for number, cells in enumerate(records, 1))


def _read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook  # only this path needs it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged or foreign file
        raise SpreadsheetError(f"{path.name}: 不是有效的 xlsx 文件（{type(err).__name__}）") from err
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        return _sheet((number, list(cells)) for number, cells in enumerate(rows, 1))
    finally:
        workbook.close()


def _sheet(rows: Iterable[tuple[int, list[object]]]) -> Sheet:
    numbered = list(rows)
    if not numbered:
        raise SpreadsheetError("文件是空的")
    _, header = numbered[0]
    return Sheet(header=["" if h is None else str(h) for h in header], rows=numbered[1:])
