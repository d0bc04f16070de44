"""The SQLite file is private (0600) and `web-token --days 0` is refused, not 30 days (issue 8)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.app import build_app, upgrade_db
from bot.cli import main
from bot.config import Settings


def test_the_sqlite_database_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "var" / "wuye.sqlite3"
    settings = Settings(database={"url": f"sqlite:///{db}"})
    upgrade_db(settings)
    app = build_app(settings, parser=object())  # type: ignore[arg-type]
    try:
        assert app.db_ok()
    finally:
        app.close()
    for path in [db, *tmp_path.glob("var/wuye.sqlite3-*")]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


@pytest.mark.parametrize("days", ["0", "-3"])
def test_web_token_with_zero_days_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], days: str
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'w.sqlite3'}\n"
        f"web:\n  secret_file: {tmp_path / 'web_secret'}\n",
        encoding="utf-8",
    )
    assert main(["web-token", "owner-7", "--days", days, "--config", str(config)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "--days" in captured.err
