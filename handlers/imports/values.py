"""Cell parsers: each takes a raw cell (text from CSV, or a typed Excel value) and returns
our value, or raises CellError naming what is wrong with it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from handlers.imports import vocab
from handlers.imports.sheet import CellError, cell_text

MAX_AMOUNT = Decimal("10000000000")  # Money() is NUMERIC(12, 2)
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})-?([2-9]\d{6,7})$")
_PERIOD = re.compile(r"^(\d{4})(?:\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?)?\s*年?$")
_DATE = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug
_MONEY_NOISE = re.compile(r"[\s,，¥￥元]|rmb|cny", re.IGNORECASE)
_AREA_NOISE = re.compile(r"\s|平方米|平米|平|㎡|m²|m2", re.IGNORECASE)


def text(raw: object) -> str:
    """Any cell as trimmed text."""
    return cell_text(raw)


def text_max(limit: int) -> Callable[[object], str]:
    """A parser for text of at most `limit` characters (the column's size in the database)."""

    def parse(raw: object) -> str:
        value = cell_text(raw)
        if len(value) > limit:
            raise CellError("import_too_long", limit=limit)
        return value

    return parse


def building(raw: object) -> str:
    """`3号楼` → `3`."""
    return _short(vocab.building_name(cell_text(raw)))


def unit(raw: object) -> str:
    """`2单元` → `2`."""
    return _short(vocab.unit_name(cell_text(raw)))


def room(raw: object) -> str:
    """`501室` → `501`."""
    return _short(vocab.room_name(cell_text(raw)))


def _short(value: str, limit: int = 20) -> str:
    # Building names, units and rooms are String(20) columns.
    if len(value) > limit:
        raise CellError("import_too_long", limit=limit)
    return value


def mask(value: str) -> str:
    """Keep only the ends of a phone-like value, for messages and logs."""
    digits = value.strip()
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


def phone(raw: object) -> str:
    """An 11-digit mainland mobile (`13812345678`) or a landline with area code (`010-64001234`)."""
    value = cell_text(raw)
    compact = re.sub(r"[\s\-()（）]", "", value)
    compact = re.sub(r"^(?:\+?86)(?=1\d{10}$)", "", compact)
    if _MOBILE.match(compact):
        return compact
    landline = re.sub(r"[\s()（）]", "", value).replace("—", "-")
    if "-" not in landline:  # where the area code ends is known only from the code itself
        landline = _split_area_code(compact)
    match = _LANDLINE.match(landline)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    raise CellError("import_bad_phone", value=mask(value))


def _split_area_code(digits: str) -> str:
    # 01064001234 → 010-64001234: Beijing and 02x codes have three digits, the rest four.
    if not digits.startswith("0"):
        return digits
    size = 3 if digits.startswith(("010", "02")) else 4
    return digits[:size] + "-" + digits[size:]


def decimal(raw: object, noise: re.Pattern[str] = _MONEY_NOISE) -> Decimal:
    """A finite number with at most two decimals (Excel floats are read by their shortest text)."""
    if isinstance(raw, bool):
        raise CellError("import_not_number", value=cell_text(raw))
    if isinstance(raw, int | float | Decimal):
        value_text = repr(raw) if isinstance(raw, float) else str(raw)
    else:
        value_text = noise.sub("", str(raw))
    try:
        value = Decimal(value_text)
    except InvalidOperation:
        raise CellError("import_not_number", value=cell_text(raw)) from None
    if not value.is_finite():
        raise CellError("import_not_number", value=cell_text(raw))
    if abs(value) >= MAX_AMOUNT:  # 1e30: too big for any column, and for quantize() itself
        raise CellError("import_out_of_range", value=cell_text(raw), low=0, high=MAX_AMOUNT - 1)
    if value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):  # type: ignore[operator]
        raise CellError("import_too_many_decimals", value=cell_text(raw))
    return value.quantize(Decimal("0.01"))


def amount(raw: object) -> Decimal:
    """Money in yuan: not negative, at most two decimals, fits the column (< 10 billion)."""
    value = decimal(raw)
    if value < 0:
        raise CellError("import_negative", value=cell_text(raw))
    if value >= MAX_AMOUNT:
        raise CellError("import_out_of_range", value=cell_text(raw), low=0, high=MAX_AMOUNT - 1)
    return value


def area(raw: object) -> Decimal:
    """Floor area in m²: `89.5`, `89.5㎡`, `89.5平米`; between 1 and 10000."""
    value = decimal(raw, _AREA_NOISE)
    if not Decimal("1") <= value <= Decimal("10000"):
        raise CellError("import_area_range", value=cell_text(raw))
    return value


def whole_number(low: int, high: int) -> Callable[[object], int]:
    """A parser for an integer between `low` and `high` (产权年限 70)."""

    def parse(raw: object) -> int:
        value_text = re.sub(r"\s|年", "", cell_text(raw))
        if not value_text.isdigit():
            raise CellError("import_not_whole_number", value=cell_text(raw))
        value = int(value_text)
        if not low <= value <= high:
            raise CellError("import_out_of_range", value=value, low=low, high=high)
        return value

    return parse


def period(raw: object) -> str:
    """`2026-10`, `2026/10`, `2026年10月`, an Excel date → `2026-10`; `2026` → `2026`."""
    if isinstance(raw, datetime | date):
        return f"{raw.year:04d}-{raw.month:02d}"
    match = _PERIOD.match(cell_text(raw))
    if not match:
        raise CellError("import_bad_period", value=cell_text(raw))
    year, month = int(match.group(1)), match.group(2)
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= int(month) <= 12):
        raise CellError("import_bad_period", value=cell_text(raw))
    return f"{year:04d}" if month is None else f"{year:04d}-{int(month):02d}"


def day(raw: object) -> date:
    """`2026-10-31`, `2026/10/31`, `2026年10月31日`, an Excel date cell or serial number."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 20000 <= raw <= 80000:
        return _EXCEL_EPOCH + timedelta(days=int(raw))
    value_text = cell_text(raw)
    match = _DATE.match(value_text.split("T")[0].split(" ")[0])
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise CellError("import_bad_date", value=value_text)


def paid(raw: object) -> bool:
    """是/否, yes/no, 1/0, 已缴/未缴 → True/False."""
    word = cell_text(raw).lower()
    if word in vocab.TRUE_WORDS:
        return True
    if word in vocab.FALSE_WORDS:
        return False
    raise CellError("import_bad_paid", value=cell_text(raw))


def bill_item(raw: object) -> str:
    """物业费 / property_fee → `property_fee`."""
    code = vocab.bill_item(cell_text(raw))
    if code is None:
        raise CellError("import_unknown_item", value=cell_text(raw))
    return code


def role(raw: object) -> str:
    """经理 / 维修 / security → the role code."""
    code = vocab.role(cell_text(raw))
    if code is None:
        raise CellError("import_unknown_role", value=cell_text(raw))
    return code


def categories(raw: object) -> str:
    """`水电, 电梯` → `plumbing,electrical,elevator` (sorted, no repeats); `综合维修` → ``."""
    codes: set[str] = set()
    for word in vocab.split_list(cell_text(raw)):
        found = vocab.repair_categories(word)
        if found is None:
            raise CellError("import_unknown_category", value=word)
        if not found:
            return ""
        codes.update(found)
    return ",".join(sorted(codes))
