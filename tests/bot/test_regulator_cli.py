"""`regulator add` as the command line runs it: create, update by phone, refuse bad input."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.commands import regulator
from bot.config import Settings
from storage.models import AuditLog, Base, Community, Regulator
from tests.chat import FakeClock


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock) -> Iterator[App]:
    settings = Settings(database={"url": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}, redis={"url": ""})
    built = build_app(settings, parser=object(), clock=clock)  # type: ignore[arg-type]
    Base.metadata.create_all(built.engine)
    with built.deps.uow() as uow:
        uow.session.add_all([Community(name="劲松小区", district="朝阳区", street="劲松街道"),
                             Community(name="望京花园", district="朝阳区", street="望京街道")])
        uow.commit()
    yield built
    built.close()


def cli(app: App, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    regulator.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args, app) or 0)


def test_add_then_update_by_phone(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(app, "regulator", "add", "--name", "陈立新", "--district", "朝阳区",
               "--street", "劲松街道", "--phone", "17100009001") == 0
    out = capsys.readouterr().out
    assert "朝阳区劲松街道" in out and "171****9001" in out and "17100009001" not in out
    assert "小区 1 个" in out
    assert cli(app, "regulator", "add", "--name", "陈立新", "--district", "朝阳区",
               "--phone", "17100009001") == 0
    assert "小区 2 个" in capsys.readouterr().out
    with app.deps.uow() as uow:
        rows = uow.session.scalars(select(Regulator)).all()
        assert [(r.district, r.street, r.department) for r in rows] == [
            ("朝阳区", "", "朝阳区住房和城乡建设委员会")]
        details = " ".join(uow.session.scalars(select(AuditLog.detail)).all())
    assert "17100009001" not in details  # phones masked in the audit log


@pytest.mark.parametrize("argv", [
    ("--name", "陈", "--district", "朝阳区", "--phone", "12345"),
    ("--name", " ", "--district", "朝阳区", "--phone", "17100009001"),
    ("--name", "陈", "--district", " ", "--phone", "17100009001"),
])
def test_bad_input_changes_nothing(app: App, argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(app, "regulator", "add", *argv) == 2
    assert "参数有误" in capsys.readouterr().err
    with app.deps.uow() as uow:
        assert uow.session.scalars(select(Regulator)).all() == []


def test_supervision_commands(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from bot.commands import supervision

    def run(*argv: str) -> int:
        parser = argparse.ArgumentParser(prog="python -m bot")
        supervision.register(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(argv)
        return int(args.func(args, app) or 0)

    assert run("supervision", "policy", "--district", "朝阳区", "--title", "收费公示新规",
               "--summary", "收费项目必须公示") == 0
    assert "policy" in capsys.readouterr().out
    assert run("supervision", "consult", "--district", "朝阳区", "--question", "加装充电桩？",
               "--choice", "要", "--choice", "不要", "--closes", "2026-12-20T18:00") == 0
    assert "Q1" in capsys.readouterr().out
    assert run("supervision", "results", "1", "--district", "朝阳区") == 0
    assert json.loads(capsys.readouterr().out)["total"] == [0, 0]
    assert run("supervision", "results", "1", "--district", "海淀区") == 2  # another district's
    assert run("supervision", "lists", "--month", "2026-11", "--district", "朝阳区") == 0
    assert json.loads(capsys.readouterr().out)["red"] == []
    assert run("supervision", "grades", "--half", "2026-H3", "--district", "朝阳区") == 2
