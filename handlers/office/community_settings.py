"""A community's settings the office keeps: phones, front-desk hours, district, street, heating.

`python -m bot community set NAME …` and the optional columns of `import units` both end
here, so the checks are the same. Blank means "leave as it is"; `-` clears a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime

from handlers.errors import NotFound
from handlers.imports import values
from handlers.imports.sheet import CellError, cell_text
from storage.models import Community
from storage.uow import UnitOfWork

CLEAR = "-"
_HOURS = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)\s*[-–~至到]\s*([01]?\d|2[0-4])[:：]([0-5]\d)$")
_SERVICE_NUMBER = re.compile(r"^(?:400|800)-?\d{3}-?\d{4}$|^9\d{4}$|^1[12]\d{1,3}$")


@dataclass(frozen=True)
class CommunityChanges:
    """What to change; None leaves a setting as it is."""

    service_phone: str | None = None
    emergency_phone: str | None = None
    front_desk_hours: str | None = None
    district: str | None = None
    street: str | None = None
    heating_provider: str | None = None

    def items(self) -> list[tuple[str, str]]:
        """The settings to change, as (field, value)."""
        return [(f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None]


def parse_changes(raw: dict[str, str | None]) -> CommunityChanges:
    """Check and normalise raw values (CLI flags, sheet cells); CellError names what is wrong."""
    parsers = {
        "service_phone": contact_phone, "emergency_phone": contact_phone,
        "front_desk_hours": desk_hours, "district": values.text_max(40),
        "street": values.text_max(40), "heating_provider": heating_provider,
    }
    checked: dict[str, str | None] = {}
    for name, parse in parsers.items():
        value = raw.get(name)
        if value is None or cell_text(value) == "":
            checked[name] = None
        elif cell_text(value) == CLEAR:
            checked[name] = ""
        else:
            checked[name] = parse(value)
    return CommunityChanges(**checked)


def set_community(
    uow: UnitOfWork, name: str, changes: CommunityChanges, actor: str, now: datetime
) -> tuple[Community, dict[str, tuple[str, str]]]:
    """Apply `changes` to the community named `name`; returns it and what changed (old, new)."""
    community = uow.org.community_by_name(name.strip())
    if community is None:
        raise NotFound("community_not_found", name=name)
    changed = apply(community, changes)
    if changed:
        uow.audit.record(now, actor, "community_set", f"community:{community.id}",
                         {k: v[1] for k, v in changed.items()})
    return community, changed


def apply(community: Community, changes: CommunityChanges) -> dict[str, tuple[str, str]]:
    """Set the values that differ; returns {field: (old, new)}."""
    changed = {}
    for field, value in changes.items():
        old = getattr(community, field) or ""
        if old != value:
            setattr(community, field, value)
            changed[field] = (old, value)
    return changed


def contact_phone(raw: object) -> str:
    """A mobile or landline (as `values.phone`), or a service number (400-…, 96069, 110)."""
    value = cell_text(raw)
    compact = re.sub(r"\s", "", value)
    if _SERVICE_NUMBER.match(compact):
        return compact
    return values.phone(value)


def desk_hours(raw: object) -> str:
    """`08:00-20:00` (also `8:00~20:00`, `8：00至20：00`) → `08:00-20:00`."""
    match = _HOURS.match(cell_text(raw).replace(" ", ""))
    if not match:
        raise CellError("community_bad_hours")
    h1, m1, h2, m2 = match.groups()
    return f"{int(h1):02d}:{m1}-{int(h2):02d}:{m2}"


def heating_provider(raw: object) -> str:
    """Who answers for heating, with its phone: `北京热力 96069`."""
    value = " ".join(cell_text(raw).split())
    if len(value) > 100:
        raise CellError("import_too_long", limit=100)
    return value
