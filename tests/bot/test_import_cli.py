"""`import`, `seed` and `invite` as the command line runs them: the parser, the App, the output."""

from __future__ import annotations

import argparse
import csv
import importlib
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.commands import COMMAND_MODULES
from bot.config import Settings
from storage.models import Base, Bill, Home, InviteCode
from tests.chat import FakeClock

MINE = ("bot.commands.imports", "bot.commands.seed", "bot.commands.invite")


class NoParser:
    """These commands never parse chat text."""

    def parse(self, text: str, now: object = None) -> dict:
        raise AssertionError("no NLU here")


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock) -> Iterator[App]:
    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'cli.sqlite3'}"},
        media={"dir": tmp_path / "media"},
        web={"secret_file": tmp_path / "web_secret"},
        redis={"url": ""},
    )
    built = build_app(settings, parser=NoParser(), clock=clock)
    Base.metadata.create_all(built.engine)
    yield built
    built.close()


def cli(app: App, *argv: str) -> int:
    """Parse `argv` with the real subcommand parsers and run the command on `app`."""
    parser = argparse.ArgumentParser(prog="python -m bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in MINE:
        importlib.import_module(name).register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args, app) or 0)


def count(app: App, model: type) -> int:
    with app.deps.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


UNITS = """小区,楼号,单元,房号,面积,业主,电话,物业公司
望京花园,3,2,501,89.5,王建国,13812345678,京华物业服务有限公司
望京花园,3,2,502,120,李秀英,13900001111,京华物业服务有限公司
"""


def test_commands_are_listed() -> None:
    assert set(MINE) <= set(COMMAND_MODULES)


def test_import_units_then_bills(app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(app, "import", "units", str(write(tmp_path / "u.csv", UNITS, "gbk"))) == 0
    out = capsys.readouterr().out
    assert "导入完成：房屋与业主，共2行。" in out and "房屋：新增2" in out
    bills = "小区,楼号,单元,房号,收费项目,账期,金额,截止日期\n望京花园,3,2,501,物业费,2026-11,272.98,2026-11-30\n"
    assert cli(app, "import", "bills", str(write(tmp_path / "b.csv", bills))) == 0
    assert count(app, Bill) == 1


def test_a_bad_file_prints_every_error_masked_and_writes_nothing(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    bad = UNITS + "望京花园,3,2,601,八十,张三,13812345679,京华物业服务有限公司\n望京花园,3,2,701,80,李四,1381234567,\n"
    assert cli(app, "import", "units", str(write(tmp_path / "bad.csv", bad))) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("文件未导入")
    assert err[1:] == [
        "第4行 “面积” 列：不是数字 “八十”",
        "第5行 “电话” 列：不是有效的手机号（11位）或带区号的座机号 “138***4567”",
    ]
    assert count(app, Home) == 0


def test_dry_run_and_unreadable_files(app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(app, "import", "units", "--dry-run", str(write(tmp_path / "u.csv", UNITS))) == 0
    assert "试运行" in capsys.readouterr().out and count(app, Home) == 0
    assert cli(app, "import", "units", str(tmp_path / "missing.csv")) == 1
    assert cli(app, "import", "units", str(write(tmp_path / "old.xls", "x"))) == 1
    assert "无法读取文件" in capsys.readouterr().err


def test_seed_demo_if_empty_is_idempotent(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(app, "seed", "--demo", "--if-empty") == 0
    assert "演示数据已生成：望京花园，304套房屋" in capsys.readouterr().out
    bills = count(app, Bill)
    assert cli(app, "seed", "--demo", "--if-empty") == 0
    assert "跳过" in capsys.readouterr().out
    assert cli(app, "seed", "--demo") == 1
    assert count(app, Bill) == bills


def test_invite_for_a_home_prints_the_code_last(app: App, tmp_path: Path, clock: FakeClock,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    cli(app, "import", "units", str(write(tmp_path / "u.csv", UNITS)))
    capsys.readouterr()
    assert cli(app, "invite", "--home", "望京花园/3-2-501") == 0
    code = capsys.readouterr().out.splitlines()[-1]
    with app.deps.uow() as uow:
        invite = uow.session.scalars(select(InviteCode).where(InviteCode.code == code)).one()
        assert invite.home_id is not None and invite.used_at is None
        assert invite.expires_at > clock()
    assert cli(app, "invite", "--home", "望京花园/3号楼2单元502") == 0
    assert cli(app, "invite", "--home", "望京花园/9-9-999") == 1
    assert cli(app, "invite", "--home", "3-2-501") == 1
    assert "找不到房屋 望京花园/9-9-999" in capsys.readouterr().err


def test_invite_for_staff_masks_the_phone(app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = "物业公司,姓名,电话,岗位,维修类别\n京华物业服务有限公司,张建军,17100000002,维修,水电\n"
    cli(app, "import", "staff", str(write(tmp_path / "s.csv", staff)))
    capsys.readouterr()
    assert cli(app, "invite", "--staff", "171 0000 0002") == 0
    out = capsys.readouterr().out.splitlines()
    assert "17100000002" not in "\n".join(out) and "171****0002" in out[0]
    with app.deps.uow() as uow:
        assert uow.session.scalars(select(InviteCode).where(InviteCode.code == out[-1])).one().staff_id
    assert cli(app, "invite", "--staff", "13000000000") == 1


def test_invite_every_home_of_a_community_as_csv(app: App, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    cli(app, "import", "units", str(write(tmp_path / "u.csv", UNITS)))
    capsys.readouterr()
    assert cli(app, "invite", "--community", "望京花园", "--all") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["home", "code"]
    assert sorted(home for home, _ in rows[1:]) == ["3-2-501", "3-2-502"]
    assert len({code for _, code in rows[1:]}) == 2 == count(app, InviteCode)
    assert cli(app, "invite", "--community", "望京花园") == 1  # --all is required
    assert cli(app, "invite", "--community", "没有这个小区", "--all") == 1
