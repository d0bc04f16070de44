"""Chinese numerals → int: positional (五百零二) and digit-by-digit (五零二) readings."""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "幺": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}

# Character class for regexes: one numeral character, Arabic digits not included.
CN_CHARS = "".join(DIGITS) + "".join(UNITS)
# Arabic digits or Chinese numerals, as a regex fragment.
NUM = rf"(?:\d+|[{CN_CHARS}]+)"


def cn_to_int(text: str) -> int | None:
    """Parse a Chinese numeral; None if it is not one.

    Without 十/百/千 the characters are read digit by digit, as room numbers are spoken
    (五零二 → 502, 一一零二 → 1102).
    """
    if not text or any(c not in DIGITS and c not in UNITS for c in text):
        return None
    if not any(c in UNITS for c in text):
        return int("".join(str(DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in DIGITS:
            digit = DIGITS[c]
        else:
            # A bare unit (十二) means one of it.
            total += (1 if digit is None else digit) * UNITS[c]
            digit = None
    return total + (digit or 0)


def to_int(text: str) -> int | None:
    """Parse Arabic digits or a Chinese numeral."""
    if text.isascii() and text.isdigit():
        return int(text)
    return cn_to_int(text)


def to_digits(text: str) -> str | None:
    """Digit string for a number as written: Arabic digits keep leading zeros."""
    if text.isascii() and text.isdigit():
        return text
    value = cn_to_int(text)
    return None if value is None else str(value)
