"""Text normalisation: a length-preserving pass for entity offsets, a lossy one for features."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# Longer inputs are cut before anything else runs: no owner types 1,000 characters, and the
# classifier and the regexes must stay fast on a pasted novel or a binary blob.
MAX_CHARS = 1000


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """One `str.translate` table: full-width→ASCII, Traditional→Simplified, controls→space.

    Only one-to-one character pairs from OpenCC's data are taken (no phrase rewrites) so the
    mapping keeps string length and entity offsets stay valid for the original text.
    """
    table: dict[int, str] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "  # ideographic space
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        if chr(code) not in "\n\t":
            table[code] = " "
    try:
        import opencc

        path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):
        lines = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        src, dst = parts[0], parts[1].split(" ")[0]
        if len(src) == 1 and len(dst) == 1 and src != dst:
            table[ord(src)] = dst
    table[ord("〇")] = "零"  # voice input writes 〇 for the digit zero
    return table


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def canonical(text: str) -> str:
    """Length-preserving normalisation: full-width→ASCII, Traditional→Simplified, lowercase.

    `canonical(text)[i]` always corresponds to `text[i]`, so spans found here are spans of
    the original text.
    """
    s = _SURROGATE_RE.sub(" ", text.translate(_table()))
    low = s.lower()
    if len(low) == len(s):
        return low
    # A few code points (e.g. 'İ') lowercase to two characters; keep those as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


# Homophone typos from pinyin input, fixed for classification only (entities have their own
# tolerant patterns). Keys are checked on canonical text.
_TYPO_FIXES: tuple[tuple[str, str], ...] = (
    ("物业废", "物业费"), ("物业肺", "物业费"), ("交废", "交费"), ("缴废", "缴费"),
    ("水废", "水费"), ("电废", "电费"), ("电题", "电梯"), ("电踢", "电梯"), ("漏谁", "漏水"),
    ("滞纳经", "滞纳金"), ("维修鸡金", "维修基金"), ("维修几金", "维修基金"), ("保结", "保洁"),
    ("暖器", "暖气"), ("投述", "投诉"), ("抱修", "报修"), ("报休", "报修"), ("物叶", "物业"),
    ("停车废", "停车费"), ("燃气废", "燃气费"), ("取暖废", "取暖费"), ("缴非", "缴费"),
)
_TYPO_RE = re.compile("|".join(re.escape(k) for k, _ in _TYPO_FIXES))
_TYPO_MAP = dict(_TYPO_FIXES)
_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")
_REPEAT_RE = re.compile(r"(.)\1{2,}")
_SPACE_RE = re.compile(r"\s+")
_LATIN_WORD_RE = re.compile(r"[a-z][a-z']*")


def fix_typos(text: str) -> str:
    """电题 → 电梯, 报休 → 报修: the pinyin typos above, fixed; length-preserving.

    Every pair has the same length, so offsets found in the result hold for `text`. Keys are
    Simplified and lower-case: pass `canonical(text)` for Traditional or full-width input.
    """
    return _TYPO_RE.sub(lambda m: _TYPO_MAP[m.group(0)], text)


def _is_content(ch: str) -> bool:
    """True for letters, digits and CJK; False for punctuation, symbols, emoji, spaces."""
    cat = unicodedata.category(ch)
    return cat[0] in ("L", "N")


def has_content(text: str) -> bool:
    """Whether the text has any letter, digit or CJK character at all."""
    return any(_is_content(c) for c in text[:MAX_CHARS])


def _char_class(ch: str) -> int:
    """+1 for text we read (CJK, printable ASCII), 0 for emoji and symbols, -1 for noise."""
    code = ord(ch)
    if 0x20 <= code < 0x7F or ch in "\t\n\r" or 0x4E00 <= code <= 0x9FFF \
            or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x3400 <= code <= 0x4DBF:
        return 1
    if code == 0xFFFD:  # the replacement character of a failed decode
        return -1
    return 0 if unicodedata.category(ch) in ("So", "Sk", "Sm", "Sc", "Zs") else -1


def looks_like_garbage(text: str) -> bool:
    """True when noise (controls, decode debris, stray scripts) outweighs readable text."""
    sample = text[:MAX_CHARS]
    score = sum(_char_class(c) for c in sample)
    return score < 0 or not has_content(sample)


def for_features(text: str) -> str:
    """Lossy normalisation for the classifier: typo fixes, digit runs → 0, no punctuation."""
    s = canonical(text[:MAX_CHARS])
    s = fix_typos(s)
    s = _DIGITS_RE.sub("0", s)
    s = "".join(c if _is_content(c) else " " for c in s)
    s = _REPEAT_RE.sub(r"\1\1", s)
    return _SPACE_RE.sub(" ", s).strip()


def latin_words(feature_text: str) -> list[str]:
    """The Latin-script words of an already normalised text (English from foreign residents)."""
    return _LATIN_WORD_RE.findall(feature_text)
