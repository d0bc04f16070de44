"""The demo seed: a whole community, current bills with arrears, the demo web user bound."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from handlers.demo_seed import SeedResult, seed_demo
from handlers.deps import Deps
from handlers.util import yuan
from storage.db import make_engine, make_session_factory
from storage.models import (
    Base,
    Bill,
    ChannelIdentity,
    FaqEntry,
    Home,
    MaintenanceFundEntry,
    Notice,
    Owner,
    Payment,
    Policy,
    RectificationNotice,
    ServiceContract,
    Staff,
    Ticket,
    TicketEvent,
)
from storage.stores.memory import MemoryClaimStore, MemoryKeyValueStore
from storage.uow import UnitOfWork
from tests.chat import Chat, FakeClock
from tests.factories import build_world

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def seed_into(path: Path) -> tuple[Callable[[], UnitOfWork], SeedResult]:
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    with UnitOfWork(factory) as uow:
        result = seed_demo(uow, NOW)
        uow.commit()
    return (lambda: UnitOfWork(factory)), result


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Callable[[], UnitOfWork], SeedResult]:
    """One seeded database for the whole module (seeding takes a second or two): read only."""
    return seed_into(tmp_path_factory.mktemp("demo") / "demo.sqlite3")


@pytest.fixture
def seeded(demo: tuple[Callable[[], UnitOfWork], SeedResult]) -> SeedResult:
    return demo[1]


@pytest.fixture
def uow_factory(demo: tuple[Callable[[], UnitOfWork], SeedResult]) -> Callable[[], UnitOfWork]:
    return demo[0]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


def count(uow: UnitOfWork, model: type) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_seed_builds_a_whole_community(seeded: SeedResult, uow_factory, clock: FakeClock) -> None:
    assert (seeded.status, seeded.community, seeded.demo_home) == ("created", "望京花园", "3-2-501")
    with uow_factory() as uow:
        assert count(uow, Home) == seeded.homes == 304
        assert count(uow, Owner) > 300  # owners plus family members and tenants
        assert count(uow, Staff) == 10
        assert {s.role for s in uow.session.scalars(select(Staff))} == {
            "manager", "repair", "cleaning", "security", "finance", "front_desk"}
        assert count(uow, Bill) == seeded.bills > 10_000
        assert count(uow, Payment) > 1_000
        assert count(uow, FaqEntry) >= 20
        assert count(uow, Policy) == 6
        assert count(uow, RectificationNotice) == 2
        assert count(uow, MaintenanceFundEntry) > 10
        contract = uow.session.scalars(select(ServiceContract)).one()
        assert contract.fee_per_m2 == Decimal("3.05") and len(contract.terms.splitlines()) == 10
        areas = [h.area_m2 for h in uow.session.scalars(select(Home))]
        assert Decimal(60) <= min(areas) and max(areas) <= Decimal(160)
        assert {t.status for t in uow.session.scalars(select(Ticket))} >= {
            "assigned", "in_progress", "resolved", "closed", "cancelled"}
        assert count(uow, TicketEvent) > count(uow, Ticket)


def test_about_one_home_in_ten_is_overdue(seeded: SeedResult, uow_factory, clock: FakeClock) -> None:
    today = clock().date()
    with uow_factory() as uow:
        overdue = uow.session.scalar(select(func.count(func.distinct(Bill.home_id))).where(
            Bill.status == "unpaid", Bill.due_date < today))
        current = uow.session.scalar(select(func.count(Bill.id)).where(
            Bill.period == f"{today:%Y-%m}", Bill.item == "property_fee"))
    assert 0.05 * seeded.homes <= overdue <= 0.15 * seeded.homes
    assert current == seeded.homes  # this month's fee exists for every home


def test_demo_user_is_bound_to_a_home_with_arrears(seeded: SeedResult, uow_factory, clock: FakeClock) -> None:
    with uow_factory() as uow:
        identity = uow.session.scalars(select(ChannelIdentity).where(
            ChannelIdentity.channel == "web", ChannelIdentity.external_id == "demo")).one()
        assert identity.verified and identity.home is not None
        assert identity.home.label == "3-2-501"
        overdue = uow.session.scalar(select(func.sum(Bill.amount)).where(
            Bill.home_id == identity.home_id, Bill.status == "unpaid", Bill.due_date < clock().date()))
    assert overdue and overdue > 0


def test_water_outage_tomorrow_for_building_3(seeded: SeedResult, uow_factory, clock: FakeClock) -> None:
    with uow_factory() as uow:
        notice = uow.session.scalars(select(Notice).where(Notice.kind == "water_outage")).one()
        assert notice.scope == "building"
        assert notice.starts_at.astimezone(clock().tzinfo).date() == clock().date() + timedelta(days=1)


def test_demo_user_asks_what_is_owed(seeded: SeedResult, uow_factory, parser, clock: FakeClock) -> None:
    with uow_factory() as uow:
        home_id = uow.session.scalars(select(ChannelIdentity.home_id).where(
            ChannelIdentity.channel == "web", ChannelIdentity.external_id == "demo")).one()
        owed = uow.session.scalar(select(func.sum(Bill.amount)).where(
            Bill.home_id == home_id, Bill.status == "unpaid", Bill.item == "property_fee"))
    deps = Deps(uow=uow_factory, parser=parser, state=MemoryKeyValueStore(),
                claims=MemoryClaimStore(), clock=clock)
    reply = Chat(deps, user="demo").say("我家物业费还欠多少")
    assert yuan(owed) in "\n".join(r.text for r in reply)


def test_if_empty_and_a_second_run_write_nothing(seeded: SeedResult, uow_factory, clock: FakeClock) -> None:
    with uow_factory() as uow:
        before = count(uow, Bill)
        assert seed_demo(uow, clock(), if_empty=True).status == "skipped"
        assert seed_demo(uow, clock()).status == "exists"
        uow.commit()
        assert count(uow, Bill) == before


def test_if_empty_skips_any_existing_community(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'world.sqlite3'}")
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    with UnitOfWork(factory) as uow:
        build_world(uow)
        uow.commit()
        assert seed_demo(uow, NOW, if_empty=True).status == "skipped"
    engine.dispose()


def test_same_now_same_data(uow_factory, tmp_path: Path) -> None:
    def fingerprint(uow: UnitOfWork) -> tuple[object, ...]:
        return (uow.session.scalar(select(func.sum(Bill.amount))),
                uow.session.scalar(select(func.count(Bill.id)).where(Bill.status == "paid")),
                tuple(uow.session.scalars(select(Owner.name).order_by(Owner.id).limit(20))))

    other, _ = seed_into(tmp_path / "again.sqlite3")
    with other() as a, uow_factory() as b:
        assert fingerprint(a) == fingerprint(b)
