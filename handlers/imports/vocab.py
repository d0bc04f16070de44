"""The words people put in spreadsheets, mapped to our codes — defined once, here.

Bill items, staff roles and repair categories each have an English code (what the database
stores and the NLU emits) and the Chinese names staff actually type.
"""

from __future__ import annotations

import re

# Bill item code → accepted names (the code itself is always accepted too).
BILL_ITEM_NAMES: dict[str, tuple[str, ...]] = {
    "property_fee": ("物业费", "管理费", "物业管理费", "物业服务费"),
    "water": ("水费", "自来水费"),
    "electricity": ("电费",),
    "gas": ("燃气费", "天然气费", "煤气费"),
    "heating": ("暖气费", "取暖费", "供暖费", "采暖费"),
    "parking": ("停车费", "车位费", "车位管理费", "停车管理费"),
}

# Staff role code → accepted names.
ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "manager": ("经理", "物业经理", "项目经理", "主管", "管家"),
    "repair": ("维修", "维修工", "维修员", "工程", "工程部", "师傅"),
    "cleaning": ("保洁", "保洁员", "清洁"),
    "security": ("保安", "秩序维护", "秩序维护员", "安保"),
    "finance": ("财务", "会计", "出纳", "收费员"),
    "front_desk": ("前台", "客服", "接待"),
}

# Repair category code → accepted names. One Chinese word may stand for several codes
# (水电 = plumbing + electrical), so a name maps to a tuple of codes below.
REPAIR_CATEGORY_NAMES: dict[str, tuple[str, ...]] = {
    "plumbing": ("水", "水管", "上下水", "管道", "漏水", "给排水", "下水道", "马桶"),
    "electrical": ("电", "电路", "电工", "强电", "照明", "灯"),
    "elevator": ("电梯",),
    "door_access": ("门禁", "门禁卡", "单元门", "对讲", "可视对讲"),
    "gas": ("燃气", "煤气", "天然气"),
    "heating": ("暖气", "供暖", "采暖", "取暖"),
    "structure": ("土建", "墙面", "屋面", "防水", "门窗", "瓦工"),
    "public_facility": ("公共设施", "公区", "道路", "绿化", "健身器材"),
    "fire_safety": ("消防",),
    "appliance": ("家电",),
    "other": ("其他", "其它"),
}
COMBINED_CATEGORY_NAMES: dict[str, tuple[str, ...]] = {
    "水电": ("plumbing", "electrical"),
    "水暖": ("plumbing", "heating"),
    "综合维修": (),  # () = handles every category, stored as ""
    "全部": (),
}

TRUE_WORDS = frozenset({"是", "yes", "y", "1", "true", "已缴", "已缴费", "已交", "已交费", "已付", "已付款", "paid"})
FALSE_WORDS = frozenset({"否", "no", "n", "0", "false", "未缴", "未缴费", "未交", "未交费", "未付", "欠费", "unpaid"})


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index = {code: code for code in table}
    for code, names in table.items():
        for name in names:
            index[name.lower()] = code
    return index


_BILL_ITEMS = _index(BILL_ITEM_NAMES)
_ROLES = _index(ROLE_NAMES)
_CATEGORIES = {name: (code,) for name, code in _index(REPAIR_CATEGORY_NAMES).items()}
_CATEGORIES.update(COMBINED_CATEGORY_NAMES)


def bill_item(word: str) -> str | None:
    """物业费 / 管理费 / property_fee → `property_fee`; None if unknown."""
    return _BILL_ITEMS.get(word.strip().lower())


def role(word: str) -> str | None:
    """维修 / repair → `repair`; None if unknown."""
    return _ROLES.get(word.strip().lower())


def repair_categories(word: str) -> tuple[str, ...] | None:
    """水电 → (`plumbing`, `electrical`); 电梯 → (`elevator`,); () = any; None if unknown."""
    return _CATEGORIES.get(word.strip().lower())


def split_list(text: str) -> list[str]:
    """`水电, 电梯、门禁；暖气` → the items; Chinese and English separators alike."""
    return [part.strip() for part in re.split(r"[,，、;；\s]+", text) if part.strip()]


_BUILDING = re.compile(r"^(?:第)?(.+?)(?:号楼|号|栋|幢|楼|座)$")
_UNIT = re.compile(r"^(?:第)?(.+?)(?:单元|门)$")
_ROOM = re.compile(r"^(.+?)(?:室|号|房)$")


def building_name(text: str) -> str:
    """`3号楼` / `3栋` / `3` → `3` (how Building.name is stored)."""
    text = text.strip()
    match = _BUILDING.match(text)
    return match.group(1).strip() if match else text


def unit_name(text: str) -> str:
    """`2单元` / `2` → `2`; empty stays empty (buildings without units)."""
    text = text.strip()
    match = _UNIT.match(text)
    return match.group(1).strip() if match else text


def room_name(text: str) -> str:
    """`501室` / `501` → `501`."""
    text = text.strip()
    match = _ROOM.match(text)
    return match.group(1).strip() if match else text
