"""What kind of emergency a message reports, whether it only asks "what if", where it is, whom to call.

Pure functions over text and rows: no ticket is opened here (that is `emergencies`). The
rules kinds (gas, lift, fire) come from `repair_slots.emergency_of`; the kinds below are
emergencies of a person, where 120/110/119 come first and the property second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import handlers.texts.emergencies  # noqa: F401 - registers the texts used here
from handlers.repair_slots import emergency_of
from handlers.texts import t
from nlu.normalize import canonical
from storage.models import Community, Home
from storage.uow import UnitOfWork

PERSON_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("medical", re.compile(
        r"(摔倒|摔了|跌倒|滑倒|摔在).{0,8}(起不来|爬不起来|站不起来|动不了)|晕倒|昏倒|昏过去|晕过去|昏迷|"
        r"不省人事|没有?呼吸|喘不上气|呼吸困难|抽搐|心脏病|心梗|中风|脑梗|大出血|流了好多血|流了很多血|"
        r"病得很(重|厉害)|病的很(重|厉害)|突发.{0,4}(病|疾)|不行了|"
        r"(fell|fallen).{0,20}(can'?t|cannot) get up|unconscious|not breathing|heart attack|collapsed",
        re.I,
    )),
    ("locked_in", re.compile(
        r"(孩子|小孩|宝宝|儿子|女儿|老人|老太太|老爷子|闺女).{0,8}(锁在|反锁|被锁|关在|困在)|"
        r"(child|kid|baby|toddler).{0,20}locked (in|inside)",
        re.I,
    )),
    ("intruder", re.compile(
        r"有人(在)?(撬门|撬锁|砸门|闯进|闯入|持刀|翻窗)|入室抢劫|正在偷|抢劫|(burglar|intruder|break-?in)", re.I,
    )),
)
RULE_KINDS = ("gas", "lift", "fire")
KINDS = RULE_KINDS + tuple(k for k, _ in PERSON_KINDS)
_NEGATION = ("没", "不", "无", "no ", "not ")
# "着火了怎么办" asks what to do; "我家着火了怎么办" reports one.
_HYPOTHETICAL = re.compile(
    r"怎么办|怎么处理|如何处理|应该怎么|该怎么|怎样处理|要怎么|怎么做|注意什么|"
    r"what (should|do) (i|we|you) do|what to do|how (should|do) (i|we)|what if", re.I)
_HAPPENING = re.compile(
    r"现在|正在|刚才|刚刚|快来|救命|赶紧|马上|快点|我家|我们家|家里|这里|楼里|楼道|我被|我们被|"
    r"\bnow\b|\bhelp\b|right now", re.I)
_BUILDING = re.compile(r"(?<!\d)(\d{1,3})\s*(?:号楼|号|栋|幢|座)(?:\s*(\d{1,2})\s*(?:单元|门))?")
_LABEL = re.compile(r"(?<!\d)(\d{1,3})-(\d{1,2})-(\d{3,4})(?!\d)")


@dataclass(frozen=True)
class Place:
    """Where an emergency is: a building of the community, and its unit where known."""

    building_id: int | None
    building: str
    unit: str


def kind_of(text: str) -> str:
    """The emergency `text` reports (gas, lift, fire, medical, locked_in, intruder), else ""."""
    found = emergency_of(text or "")
    if found:
        return found
    low = canonical(text or "")
    for kind, pattern in PERSON_KINDS:
        for match in pattern.finditer(low):
            before = low[max(0, match.start() - 3):match.start()].lower()
            if not any(n in before for n in _NEGATION):
                return kind
    return ""


def is_hypothetical(text: str) -> bool:
    """A question about what to do, not a report of something happening."""
    low = canonical(text or "")
    return bool(_HYPOTHETICAL.search(low)) and not _HAPPENING.search(low)


def named_place(uow: UnitOfWork, community: Community | None, text: str) -> Place | None:
    """A building (and unit) named in `text`, e.g. 3号楼2单元, 3栋, 3-2-501."""
    match = _LABEL.search(text or "")
    building, unit = (match.group(1), match.group(2)) if match else ("", "")
    if not building:
        found = _BUILDING.search(text or "")
        if found is None:
            return None
        building, unit = found.group(1), found.group(2) or ""
    building_id = None
    if community is not None:
        row = next((b for b in community.buildings if b.name == building), None)
        building_id = row.id if row is not None else None
    return Place(building_id, building, unit)


def home_place(home: Home) -> Place:
    """The owner's own building and unit."""
    return Place(home.building_id, home.building.name, home.unit)


def community_named(uow: UnitOfWork, text: str) -> Community | None:
    """A community named in the text, or the only community there is."""
    communities = uow.org.communities()
    named = [c for c in communities if c.name and c.name in (text or "")]
    if len(named) == 1:
        return named[0]
    return communities[0] if len(communities) == 1 else None


def where_text(place: Place | None, locale: str) -> str:
    """`3号楼2单元`, or "楼号待确认"."""
    if place is None or not place.building:
        return t("emg_where_unknown", locale)
    text = t("emg_where_building", locale, building=place.building)
    return text + (t("emg_where_unit", locale, unit=place.unit) if place.unit else "")


def phone_lines(community: Community | None, kind: str, locale: str) -> str:
    """The property's 24-hour line, or honestly none and the public numbers as what they are."""
    first = kind in RULE_KINDS
    if community is not None and community.emergency_phone:
        key = "emg_property_line_first" if first else "emg_property_line"
        return t(key, locale, phone=community.emergency_phone)
    desk = ""
    if community is not None and community.service_phone:
        desk = t("emg_desk_phone", locale, phone=community.service_phone,
                 hours=community.front_desk_hours or "-")
    return t("emg_no_property_line", locale, public=t(f"emg_public_{kind}", locale), desk=desk)


def advice(kind: str, locale: str) -> str:
    """What to do now, for this kind."""
    if kind in RULE_KINDS:
        return t(f"repair_emergency_advice_{kind}", locale)
    return t(f"emg_advice_{kind}", locale)
