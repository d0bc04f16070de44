"""`community set|show`, the settings columns of `import units`, and `binding list|approve|reject`."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.config import Settings
from handlers.messages import Incoming
from handlers.owners.binding_requests import request_binding
from handlers.turn import Turn
from storage.models import Base, Community
from tests.chat import FakeClock
from tests.factories import build_world

MINE = ("bot.commands.imports", "bot.commands.community", "bot.commands.binding")


class NoParser:
    def parse(self, text: str, now: object = None) -> dict:
        raise AssertionError("no NLU here")


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock) -> Iterator[App]:
    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'cli.sqlite3'}"},
        media={"dir": tmp_path / "media"}, web={"secret_file": tmp_path / "web_secret"},
        redis={"url": ""},
    )
    built = build_app(settings, parser=NoParser(), clock=clock)
    Base.metadata.create_all(built.engine)
    yield built
    built.close()


def cli(app: App, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in MINE:
        importlib.import_module(name).register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args, app) or 0)


def _community(app: App, name: str = "望京花园") -> Community:
    with app.deps.uow() as uow:
        found = uow.org.community_by_name(name)
        assert found is not None
        uow.session.expunge(found)
        return found


def test_community_set_changes_only_what_is_given(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    with app.deps.uow() as uow:
        build_world(uow)
        uow.commit()
    assert cli(app, "community", "set", "望京花园", "--emergency-phone", "-",
               "--desk-hours", "8:00~20:30", "--street", "望京街道",
               "--heating-provider", "北京热力  96069") == 0
    out = capsys.readouterr().out
    assert "emergency_phone 010-64009999 → -" in out and "front_desk_hours 8:00-20:00 → 08:00-20:30" in out
    community = _community(app)
    assert (community.emergency_phone, community.front_desk_hours, community.street,
            community.heating_provider, community.service_phone) == (
        "", "08:00-20:30", "望京街道", "北京热力 96069", "010-64001234")
    assert cli(app, "community", "set", "望京花园", "--street", "望京街道") == 0
    assert "设置没有变化" in capsys.readouterr().out
    assert cli(app, "community", "set", "望京花园", "--desk-hours", "早上八点") == 1
    assert "--desk-hours" in capsys.readouterr().err
    assert cli(app, "community", "set", "望京花园", "--service-phone", "8888") == 1
    assert cli(app, "community", "set", "不存在小区", "--street", "x") == 1
    assert "没有名为“不存在小区”的小区" in capsys.readouterr().err
    assert cli(app, "community", "set", "望京花园") == 1
    assert cli(app, "community", "show", "望京花园") == 0
    assert "24小时应急电话：-" in capsys.readouterr().out


def test_import_units_sets_the_community_columns(app: App, tmp_path: Path) -> None:
    sheet = tmp_path / "u.csv"
    sheet.write_text(
        "小区,楼号,单元,房号,面积,业主,电话,物业电话,24小时电话,前台时间,区,街道,供暖单位\n"
        "望京花园,3,2,501,89.5,王建国,13812345678,010-64001234,010-64009999,8:00-20:00,朝阳区,望京街道,北京热力 96069\n"
        "望京花园,3,2,502,120,李秀英,13900001111,,,,,,\n", encoding="utf-8")
    assert cli(app, "import", "units", str(sheet)) == 0
    community = _community(app)
    assert (community.service_phone, community.emergency_phone, community.front_desk_hours,
            community.district, community.street, community.heating_provider) == (
        "010-64001234", "010-64009999", "08:00-20:00", "朝阳区", "望京街道", "北京热力 96069")
    conflict = tmp_path / "c.csv"
    conflict.write_text("小区,楼号,单元,房号,面积,业主,电话,24小时电话\n"
                        "望京花园,3,2,501,89.5,王建国,13812345678,010-64009999\n"
                        "望京花园,3,2,502,120,李秀英,13900001111,010-64008888\n", encoding="utf-8")
    assert cli(app, "import", "units", str(conflict)) == 1
    assert _community(app).emergency_phone == "010-64009999"


def test_binding_list_approve_reject(app: App, clock: FakeClock, capsys: pytest.CaptureFixture[str]) -> None:
    with app.deps.uow() as uow:
        build_world(uow)
        ids = []
        for user, unit, phone in (("a", "3-2-502", "13900001111"), ("b", "3-2-501", "13000000000")):
            identity = uow.identities.get_or_create("web", user, clock())
            turn = Turn(Incoming("web", user), identity, uow, app.deps, clock(), "zh")
            request_binding(turn, unit, phone)
            ids.append(uow.safety.pending_of_identity(identity.id)[0].id)
        uow.commit()
    assert cli(app, "binding", "list") == 0
    out = capsys.readouterr().out
    assert "3-2-502\t139****1111\t与登记一致（李秀英）" in out and "与登记不符" in out
    assert "13900001111" not in out
    assert cli(app, "binding", "approve", str(ids[1])) == 1
    assert "与登记信息不符" in capsys.readouterr().err
    assert cli(app, "binding", "approve", str(ids[0])) == 0
    assert cli(app, "binding", "reject", str(ids[1]), "--note", "手机号不符") == 0
    assert cli(app, "binding", "approve", str(ids[0])) == 1
    assert cli(app, "binding", "list") == 0
    assert "没有待处理的绑定申请" in capsys.readouterr().out
    assert cli(app, "binding", "list", "--all") == 0
    listed = capsys.readouterr().out
    assert "approved" in listed and "rejected" in listed
    with app.deps.uow() as uow:
        identity = uow.identities.by_external("web", "a")
        assert identity is not None and identity.owner_id is not None
