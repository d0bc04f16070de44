"""Bill items (synonym table) and service ratings (1–5)."""

from __future__ import annotations

import re

from nlu.entities.base import Candidate

# value → surface forms. 废 is the usual pinyin slip for 费. Export-rasa writes this table as
# Rasa synonyms, so the two backends agree on values.
BILL_ITEM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "property_fee": (
        "物业费", "物业管理费", "物业服务费", "管理费", "物管费", "物业废",
        "物叶费", "property fee", "property management fee", "management fee",
        "service charge", "hoa fee",
    ),
    # 谁费 is 水费 typed by pinyin (shui), like 漏谁 for 漏水.
    "water": ("水费", "自来水费", "水废", "谁费", "water bill", "water fee", "water charge"),
    "electricity": (
        "电费", "电废", "electricity bill", "electricity fee", "electric bill", "power bill",
    ),
    "gas": ("燃气费", "煤气费", "天然气费", "燃气废", "燃汽费", "煤汽费", "gas bill", "gas fee",
            "gas charge"),
    "heating": (
        "暖气费", "取暖费", "供暖费", "采暖费", "暖气废", "取暖废", "暖器费", "heating fee",
        "heating bill", "heating charge",
    ),
    "parking": (
        "停车费", "车位费", "停车管理费", "车位管理费", "停车位费", "车位租金", "停车废",
        "parking fee", "parking space fee", "parking charge", "parking",
    ),
}
_SURFACE_TO_VALUE = {s: v for v, forms in BILL_ITEM_SYNONYMS.items() for s in forms}
# Longest first so 停车管理费 is parking, not the 管理费 inside it.
_BILL_RE = re.compile(
    "|".join(re.escape(s) for s in sorted(_SURFACE_TO_VALUE, key=len, reverse=True))
)
# 水电费 / 水电燃气费 / 物业、停车费: items named by their stem share the 费 at the end.
_STEMS = {"水": "water", "电": "electricity", "燃气": "gas", "煤气": "gas", "天然气": "gas",
          "暖气": "heating", "取暖": "heating", "供暖": "heating", "物业": "property_fee",
          "停车": "parking", "气": "gas"}
_STEM = "|".join(sorted(_STEMS, key=len, reverse=True))
_COMBINED_RE = re.compile(rf"(?:{_STEM})(?:[、和与及跟/+]?(?:{_STEM}))+(?=费|废)")
_STEM_RE = re.compile(_STEM)
# 续费车位 / 车位续费 / 交车位: the space itself stands for its fee.
_PARKING_RE = re.compile(r"(?<=[交缴付费])车位(?!费|管理费)|车位(?=续费|续交|到期)")
# English forms may be plural (property fees); bare "parking" is the fee, not the lot.
_EN_AFTER = re.compile(r"s?(?![a-z])(?!\s+(?:lot|space|spot|garage|area|place)s?\b)")

_CN_RATING = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_RATING_RE = re.compile(
    r"(?<![\d.一二三四五六七八九十两零百千])(?P<n>[1-5一二两三四五])\s*"
    r"(?:颗星|个星|星(?!级|手机|电视|冰箱|洗衣机|空调|的手机)|分(?![钟钱之半熟]))"
)
_FULL_MARKS_RE = re.compile(r"满分|满星")
# The scale, not a rating: 满分5分 / 满分是五星 / 5分制 / 总分5分 / (5分满分) / out of 5 stars.
_SCALE_RE = re.compile(
    r"(?:满分|满星|总分|最高|最高分)\s*(?:是|为|:|：)?\s*[1-5一二三四五]\s*(?:分|星|颗星)?"
    r"|[1-5一二三四五]\s*(?:分|星)\s*(?:制|满分|为满分|是满分|最高)"
    r"|(?:on\s+a\s+scale\s+of\s+\d+\s*(?:to|-)\s*\d+|out\s+of\s+(?:5|five)\s+stars?)"
)
_EN_RATING_RE = re.compile(
    r"(?<![\d.])(?P<n>[1-5]|one|two|three|four|five)\s*(?:-\s*)?(?:stars?\b|/\s*5\b|out of (?:5|five)\b)"
)
_EN_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def find_bill_items(canon: str) -> list[Candidate]:
    """Bill items by synonym, normalised to property_fee / water / … / parking."""
    out = [Candidate("bill_item", _SURFACE_TO_VALUE[m.group(0)], m.start(), m.end())
           for m in _BILL_RE.finditer(canon)]
    for m in _COMBINED_RE.finditer(canon):
        stems = list(_STEM_RE.finditer(canon, m.start(), m.end()))
        out += [Candidate("bill_item", _STEMS[x.group(0)], x.start(),
                          x.end() + (1 if x is stems[-1] else 0)) for x in stems]
    out += [Candidate("bill_item", "parking", m.start(), m.end())
            for m in _PARKING_RE.finditer(canon)]
    return _english_as_words(canon, out)


def _english_as_words(canon: str, found: list[Candidate]) -> list[Candidate]:
    """An English synonym must stand as a word, plural allowed ('fees' yes, 'feet' no)."""
    kept = []
    for c in found:
        if canon[c.start].isascii():
            before = canon[c.start - 1] if c.start else " "
            if before.isascii() and before.isalpha():
                continue
            after = _EN_AFTER.match(canon, c.end)
            if after is None:
                continue
            c = Candidate(c.entity, c.value, c.start, after.end())
        kept.append(c)
    return kept


def find_ratings(canon: str) -> list[Candidate]:
    """Star or point ratings 1–5 (五星, 打3分, 5 stars); praise without a number is none.

    A stated scale (满分5分我给4分) is not a rating: only the 4 remains; 给满分 alone is 5.
    """
    scales = [(m.start(), m.end()) for m in _SCALE_RE.finditer(canon)]
    found = _rating_candidates(canon)
    kept = [c for c in found if not any(a <= c.start and c.end <= b for a, b in scales)]
    return kept if kept or not scales else [
        c for c in found if c.value == "5" and canon[c.start:c.end] in ("满分", "满星")][:1]


def _rating_candidates(canon: str) -> list[Candidate]:
    """Every rating-looking span, scales included."""
    out = []
    for m in _RATING_RE.finditer(canon):
        n = m["n"]
        value = int(n) if n.isdigit() else _CN_RATING[n]
        out.append(Candidate("rating", str(value), m.start(), m.end()))
    out += [Candidate("rating", "5", m.start(), m.end()) for m in _FULL_MARKS_RE.finditer(canon)]
    for m in _EN_RATING_RE.finditer(canon):
        n = m["n"]
        value = int(n) if n.isdigit() else _EN_NUM[n]
        out.append(Candidate("rating", str(value), m.start(), m.end()))
    return out
