"""A spreadsheet as the import use cases see it, its columns, and the errors found in it.

Row numbers are the spreadsheet's own (the header is row 1), so a message points at the
cell a person can find in Excel/WPS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import handlers.texts.imports  # noqa: F401 - registers the import texts
from handlers.texts import t

T = TypeVar("T")
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

    def add(self, row: int, column: str, key: str, **params: object) -> None:
        if len(self.errors) >= self.limit:
            self.more = True
            return
        self.errors.append(RowError(row, column, key, params))

    @property
    def full(self) -> bool:
        return self.more

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportRejectedError(self.errors, self.more)


def _norm(header: object) -> str:
    text = str(header or "").replace("\ufeff", "").strip().lower()
    text = re.sub(r"[（(【\[].*?[)）】\]]", "", text)  # 面积（㎡） → 面积
    return re.sub(r"[\s*＊:：]", "", text)


@dataclass
class Columns:
    """Where each field sits in the file, and the header text the file uses for it."""

    index: dict[str, int]
    labels: dict[str, str]

    def has(self, name: str) -> bool:
        return name in self.index


def map_header(sheet: Sheet, columns: tuple[Column, ...], errors: Collector) -> Columns:
    """Match the header row to `columns`; a missing or doubled column is a row-1 error."""
    lookup = {_norm(alias): col for col in columns for alias in (col.field, col.label, *col.aliases)}
    found = Columns({}, {})
    for position, header in enumerate(sheet.header):
        col = lookup.get(_norm(header))
        if col is None:
            continue  # extra columns (备注…) are ignored
        if col.field in found.index:
            errors.add(1, str(header).strip(), "import_column_twice")
            continue
        found.index[col.field] = position
        found.labels[col.field] = str(header).strip()
    for col in columns:
        if col.required and col.field not in found.index:
            errors.add(1, "", "import_missing_column", column=col.label)
    return found


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


@dataclass
class Row:
    """One data row being validated; `ok` turns False at its first error."""

    number: int
    cells: list[object]
    columns: Columns
    errors: Collector
    ok: bool = True

    def raw(self, name: str) -> object:
        position = self.columns.index.get(name)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def label(self, name: str) -> str:
        return self.columns.labels.get(name, name)

    def fail(self, name: str, key: str, **params: object) -> None:
        """Record an error on this row's `name` column."""
        self.ok = False
        self.errors.add(self.number, self.label(name) if name else "", key, **params)

    def get(self, name: str, parse: Callable[[object], T], required: bool = True) -> T | None:
        """The parsed cell, or None when blank (an error if required) or refused."""
        value = self.raw(name)
        if is_blank(value):
            if required:
                self.fail(name, "import_empty")
            return None
        try:
            return parse(value)
        except CellError as bad:
            self.fail(name, bad.key, **bad.params)
            return None


def each_row(
    sheet: Sheet, columns: Columns, errors: Collector, progress: Progress | None = None,
) -> Iterator[Row]:
    """The rows that hold anything (blank lines are not errors), until errors are too many."""
    data = [(n, cells) for n, cells in sheet.rows if not all(is_blank(c) for c in cells)]
    if not data:
        errors.add(2, "", "import_no_rows")
    for done, (number, cells) in enumerate(data, 1):
        yield Row(number, cells, columns, errors)
        if errors.full:
            return
        if progress and (done % 1000 == 0 or done == len(data)):
            progress("validate", done, len(data))


def ticker(progress: Progress | None, stage: str, total: int) -> Callable[[int], None]:
    """A callback that adds `n` to a running count and reports it to `progress`."""
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(stage, done, total)

    return advance
