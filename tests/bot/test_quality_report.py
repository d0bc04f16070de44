"""`report quality`: the XLSX carries the API's figures and a chart; the PDF is a real PDF."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.app import App, build_app
from bot.commands import report
from bot.config import Settings
from handlers.supervision import metrics
from handlers.supervision.scope import RegulatorScope
from storage.models import Base
from tests.chat import FakeClock
from tests.factories import build_world
from tests.handlers.supervision.helpers import TZ, make_ticket


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock) -> Iterator[App]:
    settings = Settings(database={"url": f"sqlite:///{tmp_path / 'q.sqlite3'}"}, redis={"url": ""})
    built = build_app(settings, parser=object(), clock=clock)  # type: ignore[arg-type]
    Base.metadata.create_all(built.engine)
    with built.deps.uow() as uow:
        world = build_world(uow)
        common = {"community_id": world.community_id, "home_id": world.home_ids["3-2-501"],
                  "owner_id": world.owner_ids["13812345678"]}
        make_ticket(uow, **common, created="2026-11-02 10:00", accepted="2026-11-02 10:20",
                    resolved="2026-11-02 12:00", rating=4)
        make_ticket(uow, **common, kind="complaint", created="2026-11-03 10:00")
        uow.commit()
    yield built
    built.close()


def cli(app: App, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    report.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args, app) or 0)


def test_xlsx_has_the_same_figures_as_the_api_and_a_chart(app: App, tmp_path: Path) -> None:
    out = tmp_path / "quality.xlsx"
    assert cli(app, "report", "quality", "--month", "2026-11", "--district", "朝阳区", "--out", str(out)) == 0
    with app.deps.uow() as uow:
        api = metrics.quality(uow, RegulatorScope("朝阳区"), "2026-11", app.deps.clock(),
                              app.deps.settings.supervision, TZ)["companies"][0]
    sheet = load_workbook(out)["企业"]
    header = [c.value for c in sheet[2]]
    row = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert row["企业"] == api["company"] == "京华物业服务有限公司"
    assert (row["工单"], row["投诉"], row["户数"]) == (api["tickets"], api["complaints"], api["homes"]) == (2, 1, 3)
    assert (row["响应率"], row["解决率"], row["满意率"]) == (
        api["response_rate"], api["resolution_rate"], api["satisfaction_rate"]) == (0.5, 1.0, 1.0)
    assert len(sheet._charts) == 1


def test_pdf_and_bad_input(app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "quality.pdf"
    assert cli(app, "report", "quality", "--month", "2026-11", "--district", "朝阳区", "--out", str(out)) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"STSong-Light" in data and len(data) > 2000
    bad = tmp_path / "bad.pdf"
    assert cli(app, "report", "quality", "--month", "11/2026", "--district", "朝阳区", "--out", str(bad)) == 2
    assert "YYYY-MM" in capsys.readouterr().err and not bad.exists()
