"""Operations fixtures: staff with chat accounts, a cleaning plan, helpers to read the outbox."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from handlers.deps import Deps
from storage.models import OutboxMessage
from tests.chat import FakeClock
from tests.factories import World, add_staff, bind_identity

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def pushes(deps: Deps, kind: str | None = None) -> list[tuple[int, str, list[dict[str, str]]]]:
    """(identity id, text, buttons) of every outbox row, oldest first."""
    with deps.uow() as uow:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return [(r.identity_id, json.loads(r.payload)["text"], json.loads(r.payload)["buttons"])
                for r in uow.session.scalars(stmt)]


@pytest.fixture
def crew(deps: Deps, world: World, clock: FakeClock) -> dict[str, int]:
    """Two cleaners and a second manager, each with a chat account; ids and identity ids."""
    now = clock()
    with deps.uow() as uow:
        ids = {
            "cleaner_a": add_staff(uow, world.company_id, "刘阿姨", "13700000011", "cleaning"),
            "cleaner_b": add_staff(uow, world.company_id, "陈阿姨", "13700000012", "cleaning"),
            "manager_b": add_staff(uow, world.company_id, "孙经理", "13700000013", "manager"),
            "manager": world.staff_ids["manager"],
        }
        ids |= {
            "id_cleaner_a": bind_identity(uow, "telegram", "511", now, staff_id=ids["cleaner_a"]),
            "id_cleaner_b": bind_identity(uow, "wecom", "chen", now, staff_id=ids["cleaner_b"]),
            "id_manager": bind_identity(uow, "wecom", "zhao-jl", now, staff_id=ids["manager"]),
            "id_manager_b": bind_identity(uow, "wecom", "sun-jl", now, staff_id=ids["manager_b"]),
        }
        uow.commit()
    return ids
