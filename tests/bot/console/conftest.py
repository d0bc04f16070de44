"""A console on loopback: two companies, accounts per role, and a logged-in client helper."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App, build_app, upgrade_db
from bot.config import Settings
from bot.console.passwords import Argon2Hasher
from bot.http import build_web_app
from handlers.office.accounts import set_password
from tests.chat import FakeClock
from tests.factories import add_other_company, add_staff, build_world

PASSWORD = "correct horse 9"


@dataclass
class Office:
    """Ids of the two companies' people, and the phones that log in as each role."""

    company_a: int
    company_b: int
    phones: dict[str, str] = field(default_factory=dict)  # "a:front_desk" → phone
    world: Any = None
    other: dict[str, int] = field(default_factory=dict)


def console_settings(tmp_path: Path, database_url: str = "", **console: Any) -> Settings:
    return Settings(
        database={"url": database_url or f"sqlite:///{tmp_path / 'console.sqlite3'}"},
        media={"dir": tmp_path / "media"},
        web={"secret_file": tmp_path / "web_secret"},
        console=console,
    )


def seed_office(app: App) -> Office:
    """Company A (京华, the test world) and B (安居), with a console account per role."""
    now = app.deps.clock()
    hasher = Argon2Hasher()
    with app.deps.uow() as uow:
        world = build_world(uow)
        other = add_other_company(uow)
        office = Office(world.company_id, other["company_id"], world=world, other=other)
        people = {
            "a:manager": "13700000002", "a:finance": "13700000003", "a:repair": "13700000001",
            "b:repair": "13700009999",
        }
        for key, role in (("a:front_desk", "front_desk"), ("a:cleaning", "cleaning"),
                          ("a:security", "security"), ("a:admin", "manager"),
                          ("b:front_desk", "front_desk"), ("b:admin", "manager")):
            company = office.company_a if key.startswith("a:") else office.company_b
            phone = f"1350000{len(people):04d}"
            add_staff(uow, company, f"{key}员工", phone, role)
            people[key] = phone
        # Regulators (issue 13): 朝阳区 holds company A's 望京花园; 海淀区 holds neither.
        from handlers.supervision.accounts import add_regulator

        for key, district, phone in (("regulator", "朝阳区", "17100009001"),
                                     ("other_regulator", "海淀区", "17100009002")):
            add_regulator(uow, name=f"{district}监管", district=district, street="", phone=phone,
                          department="", now=now)
            people[key] = phone
        for key, phone in people.items():
            set_password(uow, hasher, phone, PASSWORD, now, admin=key.endswith(":admin"))
        office.phones = people
        uow.commit()
    return office


@pytest.fixture
def console_app(tmp_path: Path, parser: object, clock: FakeClock) -> Iterator[App]:
    # The conformance tests log in several times per operation from one address: the
    # per-address throttle (tested on its own in test_auth) must not count them.
    settings = console_settings(tmp_path, login_attempts_per_address=1000)
    upgrade_db(settings)
    app = build_app(settings, parser=parser, clock=clock)  # type: ignore[arg-type]
    yield app
    app.close()


@pytest.fixture
def office(console_app: App) -> Office:
    return seed_office(console_app)


@pytest.fixture
async def client(console_app: App) -> AsyncIterator[TestClient]:
    web_app = build_web_app(console_app, plugins=("bot.console",))
    test_client = TestClient(TestServer(web_app, host="127.0.0.1"))
    await test_client.start_server()
    yield test_client
    await test_client.close()


async def login(client: TestClient, phone: str, password: str = PASSWORD) -> str:
    """Log the client in; returns the CSRF token (the cookie stays in the client's jar)."""
    response = await client.post("/console/api/login", json={"phone": phone, "password": password})
    assert response.status == 200, await response.text()
    return (await response.json())["csrf_token"]
