"""Small helpers shared by capabilities: locale detection, masking, money formatting."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def mask_phones(text: str) -> str:
    """13812345678 → 138****5678, for logs and audit details."""
    return _PHONE.sub(r"\1****\3", text)


def detect_locale(text: str) -> str:
    """English when the owner writes English letters and no Chinese; otherwise Chinese."""
    if _CJK.search(text):
        return "zh"
    return "en" if len(_LATIN.findall(text)) >= 2 else "zh"


def yuan(amount: Decimal) -> str:
    """A Decimal amount as `1,234.50`."""
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
