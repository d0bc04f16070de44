"""Import staff: one row per person and company; re-importing updates them by phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from handlers.imports import values, vocab
from handlers.imports.bulk import ImportSummary, changed, grouped, insert_many
from handlers.imports.sheet import CellError, Collector, Column, Field, Progress, Sheet, parse_rows
from storage.models import Building, Community, Company, Staff
from storage.uow import UnitOfWork

COLUMNS = (
    Column("company", "物业公司", ("公司", "物业服务企业", "所属公司")),
    Column("name", "姓名", ("员工姓名", "员工", "名字")),
    Column("phone", "电话", ("手机", "手机号", "手机号码", "联系电话")),
    Column("role", "岗位", ("角色", "职务", "职位", "工种")),
    Column("categories", "维修类别", ("负责类别", "类别", "专业", "工种类别"), required=False),
    Column("buildings", "负责楼栋", ("楼栋", "负责楼号", "负责区域"), required=False),
)


@dataclass
class StaffRow:
    number: int
    company: str
    name: str
    phone: str
    role: str
    categories: str | None  # None = column absent: keep what is stored
    buildings: str | None


class _Places:
    """Buildings by community, to turn `3` or `望京花园/3号楼` into `望京花园/3`."""

    def __init__(self, uow: UnitOfWork) -> None:
        stmt = (select(Community.name, Company.name.label("company"), Building.name.label("building"))
                .join(Building, Building.community_id == Community.id)
                .outerjoin(Company, Community.company_id == Company.id))
        self.rows = list(uow.session.execute(stmt))

    def resolve(self, company: str, words: list[str]) -> str:
        out = []
        for word in words:
            community, _, building = word.rpartition("/")
            building = vocab.building_name(building)
            matches = grouped(f"{r.name}/{r.building}" for r in self.rows if r.building == building
                              and (r.name == community.strip() if community else r.company == company))
            if not matches:
                raise CellError("import_unknown_building", value=word)
            if len(matches) > 1:
                raise CellError("import_ambiguous_building", value=word, options="、".join(matches))
            out.append(matches[0])
        return ",".join(grouped(out))


FIELDS: tuple[Field, ...] = (
    ("company", values.text_max(200), True), ("name", values.text_max(60), True), ("phone", values.phone, True),
    ("role", values.role, True), ("categories", values.categories, False),
    ("buildings", lambda raw: tuple(vocab.split_list(values.text(raw))), False),
)


def validate(uow: UnitOfWork, sheet: Sheet, progress: Progress | None = None) -> list[StaffRow]:
    """Parse every row and resolve its buildings; raise ImportRejectedError listing the errors."""
    errors = Collector()
    parsed = parse_rows(sheet, COLUMNS, FIELDS, errors, progress)
    # A column left out keeps what is stored; an empty cell in a present column means "any".
    has = {name: name in errors.labels for name in ("categories", "buildings")}
    places = _Places(uow)
    seen: dict[tuple[str, str], int] = {}
    rows: list[StaffRow] = []
    for number, (company, name, phone, role, categories, words) in parsed:
        key = (str(company), str(phone))
        if key in seen:
            errors.fail(number, "phone", "import_duplicate_row", other=seen[key])
            continue
        seen[key] = number
        try:
            buildings = places.resolve(str(company), list(words or ())) if has["buildings"] else None
        except CellError as bad:
            errors.fail(number, "buildings", bad.key, **bad.params)
            continue
        if categories is None and has["categories"]:
            categories = ""
        rows.append(StaffRow(number, str(company), str(name), str(phone), str(role),
                             categories, buildings))  # type: ignore[arg-type]
    errors.raise_if_any()
    return rows


def import_staff(
    uow: UnitOfWork, sheet: Sheet, now: datetime, progress: Progress | None = None,
    actor: str = "cli", source: str = "",
) -> ImportSummary:
    """Validate the whole sheet, then create/update companies and staff (the caller commits)."""
    rows = validate(uow, sheet, progress)
    summary = ImportSummary("staff", len(rows))
    session = uow.session
    names = grouped(r.company for r in rows)
    companies = {c.name: c for c in session.scalars(select(Company).where(Company.name.in_(names)))}
    for name in names:
        if name in companies:
            summary.count("company").unchanged += 1
        else:
            companies[name] = Company(name=name)
            session.add(companies[name])
            summary.count("company").created += 1
    session.flush()
    stmt = select(Staff).where(Staff.company_id.in_([c.id for c in companies.values()]))
    existing = {(s.company_id, s.phone): s for s in session.scalars(stmt)}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for r in rows:
        company_id = companies[r.company].id
        old = existing.get((company_id, r.phone))
        new: dict[str, Any] = {"name": r.name, "role": r.role, "active": True}
        new |= {k: v for k, v in (("categories", r.categories), ("buildings", r.buildings)) if v is not None}
        if old is None:
            inserts.append({"company_id": company_id, "phone": r.phone, "categories": "",
                            "buildings": "", "on_duty": True, **new})
        elif changed({k: getattr(old, k) for k in new}, new):
            updates.append({"id": old.id, **new})
    counts = summary.count("staff")
    counts.created, counts.updated = len(inserts), len(updates)
    counts.unchanged = len(rows) - len(inserts) - len(updates)
    insert_many(session, Staff, inserts)
    for update in updates:  # a few dozen rows, each with its own columns: plain ORM updates
        staff = session.get(Staff, update.pop("id"))
        for key, value in update.items():
            setattr(staff, key, value)
    summary.audit(uow, now, actor, source)
    session.flush()
    return summary
