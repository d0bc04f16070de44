"""Small helpers shared by capabilities: locale detection, masking, money formatting."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Latin "words" Chinese typists use too: they say nothing about the language.
_BOTH_LANGUAGES = frozenset({"ok", "okay", "kk", "hh", "hhh", "hhhh", "emm", "emmm", "ps"})


def mask_phones(text: str) -> str:
    """13812345678 → 138****5678, for logs and audit details."""
    return _PHONE.sub(r"\1****\3", text)


def detect_locale(text: str, previous: str | None = None) -> str:
    """English when the owner writes English letters and no Chinese; otherwise Chinese.

    Text that shows no language (a number, a ticket code, emoji, "ok") keeps `previous`: an
    English speaker typing a phone number is still answered in English.
    """
    if _CJK.search(text):
        return "zh"
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    neutral = len(_LATIN.findall(text)) < 2 or all(w in _BOTH_LANGUAGES for w in words)
    if neutral and previous:
        return previous
    return "en" if len(_LATIN.findall(text)) >= 2 else "zh"


def yuan(amount: Decimal) -> str:
    """A Decimal amount as `1,234.50`."""
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
