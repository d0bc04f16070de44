"""The role/permission table: the same in code and README, and what each actor may see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import App
from handlers.errors import Forbidden, NotFound
from handlers.office.access import Actor, actor_for_account, in_scope, require, show_phone
from handlers.office.permissions import PERMISSIONS, ROLES
from storage.models import Community, ConsoleAccount, Staff
from storage.repositories.scope import Scope
from tests.bot.console.conftest import Office

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_table() -> dict[str, set[str]]:
    """permission → roles, from the README's permission table (✓ marks)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- console-permissions -->")[1].split("<!-- /console-permissions -->")[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    labels = {label: code for code, label in ROLES.items()}
    table = {}
    for line in rows[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        name = re.sub(r"`", "", cells[0])
        table[name] = {labels[header[i]] for i, cell in enumerate(cells) if i > 1 and cell == "✓"}
    return table


def test_readme_lists_exactly_the_code_table() -> None:
    assert readme_table() == {name: set(roles) for name, (_, roles) in PERMISSIONS.items()}


def test_every_permission_names_known_roles() -> None:
    for _, roles in PERMISSIONS.values():
        assert roles <= set(ROLES)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_require_follows_the_table(role: str) -> None:
    actor = Actor(1, "regulator" if role == "regulator" else "staff", role, "x", Scope(company_id=1))
    for name, (_, roles) in PERMISSIONS.items():
        if role in roles:
            require(actor, name)
        else:
            with pytest.raises(Forbidden):
                require(actor, name)


def test_phones_are_masked_unless_the_role_needs_them() -> None:
    desk = Actor(1, "staff", "front_desk", "x", Scope(company_id=1))
    repair = Actor(2, "staff", "repair", "x", Scope(company_id=1))
    assert show_phone(desk, "13812345678") == "13812345678"
    assert show_phone(repair, "13812345678") == "138****5678"


def test_staff_scope_is_their_company_and_buildings(console_app: App, office: Office) -> None:
    with console_app.deps.uow() as uow:
        a = uow.session.get(Community, office.world.community_id)
        b = uow.session.get(Community, office.other["community_id"])
        account = uow.console.account_by_phone(office.phones["a:front_desk"])
        actor = actor_for_account(uow, account)
        assert actor is not None and actor.scope == Scope(company_id=office.company_a)
        in_scope(actor, a)
        with pytest.raises(NotFound):  # another tenant's: not found, never forbidden
            in_scope(actor, b)
        staff = uow.session.get(Staff, account.staff_id)
        staff.buildings = "望京花园/3"
        narrowed = actor_for_account(uow, account)
        b3 = next(x for x in a.buildings if x.name == "3")
        b12 = next(x for x in a.buildings if x.name == "12")
        assert narrowed.scope.building_ids == {b3.id}
        in_scope(narrowed, a, b3.id)
        in_scope(narrowed, a)  # community-wide rows stay visible
        with pytest.raises(NotFound):
            in_scope(narrowed, a, b12.id)
        staff.buildings = "不存在/9"
        assert actor_for_account(uow, account).scope.building_ids == {0}  # nothing, not everything


def test_regulator_scope_is_a_district_or_street(console_app: App, office: Office) -> None:
    now = console_app.deps.clock()
    with console_app.deps.uow() as uow:
        a = uow.session.get(Community, office.world.community_id)  # 朝阳区
        a.street = "望京街道"
        account = uow.console.add_account(ConsoleAccount(
            phone="13100000001", password_hash="x", kind="regulator", role="regulator",
            district="朝阳区", created_at=now, password_set_at=now))
        district = actor_for_account(uow, account)
        assert district is not None and district.role == "regulator"
        in_scope(district, a)
        account.street = "酒仙桥街道"
        with pytest.raises(NotFound):
            in_scope(actor_for_account(uow, account), a)
        account.street = "望京街道"
        in_scope(actor_for_account(uow, account), a)
        account.district = ""
        assert actor_for_account(uow, account) is None  # no scope, no login
