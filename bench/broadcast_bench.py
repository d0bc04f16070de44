"""Broadcast benchmark: a notice to 100,000 Telegram chats, against a fake Bot API on loopback.

    .venv/bin/python bench/broadcast_bench.py [--recipients 100000] [--window 20]
                                              [--database-url URL] [--concurrency 64]

1. enqueue: `publish_notice` to the whole community (the Notice and one outbox row each);
2. unlimited: `python -m bot sender run --once` with the platform's limit off — deliveries
   per second measured at the fake server (first to last delivery), and the sender
   process's peak memory (max RSS);
3. limited: `sender run` at `telegram.rate_limit: 30`, the delivered count measured over a
   `--window`-second window once it is going, then SIGTERM.

The fake Bot API runs in its own process (so it does not share the sender's CPU) and only
counts: messages, distinct chats, duplicates. SQLite in a temporary folder by default.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.app import build_app, upgrade_db  # noqa: E402
from bot.config import Settings, load_settings  # noqa: E402
from handlers.broadcasts import publish_notice  # noqa: E402
from storage.models import (  # noqa: E402
    Building,
    ChannelIdentity,
    Community,
    Company,
    Home,
    HomeMember,
    Owner,
)

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TOKEN = "424242424:BENCH-fake-bot-api"
FIRST_CHAT = 9_000_000
HOMES_PER_BUILDING = 1000
CHUNK = 10_000


# -- the fake Bot API (its own process) ----------------------------------------------------


def serve_fake(port_out: Any) -> None:
    """sendMessage answers ok and is counted; GET /stats reports the counts."""
    from aiohttp import web

    seen: Counter[int] = Counter()
    times: list[float] = []

    async def send_message(request: web.Request) -> web.Response:
        form = await request.post()
        chat = int(str(form["chat_id"]))
        seen[chat] += 1
        times.append(time.monotonic())
        result = {"message_id": len(times), "date": 1795000000,
                  "chat": {"id": chat, "type": "private"}, "text": str(form.get("text", ""))}
        return web.json_response({"ok": True, "result": result})

    async def stats(request: web.Request) -> web.Response:
        return web.json_response({
            "total": len(times), "chats": len(seen), "duplicates": len(times) - len(seen),
            "first": times[0] if times else None, "last": times[-1] if times else None,
            "now": time.monotonic(),
        })

    async def main() -> None:
        app = web.Application()
        app.router.add_post(f"/bot{TOKEN}/sendMessage", send_message)
        app.router.add_get("/stats", stats)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port_out.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


def fake_stats(base: str) -> dict[str, Any]:
    with urllib.request.urlopen(base + "/stats", timeout=10) as resp:  # noqa: S310 - loopback
        return json.loads(resp.read())


# -- the database ---------------------------------------------------------------------------


def seed(settings: Settings, recipients: int) -> None:
    """One community, `recipients` homes with one owner and one Telegram chat each."""
    app = build_app(settings, parser=object())  # type: ignore[arg-type]
    try:
        with app.engine.begin() as conn:
            company = conn.execute(insert(Company).values(name="基准物业").returning(Company.id)).scalar_one()
            community = conn.execute(insert(Community).values(name="基准花园", company_id=company)
                                     .returning(Community.id)).scalar_one()
            buildings = -(-recipients // HOMES_PER_BUILDING)
            conn.execute(insert(Building), [{"id": b + 1, "community_id": community, "name": str(b + 1)}
                                            for b in range(buildings)])
            for start in range(0, recipients, CHUNK):
                n = range(start, min(start + CHUNK, recipients))
                conn.execute(insert(Home), [{"id": i + 1, "building_id": i // HOMES_PER_BUILDING + 1,
                                             "unit": "1", "room": str(i), "area_m2": 80} for i in n])
                conn.execute(insert(Owner), [{"id": i + 1, "name": f"业主{i}", "phone": f"139{i:08d}"} for i in n])
                conn.execute(insert(HomeMember), [{"home_id": i + 1, "owner_id": i + 1, "role": "owner"} for i in n])
                conn.execute(insert(ChannelIdentity), [
                    {"channel": "telegram", "external_id": str(FIRST_CHAT + i), "owner_id": i + 1,
                     "verified": True, "reachable": True, "created_at": NOW} for i in n
                ])
    finally:
        app.close()


def enqueue(settings: Settings, title: str) -> tuple[int, float]:
    """Publish a community-wide notice; (pushes queued, seconds)."""
    app = build_app(settings, parser=object())  # type: ignore[arg-type]
    try:
        started = time.perf_counter()
        with app.deps.uow() as uow:
            done = publish_notice(uow, "基准花园", None, "water_outage", title, "管道检修，请提前储水。",
                                  NOW + timedelta(days=1), NOW + timedelta(days=1, hours=8), NOW)
            uow.commit()
        return done.queued, time.perf_counter() - started
    finally:
        app.close()


def write_config(folder: Path, database_url: str, base: str, rate: float, concurrency: int) -> Path:
    import yaml

    path = folder / f"bench-{rate:g}.yaml"
    path.write_text(yaml.safe_dump({
        "database": {"url": database_url},
        "web": {"secret_file": str(folder / "web_secret")},
        "log": {"level": "WARNING"},
        "telegram": {"token": TOKEN, "mode": "polling", "api_base": base,
                     "rate_limit": rate, "per_chat_rate": rate},
        "sender": {"concurrency": concurrency, "batch_size": 500, "poll_seconds": 0.2},
    }, allow_unicode=True), encoding="utf-8")
    return path


def sender(config: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WUYE_")} | {"PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "sender", "run", *extra],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


# -- the phases -----------------------------------------------------------------------------


def unlimited(config: Path, base: str, expected: int) -> dict[str, float]:
    """Deliver everything with no platform limit; rate at the server, the sender's max RSS."""
    proc = sender(config, "--once")
    while fake_stats(base)["total"] < expected:
        if proc.poll() is not None:
            raise SystemExit(f"sender exited early with {proc.returncode}")
        time.sleep(0.5)
    proc.wait(timeout=120)
    stats = fake_stats(base)
    span = stats["last"] - stats["first"]
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"delivered": stats["total"], "seconds": span, "per_second": stats["total"] / span,
            "duplicates": stats["duplicates"], "sender_max_rss_mb": peak_kb / 1024}


def limited(config: Path, base: str, window: float) -> dict[str, float]:
    """Run at the configured limit; messages per second over `window` seconds once going."""
    before = fake_stats(base)["total"]
    proc = sender(config)
    while fake_stats(base)["total"] <= before:
        time.sleep(0.2)
    time.sleep(2)  # past the start-up and the bucket's initial burst
    start = fake_stats(base)
    time.sleep(window)
    end = fake_stats(base)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    measured = (end["total"] - start["total"]) / (end["now"] - start["now"])
    return {"window_seconds": end["now"] - start["now"], "delivered": end["total"] - start["total"],
            "per_second": measured, "exit_code": proc.returncode}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--window", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temporary folder")
    args = parser.parse_args()

    ports: Any = multiprocessing.get_context("spawn").Queue()
    fake = multiprocessing.get_context("spawn").Process(target=serve_fake, args=(ports,), daemon=True)
    fake.start()
    base = f"http://127.0.0.1:{ports.get(timeout=30)}"
    with tempfile.TemporaryDirectory(prefix="wuye-bench-") as tmp:
        folder = Path(tmp)
        url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        settings = load_settings(write_config(folder, url, base, 1e9, args.concurrency))
        upgrade_db(settings)
        started = time.perf_counter()
        seed(settings, args.recipients)
        print(f"seeded {args.recipients:,} homes, owners and chats in {time.perf_counter() - started:.1f} s")
        queued, seconds = enqueue(settings, "第一次")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"enqueue: {queued:,} pushes in {seconds:.2f} s ({queued / seconds:,.0f}/s), "
              f"bench process max RSS {rss:.0f} MB")
        fast = unlimited(write_config(folder, url, base, 1e9, args.concurrency), base, queued)
        print("limit off: {delivered:,} delivered in {seconds:.1f} s = {per_second:,.0f}/s, "
              "{duplicates} duplicates, sender max RSS {sender_max_rss_mb:.0f} MB".format(**fast))
        enqueue(settings, "第二次")
        slow = limited(write_config(folder, url, base, args.rate, 8), base, args.window)
        print(f"limit {args.rate:g}/s: " + "{delivered} delivered in {window_seconds:.1f} s = "
              "{per_second:.2f}/s (SIGTERM exit code {exit_code})".format(**slow))
    fake.terminate()


if __name__ == "__main__":
    main()
