"""Import benchmark: 2,000 homes, then 100,000 bill rows from CSV, into a fresh database.

    .venv/bin/python bench/import_bench.py [--bills 100000]

Runs on a fresh SQLite file in a temporary directory and, when WUYE_TEST_DATABASE_URL is
set, on PostgreSQL too (in a throw-away schema, dropped afterwards). Each phase times the
whole command path minus the terminal: read the file, validate every row, write, commit.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.spreadsheets import read_sheet  # noqa: E402
from handlers.imports import ImportSummary, import_bills, import_units  # noqa: E402
from storage.db import make_engine, make_session_factory, normalise_url  # noqa: E402
from storage.models import Base, Bill  # noqa: E402
from storage.uow import UnitOfWork  # noqa: E402

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ITEMS = ("物业费", "水费", "电费", "停车费")
COMMUNITY = "基准花园"


def write_files(folder: Path, bills: int) -> tuple[Path, Path, int]:
    """A units CSV with enough homes for `bills` rows (50 bills a home) and the bills CSV."""
    homes = []
    per_home = len(ITEMS) * 12 + 2
    needed = -(-bills // per_home)
    building = 0
    while len(homes) < needed:
        building += 1
        for unit in (1, 2):
            for floor in range(1, 26):
                for position in (1, 2):
                    homes.append((str(building), str(unit), f"{floor}{position:02d}"))
    homes = homes[:needed]
    units_path, bills_path = folder / "units.csv", folder / "bills.csv"
    with units_path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["小区", "楼号", "单元", "房号", "面积", "业主", "电话", "物业公司"])
        for n, (b, u, r) in enumerate(homes):
            writer.writerow([COMMUNITY, b, u, r, f"{60 + n % 100}.50", f"业主{n}", f"170{n:08d}", "基准物业"])
    rows = 0
    with bills_path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["小区", "楼号", "单元", "房号", "收费项目", "账期", "金额", "截止日期", "是否已缴"])
        for n, (b, u, r) in enumerate(homes):
            lines = [(item, f"2026-{m:02d}", f"2026-{m:02d}-28") for item in ITEMS for m in range(1, 13)]
            lines += [("暖气费", "2024", "2024-11-15"), ("暖气费", "2025", "2025-11-15")]
            for item, period, due in lines:
                if rows == bills:
                    break
                writer.writerow([COMMUNITY, b, u, r, item, period, f"{(n % 300) + 20}.35", due,
                                 "是" if rows % 3 else "否"])
                rows += 1
    return units_path, bills_path, rows


def timed(label: str, rows: int, work: Callable[[], ImportSummary]) -> float:
    """Run `work`, print seconds and rows/s."""
    start, cpu = time.perf_counter(), time.process_time()
    work()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # CPU seconds are this process only: on a busy machine they show the code's own cost.
    print(f"  {label:<26} {rows:>7} rows {seconds:7.2f} s {rows / seconds:>9,.0f} rows/s"
          f"   (cpu {cpu:.2f} s)")
    return seconds


def run(engine: Engine, units: Path, bills: Path, bill_rows: int) -> float:
    """Units, bills (all new), bills again (all unchanged); returns the new-bills seconds."""
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)

    def load(importer: Callable[..., ImportSummary], path: Path) -> Callable[[], ImportSummary]:
        def work() -> ImportSummary:
            with UnitOfWork(factory) as uow:
                summary = importer(uow, read_sheet(path), NOW)
                uow.commit()
            return summary
        return work

    home_rows = sum(1 for _ in units.open(encoding="utf-8-sig")) - 1
    timed("units (new)", home_rows, load(import_units, units))
    seconds = timed("bills (new)", bill_rows, load(import_bills, bills))
    timed("bills (re-import, same)", bill_rows, load(import_bills, bills))
    with Session(engine) as session:
        stored = session.scalar(select(func.count(Bill.id)))
    assert stored == bill_rows, f"{stored} bills stored, expected {bill_rows}"
    return seconds


@contextmanager
def postgres_schema(url: str) -> Iterator[Engine]:
    """An engine whose tables live in a fresh schema, dropped at the end (tests may share the db)."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(normalise_url(url), connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> int:
    """Generate the files, run SQLite (and PostgreSQL when configured); fail over a minute."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bills", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wuye-bench-") as tmp:
        folder = Path(tmp)
        units, bills, rows = write_files(folder, args.bills)
        print(f"generated {rows} bill rows ({bills.stat().st_size / 1e6:.1f} MB)")
        print("SQLite")
        engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
        worst = run(engine, units, bills, rows)
        engine.dispose()
        url = os.environ.get("WUYE_TEST_DATABASE_URL", "")
        if url:
            print("PostgreSQL")
            with postgres_schema(url) as pg:
                worst = max(worst, run(pg, units, bills, rows))
        else:
            print("PostgreSQL: skipped (set WUYE_TEST_DATABASE_URL)")
    return 0 if worst < 60 else 1


if __name__ == "__main__":
    raise SystemExit(main())
