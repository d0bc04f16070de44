"""Corrections inside a draft: "算了我说错了 是2单元", "不对，是卫生间不是厨房".

A correction edits the slot it names and the draft continues; only an explicit cancel
cancels. The new words replace the old ones in the draft's text (the old words given, or
the same kind of words: a unit for a unit, a room for a room).
"""

from __future__ import annotations

import re

from nlu.normalize import canonical

_MARKER = re.compile(
    r"说错了?|写错了?|打错了?|搞错了?|弄错了?|不对(?!劲)|不是.{1,12}[,，、 ]?(?:是|而是)|是.{1,12}不是|"
    r"应该是|改成|改为|换成|更正|纠正|\bi meant\b|\bactually\b|\bnot .{1,20}\bbut\b|\bcorrection\b",
    re.I,
)
# Only these words before the correction make it read like a cancel; they are not a cancel here.
_LEAD = re.compile(r"^(算了|哎呀?|唉|呃|嗯|哦|噢|不好意思|抱歉|sorry)[，,。 ]*", re.I)
_NEW_OLD = (
    re.compile(r"(?:不对[，,。 ]*)?是(?P<new>[^，,。；;！!？? ]{1,12})[，,。 ]*(?:而)?不是(?P<old>[^，,。；;！!？? ]{1,12})"),
    re.compile(r"不是(?P<old>[^，,。；;！!？? ]{1,12}?)[，,。 ]*(?:而)?是(?P<new>[^，,。；;！!？? ]{1,12})"),
    re.compile(r"\bnot (?P<old>[a-z ]{1,20}?),? but (?P<new>[a-z ]{1,20})", re.I),
)
_NEW_ONLY = re.compile(
    r"(?:说错了?|写错了?|打错了?|搞错了?|弄错了?|不对|应该是|改成|改为|换成|更正|纠正|i meant|actually)"
    r"[，,。：: ]*(?:是|为|成)?[：: ]*(?P<new>[^，,。；;！!？?]{1,20})",
    re.I,
)
# Kinds of words a bare "是X" replaces: the same kind in the draft.
_KINDS = (
    re.compile(r"\d{1,3}\s*(?:号楼|号|栋|幢|座)"),
    re.compile(r"\d{1,2}\s*(?:单元|门)"),
    re.compile(r"\d{3,4}\s*(?:室|房|号)?(?!\d)"),
    re.compile(r"卫生间|洗手间|厕所|浴室|厨房|卧室|主卧|次卧|客厅|阳台|书房|餐厅|门厅|楼道|走廊|车库|地下室"),
)


def is_correction(text: str) -> bool:
    """Whether the message corrects what was said before rather than saying something new."""
    return bool(_MARKER.search(canonical(text or "")))


def correct(text: str, draft: str) -> str | None:
    """`draft` with the correction applied, or None when nothing in it could be replaced."""
    said = _LEAD.sub("", canonical(text or "").strip())
    for pattern in _NEW_OLD:
        found = pattern.search(said)
        if found and found.group("old").strip() in draft:
            return draft.replace(found.group("old").strip(), found.group("new").strip())
    found = _NEW_OLD[0].search(said) or _NEW_OLD[1].search(said) or _NEW_ONLY.search(said)
    new = found.group("new").strip() if found else ""
    if not new:
        return None
    for kind in _KINDS:
        wanted = kind.search(new)
        if wanted and kind.search(draft):
            return kind.sub(wanted.group(0), draft, count=1)
    return None
