"""Billing periods: `YYYY-MM` or `YYYY`, relative expressions resolved against `now`."""

from __future__ import annotations

import re
from datetime import datetime

from nlu.entities.base import Candidate
from nlu.numerals import to_int

_MONTH_NUM = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_REL_YEAR = {
    "前年": -2, "去年": -1, "上一年": -1, "上年": -1, "今年": 0, "本年": 0, "明年": 1,
    "last year": -1, "this year": 0, "next year": 1, "the year before last": -2,
}
_REL_MONTH = {
    "上上个月": -2, "上上月": -2, "上个月": -1, "上一个月": -1, "上月": -1, "上一月": -1,
    "前一个月": -1, "这个月": 0, "这一个月": 0, "这月": 0, "本月": 0, "当月": 0, "下个月": 1,
    "下一个月": 1, "下月": 1, "last month": -1, "previous month": -1, "this month": 0,
    "current month": 0, "next month": 1,
}
_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1,
    "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}


def _alt(words: dict[str, int]) -> str:
    """Regex alternation, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_YEAR_MONTH = re.compile(
    rf"(?<!\d)(?P<y>20\d{{2}}|[12]\d)\s*年\s*(?P<m>{_MONTH_NUM})\s*月(?:份)?"
)
_REL_YEAR_MONTH = re.compile(rf"(?P<ry>{_alt(_REL_YEAR)})\s*的?\s*(?P<m>{_MONTH_NUM})\s*月(?:份)?")
_ISO_MONTH = re.compile(r"(?<![\d\-])(?P<y>20\d{2})\s*[-/.]\s*(?P<m>1[0-2]|0?[1-9])(?![\d\-])")
_YEAR = re.compile(r"(?<!\d)(?P<y>20\d{2})\s*(?:年度?|全年)")
_BARE_YEAR = re.compile(
    r"(?<![\d\-./a-z])(?P<y>20[12]\d)(?![\d\-./]|\s*(?:元|块|平|米|号|个|分|万|户|人|辆|次|天))"
)
# 25年的物业费 means 2025; 还剩25年 / 住了15年 / 15年了 are durations and stay out.
_SHORT_YEAR = re.compile(
    r"(?<![\d.])(?<!剩)(?<!还有)(?<!满)(?<!近)(?<!住了)(?<!用了)(?<!有)(?<!了)(?<!过)"
    r"(?P<y>[12]\d)\s*年(?!代|前|后|以|内|左右|多|了|半|底|初|头|产权|期|限|的时间)"
)
# 楼下一个月 is "downstairs for a month", 马上月底 is "soon the month ends": a 上/下 that
# closes a word before it does not start a relative month.
_REL_MONTH_RE = re.compile(
    r"(?<![楼底地乡往一手私以之眼等坐留剩落马早晚路身网线桌墙加向比赶])(?:" + _alt(_REL_MONTH) + ")"
)
_REL_YEAR_RE = re.compile(_alt(_REL_YEAR))
# 一月一次 is a frequency, not January.
# 查下九月份 / 看一下9月: the 下 of 查下 and 一下 ends a verb, so a month may follow it.
_MONTH_ONLY = re.compile(
    rf"(?:(?<=一下)|(?<=[查看问瞧瞅算找搜翻对核]下)|(?<![\d一二三四五六七八九十两零上下本这每个几]))"
    rf"(?P<m>{_MONTH_NUM})\s*月(?:份)?"
    r"(?![一两二三四五\d]\s*[次回遍])"
)
_EN_MONTH_RE = re.compile(
    rf"(?<![a-z])(?:(?P<pre>in|for|of|since|during)\s+)?(?P<name>{_alt(_EN_MONTHS)})"
    r"(?![a-z])(?:\s*,?\s*(?P<y>20\d{2}))?"
)


def _shift(year: int, month: int, delta: int) -> tuple[int, int]:
    """Month arithmetic that crosses year boundaries."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _year(raw: str) -> int:
    """Four-digit year from 2025 or 25."""
    value = int(raw)
    return value if value >= 100 else 2000 + value


def _month(raw: str) -> int | None:
    """Month 1..12 from Arabic digits or Chinese numerals."""
    value = to_int(raw)
    return value if value is not None and 1 <= value <= 12 else None


def _months(canon: str, now: datetime) -> list[Candidate]:
    """Expressions that name a month."""
    out: list[Candidate] = []
    for m in _YEAR_MONTH.finditer(canon):
        if (month := _month(m["m"])) is not None:
            out.append(Candidate("period", f"{_year(m['y']):04d}-{month:02d}", m.start(), m.end()))
    for m in _REL_YEAR_MONTH.finditer(canon):
        if (month := _month(m["m"])) is not None:
            year = now.year + _REL_YEAR[m["ry"]]
            out.append(Candidate("period", f"{year:04d}-{month:02d}", m.start(), m.end()))
    for m in _ISO_MONTH.finditer(canon):
        out.append(Candidate("period", f"{m['y']}-{int(m['m']):02d}", m.start(), m.end()))
    for m in _REL_MONTH_RE.finditer(canon):
        year, month = _shift(now.year, now.month, _REL_MONTH[m.group(0)])
        out.append(Candidate("period", f"{year:04d}-{month:02d}", m.start(), m.end()))
    for m in _MONTH_ONLY.finditer(canon):
        # A month without a year is this calendar year's (10月份 in November → this October).
        if (month := _month(m["m"])) is not None:
            out.append(Candidate("period", f"{now.year:04d}-{month:02d}", m.start(), m.end()))
    for m in _EN_MONTH_RE.finditer(canon):
        if m["name"] == "may" and not (m["pre"] or m["y"]):
            continue  # "may I pay…" is not May
        year = int(m["y"]) if m["y"] else now.year
        out.append(Candidate("period", f"{year:04d}-{_EN_MONTHS[m['name']]:02d}",
                             m.start(), m.end()))
    return out


def _years(canon: str, now: datetime) -> list[Candidate]:
    """Expressions that name a whole year."""
    out: list[Candidate] = []
    for pattern in (_YEAR, _BARE_YEAR, _SHORT_YEAR):
        out += [Candidate("period", f"{_year(m['y']):04d}", m.start(), m.end())
                for m in pattern.finditer(canon)]
    for m in _REL_YEAR_RE.finditer(canon):
        out.append(Candidate("period", f"{now.year + _REL_YEAR[m.group(0)]:04d}",
                             m.start(), m.end()))
    return out


def find_periods(canon: str, now: datetime) -> list[Candidate]:
    """Months and years; where two overlap the longer (more specific) span wins."""
    return _months(canon, now) + _years(canon, now)
