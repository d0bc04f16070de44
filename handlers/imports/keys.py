"""Natural keys → ids, loaded in bulk: community name; building in community; home
(building, unit, room); owner phone; staff (company, phone)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.imports import vocab
from handlers.imports.bulk import KEY_CHUNK, chunks
from storage.models import Building, Community, Home, Owner, Staff

HomeKey = tuple[int, str, str, str]  # (community_id, building name, unit, room)
_LABEL = re.compile(
    r"^(?P<b>[^-\s]+?)(?:号楼|栋|幢|号)(?:(?P<u>[^-\s]+?)(?:单元|门))?(?P<r>\d+)(?:室|号)?$"
)


def communities_by_name(session: Session, names: Iterable[str]) -> dict[str, Community]:
    """The named communities that exist."""
    wanted = list(set(names))
    found: dict[str, Community] = {}
    for batch in chunks(wanted, KEY_CHUNK):
        for community in session.scalars(select(Community).where(Community.name.in_(batch))):
            found[community.name] = community
    return found


def home_index(session: Session, community_ids: Iterable[int]) -> dict[HomeKey, dict[str, Any]]:
    """Every home of the communities by (community, building, unit, room), with its record."""
    stmt = (
        select(Home.id, Home.building_id, Building.community_id, Building.name, Home.unit,
               Home.room, Home.area_m2, Home.property_years, Home.property_start)
        .join(Building, Home.building_id == Building.id)
        .where(Building.community_id.in_(list(set(community_ids))))
    )
    return {
        (r.community_id, r.name, r.unit, r.room): {
            "id": r.id, "building_id": r.building_id, "area_m2": r.area_m2,
            "property_years": r.property_years, "property_start": r.property_start,
        }
        for r in session.execute(stmt)
    }


def owners_by_phone(session: Session, phones: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Existing owners by phone: {phone: {"id", "name"}}."""
    found: dict[str, dict[str, Any]] = {}
    for batch in chunks(list(set(phones)), KEY_CHUNK):
        for row in session.execute(select(Owner.id, Owner.name, Owner.phone).where(Owner.phone.in_(batch))):
            found[row.phone] = {"id": row.id, "name": row.name}
    return found


def home_label(text: str) -> str | None:
    """`3-2-501` / `3号楼2单元501室` → `3-2-501`; `12号楼1102` → `12-1102`; None if unreadable."""
    text = text.strip().replace("－", "-").replace(" ", "")
    parts = [p.strip() for p in text.split("-")]
    if len(parts) == 3 and all(parts):
        parts = [vocab.building_name(parts[0]), vocab.unit_name(parts[1]), vocab.room_name(parts[2])]
    elif len(parts) == 2 and all(parts):
        parts = [vocab.building_name(parts[0]), vocab.room_name(parts[1])]
    else:
        match = _LABEL.match(text)
        if not match:
            return None
        parts = [p for p in (match.group("b"), match.group("u"), match.group("r")) if p]
    return "-".join(parts)


def staff_by_phone(session: Session, phone: str) -> list[Staff]:
    """Every staff record with this phone (one per company they work for)."""
    return list(session.scalars(select(Staff).where(Staff.phone == phone).order_by(Staff.id)))
