"""Supervision tests run on SQLite, and on PostgreSQL when WUYE_TEST_DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from handlers.deps import Deps, HandlerSettings
from storage.models import Community
from storage.stores.memory import MemoryClaimStore, MemoryKeyValueStore
from storage.uow import UnitOfWork
from tests.chat import FakeClock
from tests.factories import World, add_other_company, build_world
from tests.storage.conftest import (  # noqa: F401 - fixtures shared with the storage suites
    pg_engine,
    pg_session_factory,
    sqlite_engine,
    sqlite_session_factory,
    sqlite_template,
)

Uow = Callable[[], UnitOfWork]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Uow:
    """A unit-of-work factory on each database."""
    name = "sqlite_session_factory" if request.param == "sqlite" else "pg_session_factory"
    sessions = request.getfixturevalue(name)
    return lambda: UnitOfWork(sessions)


@pytest.fixture
def sworld(db: Uow) -> World:
    """The factory world in 朝阳区劲松街道, plus 安居物业's 朝阳新城 in 朝阳区 (no street)."""
    with db() as uow:
        world = build_world(uow)
        other = add_other_company(uow)
        wangjing = uow.session.get(Community, world.community_id)
        wangjing.district, wangjing.street = "朝阳区", "劲松街道"
        chaoyang = uow.session.scalars(select(Community).where(Community.id == other["community_id"])).one()
        chaoyang.district = "朝阳区"
        uow.commit()
    world.other = other  # type: ignore[attr-defined]
    return world


@pytest.fixture
def sdeps(db: Uow, sworld: World, parser: object, clock: FakeClock, tmp_path: Path) -> Deps:
    """Deps on the parametrised database, with the supervision world built."""
    return Deps(
        uow=db, parser=parser,  # type: ignore[arg-type]
        state=MemoryKeyValueStore(), claims=MemoryClaimStore(), clock=clock,
        settings=HandlerSettings(media_dir=tmp_path / "media"),
    )
