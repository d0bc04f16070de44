"""`notice create` and `sender run --once` as the command line runs them."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.channels.web_inbox import WebInbox
from bot.commands import COMMAND_MODULES
from bot.config import Settings
from storage.models import Base
from tests.chat import FakeClock
from tests.factories import bind_identity, build_world

MINE = ("bot.commands.notice", "bot.commands.sender")


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock) -> Iterator[App]:
    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'cli.sqlite3'}"},
        web={"secret_file": tmp_path / "web_secret"}, redis={"url": ""},
        sender={"poll_seconds": 0.05},
    )
    built = build_app(settings, parser=object(), clock=clock)  # type: ignore[arg-type]
    Base.metadata.create_all(built.engine)
    with built.deps.uow() as uow:
        world = build_world(uow)
        for user, phone in (("wang", "13812345678"), ("li", "13900001111")):
            bind_identity(uow, "web", user, clock(), owner_id=world.owner_ids[phone])
        uow.commit()
    yield built
    built.close()


def cli(app: App, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in MINE:
        importlib.import_module(name).register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args, app) or 0)


def test_commands_are_registered() -> None:
    assert set(MINE) <= set(COMMAND_MODULES)


def test_notice_create_then_sender_run_once(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli(app, "notice", "create", "--community", "望京花园", "--building", "3",
               "--kind", "water_outage", "--start", "2026-11-28 09:00",
               "--end", "2026-11-28T17:00+08:00", "--text", "管道检修，请提前储水。")
    out = capsys.readouterr().out
    assert code == 0
    assert "已发布公告 #1「望京花园 3号楼停水通知」" in out and "2 条推送已排队" in out
    assert cli(app, "sender", "run", "--once") == 0
    assert "发送 2" in capsys.readouterr().out
    items, _ = WebInbox(app.stores.kv, app.stores.locks).since("li", 0)
    assert items[0]["text"].startswith("【停水通知】")
    with app.deps.uow() as uow:
        assert uow.outbox.status_counts() == {"sent": 2}


def test_notice_create_explains_what_is_wrong(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(app, "notice", "create", "--community", "望京花园", "--building", "99",
               "--kind", "general", "--start", "2026-11-28 09:00", "--text", "x") == 1
    assert "望京花园没有99号楼" in capsys.readouterr().err
    assert cli(app, "notice", "create", "--community", "望京花园", "--kind", "general",
               "--start", "tomorrow", "--text", "x") == 1
    assert "tomorrow" in capsys.readouterr().err
    with app.deps.uow() as uow:
        assert uow.outbox.count() == 0


def test_sender_requeue_failed_since(app: App, clock: FakeClock, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import select, update

    from storage.models import OutboxMessage

    cli(app, "notice", "create", "--community", "望京花园", "--building", "3",
        "--kind", "water_outage", "--start", "2026-11-28 09:00", "--end", "2026-11-28 17:00",
        "--text", "管道检修，请提前储水。")
    with app.deps.uow() as uow:
        uow.session.execute(update(OutboxMessage).values(status="failed", attempts=8))
        uow.commit()
    capsys.readouterr()
    assert cli(app, "sender", "requeue") == 2  # nothing asked for
    assert cli(app, "sender", "requeue", "--failed", "--since", "2026-11-28 00:00") == 0
    assert "已重新排队 0 条推送" in capsys.readouterr().out
    assert cli(app, "sender", "requeue", "--failed", "--since", "2026-11-27 00:00") == 0
    assert "已重新排队 2 条推送" in capsys.readouterr().out
    with app.deps.uow() as uow:
        rows = list(uow.session.execute(select(OutboxMessage.status, OutboxMessage.attempts)))
    assert rows == [("pending", 0), ("pending", 0)]
