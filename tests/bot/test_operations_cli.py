"""`rota`, `staff` and `plan` as operators run them: the parser, the App, the output."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.commands import operations
from bot.config import Settings
from handlers.jobs import JOBS
from storage.models import AuditLog, Base
from tests.chat import FakeClock
from tests.factories import build_world


class NoParser:
    def parse(self, text: str, now: object = None) -> dict:
        raise AssertionError("no NLU here")


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock) -> Iterator[App]:
    settings = Settings(database={"url": f"sqlite:///{tmp_path / 'cli.sqlite3'}"},
                        media={"dir": tmp_path / "media"}, web={"secret_file": tmp_path / "web_secret"},
                        redis={"url": ""})
    built = build_app(settings, parser=NoParser(), clock=clock)
    Base.metadata.create_all(built.engine)
    with built.deps.uow() as uow:
        build_world(uow)
        uow.commit()
    yield built
    built.close()


def cli(app: App, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    operations.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args, app) or 0)


def test_rota_staff_and_plans(app: App, clock: FakeClock, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(app, "staff", "join", "--community", "望京花园", "--name", "孙经理", "--phone", "13700000013",
               "--role", "经理") == 0
    assert cli(app, "rota", "set", "--community", "望京花园", "--role", "manager", "--staff", "13700000013",
               "--from", "2026-11-27T08:00", "--to", "2026-11-27T20:00", "--days", "2") == 0
    capsys.readouterr()
    assert cli(app, "rota", "now", "--community", "望京花园") == 0
    assert capsys.readouterr().out.strip() == "孙经理 137****0013"  # phones masked on the terminal
    assert cli(app, "rota", "show", "--community", "望京花园", "--date", "2026-11-28") == 0
    assert "manager     day      孙经理" in capsys.readouterr().out
    assert cli(app, "rota", "set", "--community", "望京花园", "--role", "manager", "--staff", "13700000013",
               "--from", "tomorrow", "--to", "2026-11-27T20:00") == 2
    assert cli(app, "plan", "add", "--community", "望京花园", "--title", "大堂保洁", "--schedule", "daily 09:00",
               "--role", "保洁", "--item", "拖地", "--photo") == 0
    assert cli(app, "plan", "add", "--community", "望京花园", "--title", "x", "--schedule", "hourly",
               "--role", "保洁") == 1
    assert "看不懂" in capsys.readouterr().err
    JOBS["service_tasks"](app.deps, clock.now.replace(day=28, hour=9, minute=0))
    capsys.readouterr()
    assert cli(app, "plan", "tasks", "--date", "2026-11-28") == 0
    assert "大堂保洁 open" in capsys.readouterr().out
    assert cli(app, "staff", "leave", "13700000013") == 0
    out = capsys.readouterr().out
    assert "孙经理 left" in out and "2 shift(s) removed" in out
    assert cli(app, "staff", "leave", "13700000013") == 1
    with app.deps.uow() as uow:
        actions = {a.actor + ":" + a.action for a in uow.session.query(AuditLog)}
    assert {"cli:staff_joined", "cli:rota_set", "cli:plan_created", "cli:staff_left"} <= actions


def test_import_expenses_then_report_finance(app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.commands import imports, report

    sheet = tmp_path / "expenses.csv"
    sheet.write_text("小区,类别,金额,日期,收款方\n望京花园,保洁,12000,2026-11-05,洁美\n望京花园,电梯,3500.5,2026-11-10,奥的斯\n",
                     encoding="utf-8")
    parser = argparse.ArgumentParser(prog="python -m bot")
    sub = parser.add_subparsers(dest="command", required=True)
    imports.register(sub)
    report.register(sub)

    def run(*argv: str) -> int:
        args = parser.parse_args(argv)
        return int(args.func(args, app) or 0)

    assert run("import", "expenses", str(sheet)) == 0
    for suffix in ("xlsx", "pdf"):
        out = tmp_path / f"nov.{suffix}"
        assert run("report", "finance", "--community", "望京花园", "--month", "2026-11", "--out", str(out)) == 0
        assert out.stat().st_size > 1000
    assert "spending 15500.50 元, 2 expense lines" in capsys.readouterr().out
    assert run("report", "finance", "--community", "望京花园", "--month", "2026-13", "--out", str(tmp_path / "x.pdf")) == 1
    assert "月份" in capsys.readouterr().err
