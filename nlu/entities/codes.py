"""Units (楼栋-单元-房号), phone numbers and ticket codes."""

from __future__ import annotations

import re

from nlu.entities.base import Candidate
from nlu.numerals import CN_CHARS, to_digits

_N = rf"(?:\d{{1,3}}|[{CN_CHARS}]{{1,4}})"  # a building or unit number
# A room number: 501, 1102, 五零二, 五百零二. Arabic rooms may run into Chinese text
# (501一直漏水), so each alphabet only refuses to be followed by its own kind.
_ROOM = rf"(?:\d{{3,4}}(?!\d)|[{CN_CHARS}]{{3,6}}(?![{CN_CHARS}]))"
_SEP = r"[\s,、的]*"
_NOT_BEFORE = rf"(?<![\d{CN_CHARS}\-])"

# 3号楼2单元501室 / 3栋2门501 / 三号楼二单元五零二 / 3#2单元501 / 3楼2单元501 (楼 counts as a
# building only when a unit follows: alone, 3楼 is a floor).
_FULL = re.compile(
    rf"{_NOT_BEFORE}(?P<b>{_N})\s*(?:号楼|栋楼|栋|幢|座|号|#|楼){_SEP}"
    rf"(?P<u>{_N})\s*(?:单元|门){_SEP}(?P<r>{_ROOM})(?:\s*(?:室|号|房|户))?"
)
# 12栋1102 / 12号楼1102室 / 12#1102: no unit named.
_NO_UNIT = re.compile(
    rf"{_NOT_BEFORE}(?P<b>{_N})\s*(?:号楼|栋|幢|座|#){_SEP}(?P<r>{_ROOM})"
    r"(?:\s*(?:室|号|房|户))?"
)
# 3号楼2-801 / 3栋2-801: building in words, unit-room dashed.
_MIXED = re.compile(
    rf"{_NOT_BEFORE}(?P<b>{_N})\s*(?:号楼|栋|幢|座|#){_SEP}(?P<u>\d{{1,2}})\s*-\s*(?P<r>\d{{3,4}})"
    r"(?![\d\-])(?:\s*(?:室|号|房|户))?"
)
# building 4 unit 1 room 702 / bldg 12, room 1102 (foreign residents)
_ENGLISH = re.compile(
    r"(?<![a-z])(?:building|bldg\.?|block)\s*#?(?P<b>\d{1,3})\s*,?\s*"
    r"(?:(?:unit|entrance)\s*#?(?P<u>\d{1,2})\s*,?\s*)?"
    r"(?:room|apt\.?|apartment|flat|rm\.?|#)\s*#?(?P<r>\d{3,4})(?!\d)"
)
# 3-2-501 / 3#2-501 / 3-2-501室
_DASHED = re.compile(
    r"(?<![\d\-#])(?P<b>\d{1,3})\s*[-#]\s*(?P<u>\d{1,2})\s*-\s*(?P<r>\d{3,4})(?![\d\-])"
    r"(?:\s*(?:室|号|房|户))?"
)
# 12-1102: building-room, only with a 3–4 digit room so dates and ranges stay out.
_DASHED_NO_UNIT = re.compile(
    r"(?<![\d\-#.])(?P<b>\d{1,3})\s*-\s*(?P<r>\d{3,4})(?![\d\-.])(?:\s*(?:室|号|房|户))?"
)

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[\s\-]?(\d{4})[\s\-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(010)[\s\-]?(\d{8})(?!\d)")
_TAIL = re.compile(
    r"(?:尾号|尾数|后四位|后4位|末四位|末4位|后三位|末尾|ending(?:\s+(?:in|with))?"
    r"|last\s+(?:4|four)(?:\s+digits?)?)"
    r"(?:\s*(?:是|为|is|are|:|：))?\s*(?P<d>\d{3,4})(?!\d)"
)
_TICKET = re.compile(r"(?<![a-z0-9])(?P<t>[a-z]{1,2}\d{3,14})(?![a-z0-9])")
# Owners drop the letter: 20261127001 is our date + sequence (a mobile starts with 1, so it
# cannot be a phone), and digits right after a ticket word (单号12345, 工单号是 0032).
_DATED_TICKET = re.compile(
    r"(?<![a-z\d.\-])(?P<t>20\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3,4})(?![\d.\-])"
)
_WORD_TICKET = re.compile(
    r"(?:工单|单号|单子|订单号|报修单|投诉单|编号|流水号|ticket(?:\s*(?:number|no\.?|id|#))?)"
    r"(?:\s*(?:号码|号|是|为|:|：|#))*\s*(?P<t>\d{3,14})(?![\d.\-])"
)


def _unit_value(b: str, u: str | None, r: str) -> str | None:
    """`B-U-R` or `B-R`, numbers read from digits or Chinese numerals."""
    b_d, r_d = to_digits(b), to_digits(r)
    u_d = to_digits(u) if u is not None else None
    if b_d is None or r_d is None or (u is not None and u_d is None):
        return None
    if len(r_d) < 3 or int(b_d) == 0:
        return None  # a "room" of one or two digits is a floor or a count, not a home
    b_d = str(int(b_d))
    return f"{b_d}-{int(u_d)}-{r_d}" if u_d is not None else f"{b_d}-{r_d}"


def find_units(canon: str) -> list[Candidate]:
    """Homes in any of the written forms, normalised to `B-U-R` or `B-R`."""
    out: list[Candidate] = []
    for pattern in (_FULL, _MIXED, _DASHED, _ENGLISH, _NO_UNIT, _DASHED_NO_UNIT):
        for m in pattern.finditer(canon):
            unit = m.groupdict().get("u")
            value = _unit_value(m["b"], unit, m["r"])
            if value is not None:
                out.append(Candidate("unit", value, m.start(), m.end()))
    return out


def find_phones(canon: str) -> list[Candidate]:
    """Mobile and Beijing landline numbers (digits only) and tails such as 尾号5678."""
    out = [Candidate("phone", "".join(m.groups()), m.start(), m.end())
           for pattern in (_MOBILE, _LANDLINE) for m in pattern.finditer(canon)]
    out += [Candidate("phone", m["d"], m.start("d"), m.end("d")) for m in _TAIL.finditer(canon)]
    return out


def find_ticket_ids(canon: str) -> list[Candidate]:
    """Ticket codes: letters + 3–14 digits upper-cased; dated or named all-digit numbers as given."""
    return [Candidate("ticket_id", m["t"].upper(), m.start("t"), m.end("t"))
            for pattern in (_TICKET, _DATED_TICKET, _WORD_TICKET) for m in pattern.finditer(canon)]
