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
    text = _COMMAND.sub("", text)  # Telegram's `/start CODE`: a command, not English
    # Codes and numbers (AB12CD34, R20261127001) and keyboard noise (asdfghjkl) are no words.
    words = [w.lower() for w in _TOKEN.findall(text) if w.isalpha() and not _noise(w.lower())]
    letters = sum(len(w) for w in words)
    neutral = letters < 2 or all(w in _BOTH_LANGUAGES for w in words)
    if neutral and previous:
        return previous
    return "en" if letters >= 2 and not neutral else "zh"


_TOKEN = re.compile(r"[A-Za-z0-9]+")
_COMMAND = re.compile(r"^\s*/[A-Za-z_]+")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")


def _noise(word: str) -> bool:
    """Keyboard mashing: a run along a keyboard row, or no word-like vowels at all."""
    if len(word) >= 4 and any(word in row for row in _KEYBOARD_ROWS):
        return True
    return bool(_CONSONANT_RUN.search(word)) or (len(word) > 3 and not re.search(r"[aeiouy]", word))


def yuan(amount: Decimal) -> str:
    """A Decimal amount as `1,234.50`."""
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
