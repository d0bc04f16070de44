"""The conversation runner: its file format's errors, failures it reports, and the CLI table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.conversations import SpecError, SqliteWorlds, load_paths, run_one
from handlers.deps import HandlerSettings
from tests.bot.test_cli import bot_env

PASSING = """
conversations:
  - name: 面积
    as: owner
    steps:
      - user: 我家面积多少
        expect: 89.50㎡
"""
FAILING = """
conversations:
  - name: 说错的期望
    as: owner
    steps:
      - user: 我家面积多少
        expect: 120.00㎡
  - name: 已知问题
    xfail: a known gap
    steps:
      - user: 你好
        expect: 这句不会出现
"""


def _write(tmp_path: Path, text: str, name: str = "office.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "needle"), [
    ("steps: []", "conversations:"),
    ("conversations:\n  - name: a\n", "needs `name` and `steps`"),
    ("conversations:\n  - name: a\n    steps:\n      - {user: x, press: 1}\n", "exactly one"),
    ("conversations:\n  - name: a\n    steps:\n      - {user: x, expct: y}\n", "unknown key(s) expct"),
    ("conversations:\n  - name: a\n    steps:\n      - {user: x, match: '('}\n", "bad regular"),
    ("conversations:\n  - name: a\n    now: tomorrow\n    steps: [hi]\n", "ISO date-time"),
    ("conversations:\n  - name: a\n    community: {phone: 1}\n    steps: [hi]\n", "may set"),
])
def test_a_bad_file_is_refused_with_its_place(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(SpecError, match="office.yml") as err:
        load_paths([_write(tmp_path, text)])
    assert needle in str(err.value)


def test_duplicate_names_across_files_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, PASSING, "a.yml")
    _write(tmp_path, PASSING, "b.yml")
    with pytest.raises(SpecError, match="unique: 面积"):
        load_paths([tmp_path])


def test_a_wrong_expectation_fails_and_names_the_step(tmp_path: Path, parser: object) -> None:
    failing, known = load_paths([_write(tmp_path, FAILING)])
    worlds = SqliteWorlds(tmp_path / "worlds")
    try:
        result = run_one(failing, worlds, parser, HandlerSettings(media_dir=tmp_path))  # type: ignore[arg-type]
        assert (result.passed, result.failed_step, result.status) == (False, 1, "failed")
        assert "missing '120.00㎡'" in result.reason and "89.50㎡" in result.reason
        assert run_one(known, worlds, parser, HandlerSettings(media_dir=tmp_path)).status == "xfail"  # type: ignore[arg-type]
    finally:
        worlds.close()


def test_each_conversation_starts_from_a_fresh_demo(tmp_path: Path, parser: object) -> None:
    text = """
conversations:
  - name: 立单
    as: owner
    steps:
      - user: 转人工
        tickets: 1
        match: H20261127001
  - name: 再立单编号仍从001起
    as: owner
    steps:
      - user: 转人工
        tickets: 1
        match: H20261127001
"""
    worlds = SqliteWorlds(tmp_path / "worlds")
    try:
        for conversation in load_paths([_write(tmp_path, text)]):
            result = run_one(conversation, worlds, parser, HandlerSettings(media_dir=tmp_path))  # type: ignore[arg-type]
            assert result.passed, result.reason
    finally:
        worlds.close()


def test_cli_prints_a_table_and_exits_1_on_failure(tmp_path: Path) -> None:
    _write(tmp_path, PASSING, "good.yml")
    _write(tmp_path, FAILING, "bad.yml")
    run = subprocess.run(
        [sys.executable, "-m", "bot", "test-conversations", str(tmp_path), "-v"],
        capture_output=True, cwd=tmp_path, env=bot_env(tmp_path, COLUMNS="200"), timeout=600,
        check=False,
    )
    out = run.stdout.decode("utf-8")
    assert run.returncode == 1, run.stderr.decode()
    assert "面积" in out and "passed" in out and "failed" in out and "xfail" in out
    assert "1 passed, 1 failed (1 known failures, 0 now passing)" in out
    good = subprocess.run(
        [sys.executable, "-m", "bot", "test-conversations", str(tmp_path / "good.yml")],
        capture_output=True, cwd=tmp_path, env=bot_env(tmp_path, COLUMNS="200"), timeout=600,
        check=False,
    )
    assert good.returncode == 0 and "1 passed, 0 failed" in good.stdout.decode("utf-8")
