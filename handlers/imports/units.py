"""Import homes and their owners: company, community, building, home, owner, membership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from handlers.imports import keys, values
from handlers.imports.bulk import (
    KEY_CHUNK,
    ImportSummary,
    changed,
    chunks,
    grouped,
    insert_many,
    update_many,
)
from handlers.imports.sheet import Collector, Column, Field, Progress, Sheet, parse_rows, ticker
from handlers.office import community_settings as settings
from storage.models import Building, Community, Company, Home, HomeMember, Owner
from storage.uow import UnitOfWork

COLUMNS = (
    Column("community", "小区", ("小区名称", "小区名", "项目名称")),
    Column("building", "楼号", ("楼栋", "楼栋号", "楼", "栋")),
    Column("unit", "单元", ("单元号",), required=False),  # buildings without units leave it out
    Column("room", "房号", ("室", "房间号", "门牌号", "户号")),
    Column("area_m2", "面积", ("建筑面积", "房屋面积", "area")),
    Column("owner_name", "业主", ("业主姓名", "姓名", "owner")),
    Column("owner_phone", "电话", ("手机", "手机号", "手机号码", "联系电话", "电话号码", "phone")),
    Column("property_years", "产权年限", ("产权",), required=False),
    Column("property_start", "产权起始日期", ("产权开始日期", "交房日期"), required=False),
    Column("company", "物业公司", ("物业服务企业", "物业公司名称"), required=False),
    # The community's own settings (the same as `community set`); blank cells change nothing.
    Column("service_phone", "物业电话", ("物业服务电话", "服务电话", "客服电话"), required=False),
    Column("emergency_phone", "24小时电话", ("应急电话", "值班电话", "24小时应急电话"), required=False),
    Column("front_desk_hours", "前台时间", ("办公时间", "服务时间"), required=False),
    Column("district", "区", ("所属区", "行政区"), required=False),
    Column("street", "街道", ("所属街道", "街道办"), required=False),
    Column("heating_provider", "供暖单位", ("供热单位", "热力公司"), required=False),
)
SETTINGS = ("service_phone", "emergency_phone", "front_desk_hours", "district", "street",
            "heating_provider")


@dataclass
class UnitRow:
    number: int
    community: str
    building: str
    unit: str
    room: str
    area_m2: Decimal
    owner_name: str
    owner_phone: str
    property_years: int | None
    property_start: date | None
    company: str | None
    service_phone: str | None = None
    emergency_phone: str | None = None
    front_desk_hours: str | None = None
    district: str | None = None
    street: str | None = None
    heating_provider: str | None = None

    def __post_init__(self) -> None:
        self.unit = self.unit or ""  # a blank unit cell: a building without units

    @property
    def home(self) -> tuple[str, str, str, str]:
        return (self.community, self.building, self.unit, self.room)


FIELDS: tuple[Field, ...] = (
    ("community", values.text_max(200), True), ("building", values.building, True),
    ("unit", values.unit, False), ("room", values.room, True), ("area_m2", values.area, True),
    ("owner_name", values.text_max(60), True), ("owner_phone", values.phone, True),
    ("property_years", values.whole_number(1, 99), False),
    ("property_start", values.day, False), ("company", values.text_max(200), False),
    ("service_phone", settings.contact_phone, False),
    ("emergency_phone", settings.contact_phone, False),
    ("front_desk_hours", settings.desk_hours, False), ("district", values.text_max(40), False),
    ("street", values.text_max(40), False), ("heating_provider", settings.heating_provider, False),
)


class _Seen:
    """What earlier rows of the file said, to catch duplicates and contradictions."""

    def __init__(self, errors: Collector) -> None:
        self.errors = errors
        self.rows: dict[tuple[str, ...], int] = {}
        self.homes: dict[tuple[str, ...], UnitRow] = {}
        self.phones: dict[str, UnitRow] = {}
        self.companies: dict[str, UnitRow] = {}
        self.settings: dict[tuple[str, str], UnitRow] = {}

    def check(self, r: UnitRow) -> bool:
        """False (and the errors recorded) when the row repeats or contradicts an earlier one."""
        fail, before = self.errors.fail, len(self.errors.errors)
        key = (*r.home, r.owner_phone)
        if key in self.rows:
            fail(r.number, "room", "import_duplicate_row", other=self.rows[key])
            return False
        self.rows[key] = r.number
        first = self.homes.setdefault(r.home, r)
        if first.area_m2 != r.area_m2:
            fail(r.number, "area_m2", "import_conflict", other=first.number, value=r.area_m2)
        same_phone = self.phones.setdefault(r.owner_phone, r)
        if same_phone.owner_name != r.owner_name:
            fail(r.number, "owner_name", "import_phone_other_name", other=same_phone.number,
                 phone=values.mask(r.owner_phone))
        if r.company:
            other = self.companies.setdefault(r.community, r)
            if other.company != r.company:
                fail(r.number, "company", "import_conflict", other=other.number, value=r.company)
        for name in SETTINGS:
            value = getattr(r, name)
            if value:
                other = self.settings.setdefault((r.community, name), r)
                if getattr(other, name) != value:
                    fail(r.number, name, "import_conflict", other=other.number, value=value)
        return len(self.errors.errors) == before and not self.errors.full


def validate(sheet: Sheet, progress: Progress | None = None) -> list[UnitRow]:
    """Parse and check every row; raise ImportRejectedError listing the errors."""
    errors = Collector()
    parsed = parse_rows(sheet, COLUMNS, FIELDS, errors, progress)
    seen = _Seen(errors)
    rows = [r for r in (UnitRow(n, *v) for n, v in parsed) if seen.check(r)]  # type: ignore[arg-type]
    errors.raise_if_any()
    return rows


def import_units(
    uow: UnitOfWork, sheet: Sheet, now: datetime, progress: Progress | None = None,
    actor: str = "cli", source: str = "",
) -> ImportSummary:
    """Validate the whole sheet, then create/update everything in `uow` (the caller commits)."""
    rows = validate(sheet, progress)
    summary = ImportSummary("units", len(rows))
    communities = _communities(uow, rows, summary)
    buildings = _buildings(uow, rows, communities, summary)
    home_ids = _homes(uow, rows, communities, buildings, summary, progress)
    owner_ids = _owners(uow, rows, summary)
    _memberships(uow, rows, home_ids, owner_ids, summary)
    summary.audit(uow, now, actor, source)
    uow.flush()
    return summary


def _communities(uow: UnitOfWork, rows: list[UnitRow], summary: ImportSummary) -> dict[str, int]:
    session = uow.session
    company_names = grouped(r.company for r in rows if r.company)
    stmt = select(Company).where(Company.name.in_(company_names))
    companies = {c.name: c for c in session.scalars(stmt)}
    for name in company_names:
        if name in companies:
            summary.count("company").unchanged += 1
        else:
            companies[name] = Company(name=name)
            session.add(companies[name])
            summary.count("company").created += 1
    existing = keys.communities_by_name(session, (r.community for r in rows))
    company_of = {r.community: r.company for r in rows if r.company}
    for name in grouped(r.community for r in rows):
        community = existing.get(name)
        if community is None:
            community = existing[name] = Community(name=name)
            session.add(community)
            summary.count("community").created += 1
        company = companies.get(company_of.get(name) or "")
        changed = bool(settings.apply(community, _settings_of(rows, name)))
        if company is not None and community.company is not company:
            community.company, changed = company, True
        if community.id is not None:
            if changed:
                summary.count("community").updated += 1
            else:
                summary.count("community").unchanged += 1
    session.flush()
    return {name: community.id for name, community in existing.items()}


def _settings_of(rows: list[UnitRow], community: str) -> settings.CommunityChanges:
    """The community's settings named in the file (the first non-blank cell of each)."""
    found: dict[str, str] = {}
    for r in rows:
        if r.community == community:
            for name in SETTINGS:
                value = getattr(r, name)
                if value and name not in found:
                    found[name] = value
    return settings.CommunityChanges(**found)


def _floor(room: str) -> int:
    # 501 → floor 5, 1102 → floor 11: Beijing room numbers lead with the floor.
    return int(room[:-2]) if room.isdigit() and len(room) >= 3 else 0


def _buildings(uow: UnitOfWork, rows: list[UnitRow], communities: dict[str, int],
               summary: ImportSummary) -> dict[tuple[int, str], int]:
    session = uow.session
    stmt = select(Building).where(Building.community_id.in_(list(communities.values())))
    found = {(b.community_id, b.name): b for b in session.scalars(stmt)}
    floors: dict[tuple[int, str], int] = {}
    for r in rows:
        key = (communities[r.community], r.building)
        floors[key] = max(floors.get(key, 0), _floor(r.room))
    for key, top in floors.items():
        building = found.get(key)
        if building is None:
            found[key] = Building(community_id=key[0], name=key[1], floors=top)
            session.add(found[key])
            summary.count("building").created += 1
        elif top > (building.floors or 0):
            building.floors = top
            summary.count("building").updated += 1
        else:
            summary.count("building").unchanged += 1
    session.flush()
    return {key: b.id for key, b in found.items()}


def _homes(uow: UnitOfWork, rows: list[UnitRow], communities: dict[str, int],
           buildings: dict[tuple[int, str], int], summary: ImportSummary,
           progress: Progress | None) -> dict[tuple[str, ...], int]:
    session = uow.session
    index = keys.home_index(session, communities.values())

    def key_of(r: UnitRow) -> keys.HomeKey:
        return (communities[r.community], r.building, r.unit, r.room)

    inserts: dict[keys.HomeKey, dict[str, object]] = {}
    updates: dict[int, dict[str, object]] = {}
    for r in rows:
        key, old = key_of(r), index.get(key_of(r)) or {}
        new = {"area_m2": r.area_m2,
               "property_years": r.property_years or old.get("property_years") or 70,
               "property_start": r.property_start or old.get("property_start")}
        if not old:
            inserts.setdefault(key, {"building_id": buildings[key[:2]], "unit": r.unit,
                                     "room": r.room, **new})
        elif changed(old, new):
            updates[old["id"]] = {"id": old["id"], **new}
    counts = summary.count("home")
    counts.created, counts.updated = len(inserts), len(updates)
    counts.unchanged = len({key_of(r) for r in rows}) - len(inserts) - len(updates)
    advance = ticker(progress, "write", len(inserts) + len(updates))
    insert_many(session, Home, list(inserts.values()), advance)
    update_many(session, Home, list(updates.values()), advance)
    index = keys.home_index(session, communities.values())
    return {r.home: index[key_of(r)]["id"] for r in rows}


def _owners(uow: UnitOfWork, rows: list[UnitRow], summary: ImportSummary) -> dict[str, int]:
    session = uow.session
    existing = keys.owners_by_phone(session, (r.owner_phone for r in rows))
    inserts: dict[str, dict[str, object]] = {}
    updates: dict[int, dict[str, object]] = {}
    for r in rows:
        old = existing.get(r.owner_phone)
        if old is None:
            inserts.setdefault(r.owner_phone, {"name": r.owner_name, "phone": r.owner_phone})
        elif old["name"] != r.owner_name:
            updates[old["id"]] = {"id": old["id"], "name": r.owner_name}
    counts = summary.count("owner")
    counts.created, counts.updated = len(inserts), len(updates)
    counts.unchanged = len({r.owner_phone for r in rows}) - len(inserts) - len(updates)
    insert_many(session, Owner, list(inserts.values()))
    update_many(session, Owner, list(updates.values()))
    stored = keys.owners_by_phone(session, inserts.keys() | existing.keys())
    return {phone: owner["id"] for phone, owner in stored.items()}


def _memberships(uow: UnitOfWork, rows: list[UnitRow], home_ids: dict[tuple[str, ...], int],
                 owner_ids: dict[str, int], summary: ImportSummary) -> None:
    # Only adds: a home may have several owners, and the file need not list them all.
    session = uow.session
    pairs = grouped((home_ids[r.home], owner_ids[r.owner_phone]) for r in rows)
    existing: set[tuple[int, int]] = set()
    for batch in chunks(grouped(h for h, _ in pairs), KEY_CHUNK):
        stmt = select(HomeMember.home_id, HomeMember.owner_id).where(HomeMember.home_id.in_(batch))
        existing.update((m.home_id, m.owner_id) for m in session.execute(stmt))
    new = [{"home_id": h, "owner_id": o, "role": "owner"} for h, o in pairs if (h, o) not in existing]
    counts = summary.count("membership")
    counts.created, counts.unchanged = len(new), len(pairs) - len(new)
    insert_many(session, HomeMember, new)
