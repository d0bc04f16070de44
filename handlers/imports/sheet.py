"""A spreadsheet as the import use cases see it, its columns, and the errors found in it.

Row numbers are the spreadsheet's own (the header is row 1), so a message points at the
cell a person can find in Excel/WPS.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import handlers.texts.imports  # noqa: F401 - registers the import texts
from handlers.texts import t

MAX_ERRORS = 20  # enough to fix a batch, few enough to read in a terminal
Progress = Callable[[str, int, int], None]  # (stage "validate"/"write", done, total)


@dataclass(frozen=True)
class Sheet:
    """A header and data rows; each row keeps its spreadsheet row number."""

    header: list[str]
    rows: list[tuple[int, list[object]]]


@dataclass(frozen=True)
class Column:
    """One expected column: our field name, its Chinese label, and accepted headers."""

    field: str
    label: str
    aliases: tuple[str, ...]
    required: bool = True


class CellError(Exception):
    """A cell value a parser refuses; `key` names the reason in texts, `params` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header as written in the file ("" when the row as a whole is wrong)
    key: str
    params: dict[str, object] = field(default_factory=dict)

    def render(self, locale: str = "zh") -> str:
        """`第7行 “面积” 列：不是数字 “八十”`."""
        reason = t(self.key, locale, **self.params)
        if self.column:
            return t("import_cell_error", locale, row=self.row, column=self.column, reason=reason)
        return t("import_row_error", locale, row=self.row, reason=reason)


class ImportRejectedError(Exception):
    """The file was refused as a whole; nothing of it was written."""

    def __init__(self, errors: list[RowError], more: bool = False) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors
        self.more = more

    def lines(self, locale: str = "zh") -> list[str]:
        """The messages to show, one per error, with a note when some were left out."""
        out = [error.render(locale) for error in self.errors]
        if self.more:
            out.append(t("import_more_errors", locale, limit=MAX_ERRORS))
        return out


class Collector:
    """Collects up to MAX_ERRORS errors and remembers whether there were more."""

    def __init__(self, limit: int = MAX_ERRORS) -> None:
        self.errors: list[RowError] = []
        self.more = False
        self.limit = limit
        self.labels: dict[str, str] = {}  # field → the header the file uses (set by map_header)

    def add(self, row: int, column: str, key: str, **params: object) -> None:
        if len(self.errors) >= self.limit:
            self.more = True
            return
        self.errors.append(RowError(row, column, key, params))

    def fail(self, row: int, name: str, key: str, **params: object) -> None:
        """An error on field `name` of spreadsheet row `row`, named by the file's header."""
        self.add(row, self.labels.get(name, name) if name else "", key, **params)

    @property
    def full(self) -> bool:
        return self.more

    def raise_if_any(self) -> None:
        if self.errors:  # by row, whichever pass (cells, then database lookups) found them
            raise ImportRejectedError(sorted(self.errors, key=lambda e: e.row), self.more)


def _norm(header: object) -> str:
    text = str(header or "").replace("\ufeff", "").strip().lower()
    text = re.sub(r"[（(【\[].*?[)）】\]]", "", text)  # 面积（㎡） → 面积
    return re.sub(r"[\s*＊:：]", "", text)


def map_header(sheet: Sheet, columns: tuple[Column, ...], errors: Collector) -> dict[str, int]:
    """Field → position from the header row; a missing or doubled column is a row-1 error."""
    lookup = {_norm(alias): col for col in columns for alias in (col.field, col.label, *col.aliases)}
    index: dict[str, int] = {}
    for position, header in enumerate(sheet.header):
        col = lookup.get(_norm(header))
        if col is None:
            continue  # extra columns (备注…) are ignored
        if col.field in index:
            errors.add(1, str(header).strip(), "import_column_twice")
            continue
        index[col.field] = position
        errors.labels[col.field] = str(header).strip()
    for col in columns:
        if col.required and col.field not in index:
            errors.add(1, "", "import_missing_column", name=col.label)
    return index


def is_blank(value: object) -> bool:
    """None, empty or whitespace-only text."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text: 501 and 501.0 (Excel numbers) both become `501`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _has_content(cells: list[object]) -> bool:
    try:
        return bool("".join(cells).strip())  # type: ignore[arg-type]  # CSV: all text, fast
    except TypeError:  # Excel: numbers, dates, None
        return not all(is_blank(c) for c in cells)


# A field to read: name, parser (raw cell → value, or raises CellError), required.
Field = tuple[str, Callable[[object], object], bool]


def parse_rows(
    sheet: Sheet, columns: tuple[Column, ...], fields: tuple[Field, ...], errors: Collector,
    progress: Progress | None = None,
) -> list[tuple[int, tuple[object, ...]]]:
    """The rows without cell errors as (row number, values in `fields` order).

    Column by column, and each distinct cell once: a sheet repeats its community, items,
    periods and dates thousands of times. Blank optional cells become None; blank lines
    are skipped. A missing or doubled column raises at once (row errors would be noise).
    """
    index = map_header(sheet, columns, errors)
    errors.raise_if_any()
    data = [(n, cells) for n, cells in sheet.rows if _has_content(cells)]
    if not data:
        errors.add(2, "", "import_no_rows")
    parsed: list[list[object]] = []
    bad: list[tuple[int, int, str, CellError]] = []  # (row index, field order, field, error)
    for order, (name, parse, required) in enumerate(fields):
        position = index.get(name)
        raw = [cells[position] if position is not None and position < len(cells) else None
               for _, cells in data]
        cache = {value: _parse_cell(value, parse, required) for value in set(raw)}
        column = [cache[value] for value in raw]
        bad.extend((i, order, name, v) for i, v in enumerate(column) if type(v) is CellError)
        parsed.append(column)
        if progress:
            progress("validate", len(data) * (order + 1) // len(fields), len(data))
    for i, _order, name, error in sorted(bad, key=lambda b: (b[0], b[1])):
        errors.fail(data[i][0], name, error.key, **error.params)
    failed = {i for i, *_ in bad}
    return [(data[i][0], values) for i, values in enumerate(zip(*parsed, strict=True))
            if i not in failed]


def _parse_cell(value: object, parse: Callable[[object], object], required: bool) -> object:
    if is_blank(value):
        return CellError("import_empty") if required else None
    try:
        return parse(value)
    except CellError as bad:
        return bad


def ticker(progress: Progress | None, stage: str, total: int) -> Callable[[int], None]:
    """A callback that adds `n` to a running count and reports it to `progress`."""
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(stage, done, total)

    return advance
