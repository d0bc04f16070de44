"""The demo's organisation and people: company, community, buildings, homes, owners, staff."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from handlers.demo_seed import content
from storage.models import (
    Building,
    ChannelIdentity,
    Community,
    Company,
    Home,
    HomeMember,
    Owner,
    Staff,
)
from storage.uow import UnitOfWork


@dataclass
class DemoHome:
    id: int
    label: str
    building: str
    area_m2: Decimal
    owner_id: int


@dataclass
class DemoOrg:
    """Ids the rest of the seed refers to."""

    company_id: int
    community_id: int
    community_name: str
    building_ids: dict[str, int]
    homes: list[DemoHome] = field(default_factory=list)
    staff: dict[str, int] = field(default_factory=dict)  # name → id
    owners: int = 0
    demo_home: DemoHome | None = None

    def home(self, label: str) -> DemoHome:
        """The home `3-2-501`."""
        return next(h for h in self.homes if h.label == label)

    def staff_id(self, role: str) -> int:
        """The first staff member with `role`."""
        name = next(s[0] for s in content.STAFF if s[2] == role)
        return self.staff[name]


def build_org(uow: UnitOfWork, now: datetime, rng: random.Random) -> DemoOrg:
    """Company (reused if it exists), community, buildings, ~300 homes, owners, staff."""
    session = uow.session
    company = session.scalars(select(Company).where(Company.name == content.COMPANY["name"])).first()
    if company is None:
        company = Company(**content.COMPANY)
        session.add(company)
    community = Community(company=company, **content.COMMUNITY)
    session.add(community)
    buildings = {name: Building(community=community, name=name, floors=floors)
                 for name, floors, *_ in content.BUILDINGS}
    session.add_all(buildings.values())
    session.flush()
    org = DemoOrg(company.id, community.id, community.name,
                  {name: b.id for name, b in buildings.items()})
    homes = _homes(uow, buildings, now, rng)
    _owners(uow, org, homes, rng)
    _staff(uow, org, company)
    _demo_identity(uow, org, now)
    return org


def _homes(uow: UnitOfWork, buildings: dict[str, Building], now: datetime,
           rng: random.Random) -> list[Home]:
    homes: list[Home] = []
    for name, floors, units, per_floor, age in content.BUILDINGS:
        start = date(now.year - age, rng.randint(3, 11), 1)
        # One layout per stack (unit, position): flats above each other are alike.
        layout = {(u, p): rng.choice(content.LAYOUTS) for u in range(1, units + 1)
                  for p in range(1, per_floor + 1)}
        for unit in range(1, units + 1):
            for floor in range(1, floors + 1):
                for position in range(1, per_floor + 1):
                    room = f"{floor}{position:02d}"
                    area = layout[(unit, position)]
                    if (name, str(unit), room) == content.DEMO_HOME:
                        area = Decimal("89.50")
                    homes.append(Home(building=buildings[name], unit=str(unit), room=room,
                                      area_m2=area, property_years=70, property_start=start))
    uow.session.add_all(homes)
    uow.session.flush()
    return homes


def _person(rng: random.Random) -> str:
    return rng.choice(content.SURNAMES) + rng.choice(content.GIVEN)


def _owners(uow: UnitOfWork, org: DemoOrg, homes: list[Home], rng: random.Random) -> None:
    # Fake numbers: 170 for owners, 171 for residents and staff, tails drawn without repeats.
    tails = iter(rng.sample(range(10_000_000, 99_999_999), 2 * len(homes)))
    demo_label = "-".join(content.DEMO_HOME)
    owners: list[tuple[Home, Owner]] = []
    members: list[HomeMember] = []
    for home in homes:
        label = f"{home.building.name}-{home.unit}-{home.room}"
        previous = owners[-1][1] if owners else None
        if label == demo_label:
            owner = Owner(name=content.DEMO_OWNER[0], phone=content.DEMO_OWNER[1])
        elif previous is not None and previous.phone != content.DEMO_OWNER[1] and rng.random() < 0.03:
            owner = previous  # a few owners hold two homes (not the demo owner: one home, one answer)
        else:
            owner = Owner(name=_person(rng), phone=f"170{next(tails):08d}")
        owners.append((home, owner))
        members.append(HomeMember(home=home, owner=owner, role="owner"))
        draw = rng.random()
        if draw < 0.25 and label != demo_label:
            other = Owner(name=_person(rng), phone=f"171{next(tails):08d}")
            members.append(HomeMember(home=home, owner=other, role="tenant" if draw < 0.05 else "resident"))
    uow.session.add_all(members)
    uow.session.flush()  # one flush: the rows go in as a few multi-row INSERTs
    org.owners = len({id(owner) for _, owner in owners})
    for home, owner in owners:
        demo_home = DemoHome(home.id, f"{home.building.name}-{home.unit}-{home.room}",
                             home.building.name, home.area_m2, owner.id)
        org.homes.append(demo_home)
        if demo_home.label == demo_label:
            org.demo_home = demo_home


def _staff(uow: UnitOfWork, org: DemoOrg, company: Company) -> None:
    for name, phone, role, categories, buildings in content.STAFF:
        places = ",".join(f"{org.community_name}/{b}" for b in buildings.split(",") if b)
        staff = uow.session.scalars(select(Staff).where(
            Staff.company_id == company.id, Staff.phone == phone)).first()
        if staff is None:
            staff = Staff(company_id=company.id, phone=phone, name=name, role=role,
                          categories=categories, buildings=places, on_duty=True, active=True)
            uow.session.add(staff)
            uow.session.flush()
        org.staff[name] = staff.id


def _demo_identity(uow: UnitOfWork, org: DemoOrg, now: datetime) -> None:
    """The user `demo` (web chat and `bot chat`) speaks for the owner of the demo home (arrears)."""
    assert org.demo_home is not None
    session = uow.session
    for channel in ("web", "terminal"):
        identity = session.scalars(select(ChannelIdentity).where(
            ChannelIdentity.channel == channel, ChannelIdentity.external_id == "demo")).first()
        if identity is None:
            identity = ChannelIdentity(channel=channel, external_id="demo", created_at=now,
                                       display_name="演示业主")
            session.add(identity)
        identity.owner_id, identity.home_id = org.demo_home.owner_id, org.demo_home.id
        identity.staff_id, identity.verified = None, True
    session.flush()
