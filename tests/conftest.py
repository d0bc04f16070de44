"""Shared fixtures: a fake clock, a migrated SQLite database, the real NLU, Deps, the chat harness."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers.deps import Deps, HandlerSettings
from storage.db import make_engine, make_session_factory
from storage.models import Base
from storage.stores.memory import MemoryClaimStore, MemoryKeyValueStore
from storage.uow import UnitOfWork
from tests.chat import Chat, FakeClock
from tests.factories import World, build_world

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEST_DATABASE_URL = os.environ.get("WUYE_TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("WUYE_TEST_REDIS_URL", "")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[object]:
    eng = make_engine(f"sqlite:///{tmp_path / 'wuye.sqlite3'}")
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def uow_factory(engine: object) -> object:
    factory = make_session_factory(engine)  # type: ignore[arg-type]
    return lambda: UnitOfWork(factory)


@pytest.fixture
def world(uow_factory: object) -> World:
    with uow_factory() as uow:  # type: ignore[operator]
        built = build_world(uow)
        uow.commit()
    return built


@pytest.fixture(scope="session")
def parser() -> object:
    from nlu import build_parser

    return build_parser("embedded", cache_dir=Path(".cache/nlu-test"))


@pytest.fixture
def deps(uow_factory: object, parser: object, clock: FakeClock, tmp_path: Path) -> Deps:
    return Deps(
        uow=uow_factory,  # type: ignore[arg-type]
        parser=parser,  # type: ignore[arg-type]
        state=MemoryKeyValueStore(),
        claims=MemoryClaimStore(),
        clock=clock,
        settings=HandlerSettings(media_dir=tmp_path / "media"),
    )


@pytest.fixture
def chat(deps: Deps, world: World) -> Chat:
    """An owner's web chat, not yet bound."""
    return Chat(deps)


@pytest.fixture
def owner_chat(deps: Deps, world: World) -> Chat:
    """王建国's chat, bound to 3-2-501 (he also owns 12-1102)."""
    c = Chat(deps, user="wang")
    c.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    return c
