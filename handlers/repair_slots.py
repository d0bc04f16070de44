"""What an owner's words already say about a repair or complaint: category, place, urgency.

Keyword tables, not a model: the NLU names the intent; these fill the slots so the dialogue
asks only for what is still missing. Order matters where words overlap (电梯 before 电).
"""

from __future__ import annotations

import re
from typing import Any

from nlu.normalize import canonical, fix_typos

REPAIR_CATEGORIES = (
    "plumbing", "heating", "electrical", "elevator", "door_window", "gas", "public_facility", "fire_safety",
    "other",
)
_CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gas", ("燃气", "煤气", "天然气", "灶台打不着", "gas")),
    ("elevator", ("电梯", "elevator", "lift")),
    # Before plumbing: "暖气漏水" is still the heating's; in Beijing often the heat company's job.
    ("heating", (
        "暖气", "供暖", "采暖", "地暖", "暖气片", "散热器", "不热", "不够热", "heating", "radiator",
    )),
    ("plumbing", (
        "漏水", "水管", "马桶", "下水", "堵", "渗水", "水龙头", "龙头", "地漏", "管道", "没水",
        "水压", "返水", "淋浴", "花洒", "洗手池", "水池", "滴水", "水表", "漏了", "爆管",
        "leak", "pipe", "toilet", "drain", "clog", "faucet", "tap", "no water",
    )),
    ("electrical", (
        "停电", "跳闸", "插座", "电线", "电路", "电器", "没电", "灯不亮", "电闸", "漏电", "开关", "电表", "灯坏",
        "灯泡", "断电", "power", "socket", "outlet", "breaker", "light", "electric", "wiring",
    )),
    # After electrical: a smoking socket is the electrician's; smoke alone is fire safety.
    ("fire_safety", (
        "冒烟", "烟味", "烟雾", "烟感", "消防", "灭火器", "消火栓", "火警", "报警器",
        "smoke", "fire alarm", "extinguisher", "hydrant",
    )),
    ("door_window", (
        "门锁", "窗户", "门坏", "防盗门", "玻璃", "纱窗", "锁坏", "门关不上", "门打不开", "窗",
        "door", "window", "lock",
    )),
    ("public_facility", (
        "路灯", "健身器材", "垃圾桶", "井盖", "围栏", "喷泉", "座椅", "道闸", "门禁", "监控",
        "充电桩", "单元门", "streetlight", "bench", "gym equipment", "barrier",
    )),
)
_PUBLIC_WORDS = (
    "楼道", "走廊", "楼梯", "电梯", "车库", "地库", "停车场", "大门", "单元门", "门禁", "小区",
    "公共", "路灯", "花园", "绿地", "楼顶", "天台", "地下室", "大堂", "门厅", "健身", "垃圾站",
    "消防通道", "外墙", "道闸", "hallway", "corridor", "stair", "elevator", "lift", "garage",
    "parking", "gate", "lobby", "public",
)
_HOME_WORDS = (
    "我家", "家里", "家中", "屋里", "室内", "户内", "卫生间", "厕所", "厨房", "卧室", "客厅",
    "阳台", "浴室", "洗手间", "马桶", "房间", "书房", "灶台", "家", "my flat", "my apartment",
    "bathroom", "kitchen", "bedroom", "living room", "home",
)
_LOW_WORDS = ("不急", "不着急", "有空", "方便的时候", "抽空", "不赶", "not urgent", "whenever")
_HIGH_WORDS = (
    "很严重", "严重", "一直流", "一直在流", "泡了", "淹了", "水漫", "爆了", "喷水", "止不住",
    "停不下来", "全屋没电", "很急", "特别急", "着急", "急", "马上", "赶紧", "尽快", "urgent",
    "flood", "burst", "asap",
)

# Emergencies answered at once. A negation just before ("没有燃气味了") is not one.
EMERGENCIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gas", re.compile(
        r"(燃气|煤气|天然气)(味|泄漏|泄露|漏了)|闻到.{0,3}(煤气|燃气|天然气)|漏气|gas leak|smell(s|ing)? (of )?gas",
        re.I,
    )),
    ("lift", re.compile(
        r"困.{0,2}电梯|电梯.{0,6}被困|被困.{0,6}电梯|电梯.{0,6}(被?困|关)(人|住|着|在|了)|(关|卡)在电梯|电梯里出不来|"
        r"(trapped|stuck) in (the |an )?(lift|elevator)",
        re.I,
    )),
    ("fire", re.compile(
        r"冒火花|打火花|电火花|着火|起火|失火|冒烟|火灾|烧起来|\bsparks?\b|\bsparking\b|\bon fire\b|\bsmoke\b",
        re.I,
    )),
)
_NEGATION = ("没", "不", "无", "no ", "not ")

_FILLER = re.compile(
    r"我要|我想|我家|想要|报个?修|维修|请|帮我|帮忙|一下|师傅|修理|修|坏了|东西|有|需要|麻烦|你好|您好|在吗|"
    r"物业|找|来|个|了|的|啊|呀|吧|呢|投诉|建议|意见|提|反映|我|要|想|"
    r"不着?急|加急|很急|着急|有空|方便的时候|尽快|就行|都行|也行|可以|"  # how urgent, not what
    r"\b(i|need|want|a|an|the|to|repair|report|something|is|broken|please|fix|complain|complaint|"
    r"suggest|suggestion|have|make|hello|hi)\b|[\s\W_]",
    re.I,
)

COMPLAINT_TARGETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("noise", ("噪音", "太吵", "吵", "装修声", "半夜", "noise", "noisy", "loud")),
    ("cleaning", ("保洁", "卫生", "垃圾", "脏", "打扫", "cleaning", "dirty", "garbage", "trash")),
    ("security", ("保安", "门卫", "巡逻", "陌生人", "security", "guard")),
    ("parking", ("停车", "乱停", "占车位", "车位", "parking")),
    ("pets", ("狗", "猫", "宠物", "狗屎", "dog", "pet")),
    ("neighbour", ("邻居", "楼上", "楼下", "隔壁", "对门", "neighbour", "neighbor", "upstairs")),
    ("service", ("态度", "服务", "工作人员", "客服", "管家", "attitude", "staff", "rude")),
)


def _read(text: str) -> str:
    """The text as the tables are written: lower-case, Simplified, pinyin typos fixed.

    Length-preserving, so a span found in it is a span of `text`.
    """
    return fix_typos(canonical(text))  # 電梯 and 电题 both read as 电梯


def first_match(text: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """The first key of `table` whose words occur in `text`, or ""."""
    low = _read(text)
    for key, words in table:
        if any(w in low for w in words):
            return key
    return ""


def emergency_of(text: str) -> str:
    """`gas`, `lift` or `fire` when the text reports an emergency, else ""."""
    text = _read(text)  # 困在電梯裡 is as urgent as 困在电梯里
    for kind, pattern in EMERGENCIES:
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 3):match.start()].lower()
            if not any(n in before for n in _NEGATION):
                return kind
    return ""


def location_of(text: str) -> str:
    """`public` when a public place is named, `home` for a room of the home, else ""."""
    low = _read(text)
    if any(w in low for w in _PUBLIC_WORDS):
        return "public"
    if any(w in low for w in _HOME_WORDS):
        return "home"
    return ""


_BUILDING_UNIT = re.compile(r"\d{1,3}\s*(?:号楼|栋|幢|座)(?:\s*\d{1,2}\s*单元)?")


def public_place(text: str) -> str:
    """The public place named in `text` (`3号楼1单元电梯`), for the ticket's location detail."""
    low = _read(text)
    place = next((w for w in _PUBLIC_WORDS if w in low), "")
    building = _BUILDING_UNIT.search(low)
    return f"{building.group(0).replace(' ', '')}{place}" if building and place else place


def urgency_of(text: str) -> str:
    """`low`, `high`, or "" (normal) from how the owner puts it."""
    low = _read(text)
    if any(w in low for w in _LOW_WORDS):
        return "low"
    if any(w in low for w in _HIGH_WORDS):
        return "high"
    return ""


def informative(text: str) -> bool:
    """Whether the text says what is wrong, beyond "我要报修" / "I want to complain"."""
    return len(_FILLER.sub("", _read(text))) >= 2  # 报休 is 报修: no description


CATEGORY_WORDS = _CATEGORY_WORDS  # for re-reading a corrected description


def infer_repair(text: str, slots: dict[str, Any]) -> dict[str, Any]:
    """Slots with what `text` adds; what is already known stays unless the text is clearer."""
    out = dict(slots)
    if out.get("category") in (None, "", "other"):
        # "其他" was a guess for want of an answer: a clearer word later replaces it.
        out["category"] = first_match(text, _CATEGORY_WORDS) or out.get("category") or ""
    location = location_of(text)
    if location:
        out["location"] = location
        if location == "public":
            out["location_detail"] = public_place(text)
    elif not out.get("location") and out.get("category") in ("elevator", "public_facility"):
        out["location"], out["location_detail"] = "public", public_place(text)
    elif not out.get("location") and out.get("category") == "heating":
        out["location"] = "home"  # "暖气不热" is about the owner's radiators unless a place is named
    urgency = urgency_of(text)
    if urgency and (urgency == "high" or not out.get("urgency")):
        out["urgency"] = urgency
    if informative(text):
        previous = str(out.get("description") or "")
        out["description"] = f"{previous}；{text.strip()}" if previous else text.strip()
    return out
