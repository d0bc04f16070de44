"""`python -m bot console password PHONE` as a real process: stdin in, nothing secret out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from bot.app import build_app, upgrade_db
from bot.console.passwords import Argon2Hasher
from storage.models import AuditLog, ConsoleAccount
from tests.bot.console.conftest import console_settings
from tests.factories import add_other_company, add_staff, build_world


def run(tmp_path: Path, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WUYE_DATABASE__URL": f"sqlite:///{tmp_path / 'console.sqlite3'}"}
    env.pop("WUYE_REDIS__URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", "password", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120, check=False,
    )


def test_sets_an_argon2_password_and_prints_nothing_secret(tmp_path: Path) -> None:
    settings = console_settings(tmp_path)
    upgrade_db(settings)
    app = build_app(settings)
    with app.deps.uow() as uow:
        build_world(uow)
        other = add_other_company(uow)
        add_staff(uow, other["company_id"], "两家都干", "13700000002", "front_desk")  # 赵经理's phone too
        uow.commit()

    short = run(tmp_path, "13700000001", stdin="short\n")
    assert short.returncode == 1 and "至少" in short.stderr

    unknown = run(tmp_path, "13911110000", stdin="long enough pw\n")
    assert unknown.returncode == 1 and "139****0000" in unknown.stderr

    ok = run(tmp_path, "13700000001", stdin="long enough pw\n")
    assert ok.returncode == 0, ok.stderr
    assert "137****0001" in ok.stdout and "维修" in ok.stdout
    assert "long enough pw" not in ok.stdout + ok.stderr and "13700000001" not in ok.stdout

    both = run(tmp_path, "13700000002", stdin="long enough pw\n")
    assert both.returncode == 1 and "--company" in both.stderr
    admin = run(tmp_path, "13700000002", "--company", "京华物业服务有限公司", "--admin",
                stdin="another long pw\n")
    assert admin.returncode == 0, admin.stderr
    assert "公司管理员" in admin.stdout

    with app.session_factory() as session:
        accounts = {a.phone: a for a in session.scalars(select(ConsoleAccount))}
        audit = list(session.scalars(select(AuditLog).where(AuditLog.action == "console.password_set")))
    app.close()
    assert Argon2Hasher().verify(accounts["13700000001"].password_hash, "long enough pw")
    assert accounts["13700000002"].role == "admin"
    assert len(audit) == 2 and all("pw" not in row.detail for row in audit)
