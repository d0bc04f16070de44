"""Spreadsheet imports: homes and owners, bills, staff — channel-agnostic use cases.

Each import validates the whole sheet first and raises `ImportRejectedError` (listing up to
MAX_ERRORS row/column errors) before it writes anything; on success it has written into
the caller's unit of work, which the caller commits.
"""

from __future__ import annotations

from collections.abc import Callable

from handlers.imports.bills import import_bills
from handlers.imports.bulk import Counts, ImportSummary
from handlers.imports.expenses import import_expenses, import_fund
from handlers.imports.sheet import MAX_ERRORS, ImportRejectedError, Progress, RowError, Sheet
from handlers.imports.staff import import_staff
from handlers.imports.units import import_units

# kind → use case `(uow, sheet, now, progress=None, actor="cli", source="") -> ImportSummary`
IMPORTERS: dict[str, Callable[..., ImportSummary]] = {
    "units": import_units,
    "bills": import_bills,
    "staff": import_staff,
    "expenses": import_expenses,
    "fund": import_fund,
}

__all__ = [
    "IMPORTERS", "MAX_ERRORS", "Counts", "ImportRejectedError", "ImportSummary", "Progress",
    "RowError", "Sheet", "import_bills", "import_staff", "import_units",
]
