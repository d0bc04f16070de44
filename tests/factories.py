"""A small world of domain rows for tests: one company, one community, a few homes and bills."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from storage.models import (
    Bill,
    Building,
    Community,
    Company,
    Home,
    HomeMember,
    Owner,
    Staff,
)
from storage.uow import UnitOfWork


@dataclass
class World:
    company_id: int
    community_id: int
    home_ids: dict[str, int]  # "3-2-501" → id
    owner_ids: dict[str, int]  # phone → id
    staff_ids: dict[str, int]  # role → id


def build_world(uow: UnitOfWork) -> World:
    """Company 京华物业, community 望京花园 with buildings 3 and 12, two owners, some bills."""
    s = uow.session
    company = Company(name="京华物业服务有限公司", qualification_level="一级", phone="010-64001234")
    community = Community(
        name="望京花园", company=company, district="朝阳区", address="北京市朝阳区望京街10号",
        parking_spaces=420, green_area_m2=Decimal("18500.00"), elevators=12,
        cleaning_frequency="公共区域每日两次", patrol_times="每2小时一次，夜间22:00-6:00每小时一次",
        garbage_times="每日7:00、19:00", service_phone="010-64001234",
        emergency_phone="010-64009999", front_desk_hours="8:00-20:00",
    )
    b3 = Building(name="3", community=community, floors=18)
    b12 = Building(name="12", community=community, floors=26)
    h1 = Home(building=b3, unit="2", room="501", area_m2=Decimal("89.50"), property_years=70)
    h2 = Home(building=b3, unit="2", room="502", area_m2=Decimal("120.00"), property_years=70)
    h3 = Home(building=b12, unit="", room="1102", area_m2=Decimal("66.00"), property_years=70)
    wang = Owner(name="王建国", phone="13812345678")
    li = Owner(name="李秀英", phone="13900001111")
    s.add_all([company, community, b3, b12, h1, h2, h3, wang, li])
    s.flush()
    s.add_all([
        HomeMember(home_id=h1.id, owner_id=wang.id, role="owner"),
        HomeMember(home_id=h3.id, owner_id=wang.id, role="owner"),
        HomeMember(home_id=h2.id, owner_id=li.id, role="owner"),
    ])
    repair = Staff(company=company, name="张师傅", phone="13700000001", role="repair",
                   categories="plumbing,electrical", buildings="")
    manager = Staff(company=company, name="赵经理", phone="13700000002", role="manager")
    finance = Staff(company=company, name="钱会计", phone="13700000003", role="finance")
    s.add_all([repair, manager, finance])
    s.add_all([
        Bill(home_id=h1.id, item="property_fee", period="2026-10", amount=Decimal("268.50"),
             due_date=date(2026, 10, 31)),
        Bill(home_id=h1.id, item="property_fee", period="2026-11", amount=Decimal("268.50"),
             due_date=date(2026, 11, 30)),
        Bill(home_id=h1.id, item="water", period="2026-10", amount=Decimal("45.20"),
             due_date=date(2026, 11, 15)),
        Bill(home_id=h1.id, item="property_fee", period="2026-09", amount=Decimal("268.50"),
             due_date=date(2026, 9, 30), status="paid",
             paid_at=datetime.fromisoformat("2026-09-20T10:00:00+08:00")),
        Bill(home_id=h2.id, item="property_fee", period="2026-11", amount=Decimal("360.00"),
             due_date=date(2026, 11, 30)),
    ])
    s.flush()
    return World(
        company_id=company.id,
        community_id=community.id,
        home_ids={"3-2-501": h1.id, "3-2-502": h2.id, "12-1102": h3.id},
        owner_ids={wang.phone: wang.id, li.phone: li.id},
        staff_ids={"repair": repair.id, "manager": manager.id, "finance": finance.id},
    )
