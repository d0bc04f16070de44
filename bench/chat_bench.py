"""Chat benchmark: a full turn through `serve` against a bare aiogram echo bot, same load.

    .venv/bin/python bench/chat_bench.py [--setups sqlite,postgres,postgres+redis]
        [--updates 2000] [--owners 500] [--concurrency 32]
        [--database-url postgresql://postgres@127.0.0.1:5432/wuye_engine]
        [--redis-url redis://127.0.0.1:6379/4]

The same 2,000 Telegram updates (bills, repairs, notices, greetings) from 500 bound owners
are posted 32 at a time to each target's webhook, on loopback, while a fake Bot API in its
own process answers (and counts) every call the targets make:

- echo: a bare aiogram 3 bot behind aiogram's aiohttp webhook handler (answering after the
  handler ran, like `serve` does), replying with the text it got;
- serve: `python -m bot serve` with `telegram.mode: webhook` — secret check, dedupe claim,
  NLU, dialogue state, database, the reply through the Bot API — on SQLite, PostgreSQL,
  and PostgreSQL with Redis holding the shared state.

Printed per target: replies/s (sendMessage calls at the fake API over the run), p50/p99 of
the webhook's answer time, and the server process's peak RSS; then serve/echo ratios.
Each target runs in its own process; the load generator and the fake API in others.
PostgreSQL runs in a schema of its own (`chat_bench`, dropped and made anew); Redis uses
the given db, flushed first — give one nobody else uses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKEN = "424242424:BENCH-fake-bot-api"
SECRET = "bench-webhook-secret"
FIRST_CHAT = 7_000_000
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TEXTS = ("我家物业费还欠多少", "卫生间漏水了", "最近停水吗", "你好", "上个月水费多少", "谢谢")
SCHEMA = "chat_bench"


# -- the fake Bot API (its own process) ----------------------------------------------------


def serve_fake(port_out: Any) -> None:
    """Every Bot API method answers ok; sendMessage is counted. GET /stats reports."""
    from aiohttp import web

    count = [0]

    async def api(request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        form = await request.post() if request.can_read_body else {}
        if method == "getme":
            result: Any = {"id": 424242424, "is_bot": True, "first_name": "bench", "username": "bench_bot"}
        elif method in ("sendmessage", "sendphoto"):
            count[0] += 1
            chat = int(str(form.get("chat_id", "0")))
            result = {"message_id": count[0], "date": 1795000000,
                      "chat": {"id": chat, "type": "private"}, "text": str(form.get("text", ""))}
        else:
            result = True
        return web.json_response({"ok": True, "result": result})

    async def stats(request: web.Request) -> web.Response:
        return web.json_response({"sent": count[0]})

    async def main() -> None:
        app = web.Application()
        app.router.add_post(f"/bot{TOKEN}/{{method}}", api)
        app.router.add_get("/stats", stats)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port_out.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


def sent(base: str) -> int:
    with urllib.request.urlopen(base + "/stats", timeout=30) as resp:  # noqa: S310 - loopback
        return int(json.loads(resp.read())["sent"])


# -- the echo bot (its own process: `chat_bench.py --echo PORT API_BASE`) ------------------


def run_echo(port: int, api_base: str) -> None:
    """aiogram's own webhook handler, answering after the handler has run."""
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler
    from aiohttp import web

    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, handle_in_background=False, secret_token=SECRET).register(
        app, path="/webhook/telegram"
    )
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# -- the database ---------------------------------------------------------------------------


def pg_schema_url(url: str) -> str:
    """`url` with its connections in a fresh schema of our own."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from storage.db import make_engine, normalise_url

    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
    admin.dispose()
    schema_url = make_url(normalise_url(url)).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    return schema_url.render_as_string(hide_password=False)


def seed(database_url: str, owners: int) -> None:
    """One community, `owners` homes with an owner, a bound Telegram chat and unpaid bills."""
    from sqlalchemy import insert

    from bot.app import build_app, upgrade_db
    from bot.config import Settings
    from storage.models import (
        Bill,
        Building,
        ChannelIdentity,
        Community,
        Company,
        Home,
        HomeMember,
        Notice,
        Owner,
    )

    settings = Settings(database={"url": database_url})
    upgrade_db(settings)
    app = build_app(settings, parser=object())  # type: ignore[arg-type]
    n = range(owners)
    try:
        with app.engine.begin() as conn:
            company = conn.execute(insert(Company).values(name="基准物业").returning(Company.id)).scalar_one()
            community = conn.execute(insert(Community).values(name="基准花园", company_id=company)
                                     .returning(Community.id)).scalar_one()
            building = conn.execute(insert(Building).values(community_id=community, name="1")
                                    .returning(Building.id)).scalar_one()
            conn.execute(insert(Home), [{"id": i + 1, "building_id": building, "unit": "1",
                                         "room": str(101 + i), "area_m2": 80} for i in n])
            conn.execute(insert(Owner), [{"id": i + 1, "name": f"业主{i}", "phone": f"139{i:08d}"} for i in n])
            conn.execute(insert(HomeMember), [{"home_id": i + 1, "owner_id": i + 1, "role": "owner"} for i in n])
            conn.execute(insert(ChannelIdentity), [
                {"channel": "telegram", "external_id": str(FIRST_CHAT + i), "owner_id": i + 1,
                 "home_id": i + 1, "verified": True, "reachable": True, "created_at": NOW} for i in n
            ])
            conn.execute(insert(Bill), [
                {"home_id": i + 1, "item": item, "period": "2026-10", "amount": Decimal(amount),
                 "due_date": date(2026, 11, 15), "status": "unpaid"}
                for i in n for item, amount in (("property_fee", "256.00"), ("water", "38.50"))
            ])
            conn.execute(insert(Notice).values(
                community_id=community, building_id=building, scope="building", kind="water_outage",
                title="1号楼停水通知", body="管道检修，请提前储水。",
                starts_at=datetime(2026, 11, 28, 9, tzinfo=NOW.tzinfo),
                ends_at=datetime(2026, 11, 28, 17, tzinfo=NOW.tzinfo), published_at=NOW,
            ))
    finally:
        app.close()


# -- the load ---------------------------------------------------------------------------------


def updates(count: int, owners: int, first_id: int) -> list[bytes]:
    """`count` text updates spread over `owners` chats, the same for every target."""
    out = []
    for k in range(count):
        chat = FIRST_CHAT + (k % owners)
        text = TEXTS[(k // owners + k) % len(TEXTS)]
        update = {"update_id": first_id + k, "message": {
            "message_id": first_id + k, "date": 1795000000 + k, "text": text,
            "chat": {"id": chat, "type": "private", "first_name": "业主"},
            "from": {"id": chat, "is_bot": False, "first_name": "业主", "language_code": "zh-hans"},
        }}
        out.append(json.dumps(update, ensure_ascii=False).encode())
    return out


async def drive(url: str, bodies: list[bytes], concurrency: int) -> tuple[float, list[float], int]:
    """POST every body, `concurrency` at a time; (seconds, latencies, non-200 answers)."""
    import aiohttp

    latencies: list[float] = []
    errors = [0]
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=concurrency)) as http:

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                started = time.perf_counter()
                async with http.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                    if resp.status != 200:
                        errors[0] += 1
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies, errors[0]


# -- targets ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"{url} did not come up")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(proc: subprocess.Popen[bytes], port: int, base: str, bodies: list[bytes],
            warm: list[bytes], concurrency: int) -> dict[str, float]:
    url = f"http://127.0.0.1:{port}/webhook/telegram"
    asyncio.run(drive(url, warm, 4))  # NLU loaded, connections made, caches warm
    before = sent(base)
    seconds, latencies, errors = asyncio.run(drive(url, bodies, concurrency))
    replies = sent(base) - before
    latencies.sort()
    result = {
        "replies": replies, "seconds": seconds, "per_second": replies / seconds, "errors": errors,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "rss_mb": peak_rss_mb(proc.pid),
    }
    proc.terminate()
    proc.wait(timeout=30)
    return result


def run_target(kind: str, base: str, folder: Path, args: argparse.Namespace, first_id: int) -> dict[str, float]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WUYE_")} | {"PYTHONPATH": str(ROOT)}
    if kind == "echo":
        cmd = [sys.executable, __file__, "--echo", str(port), base]
        health = f"http://127.0.0.1:{port}/webhook/telegram"
    else:
        config = write_config(folder, kind, base, args)
        cmd = [sys.executable, "-m", "bot", "--config", str(config), "serve", "--port", str(port)]
        health = f"http://127.0.0.1:{port}/healthz"
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    wait_http(health, proc)
    warm = updates(40, args.owners, first_id + 500_000)
    return measure(proc, port, base, updates(args.updates, args.owners, first_id), warm, args.concurrency)


def write_config(folder: Path, setup: str, base: str, args: argparse.Namespace) -> Path:
    import yaml

    database = f"sqlite:///{folder / 'chat.sqlite3'}" if setup == "sqlite" else pg_schema_url(args.database_url)
    redis_url = args.redis_url if setup == "postgres+redis" else ""
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    seed(database, args.owners)
    path = folder / f"{setup}.yaml"
    path.write_text(yaml.safe_dump({
        "database": {"url": database}, "redis": {"url": redis_url},
        "server": {"public_base_url": "https://bench.example.com"},
        "web": {"secret_file": str(folder / "web_secret")},
        "nlu": {"cache_dir": str(ROOT / ".cache" / "nlu-bench")},
        "log": {"level": "WARNING"},
        "telegram": {"token": TOKEN, "mode": "webhook", "api_base": base, "webhook_secret": SECRET},
        "sender": {"enabled": False}, "scheduler": {"enabled": False},
    }, allow_unicode=True), encoding="utf-8")
    return path


def line(name: str, r: dict[str, float]) -> str:
    return (f"{name:<16} {r['per_second']:8.1f} replies/s  p50 {r['p50_ms']:7.1f} ms  "
            f"p99 {r['p99_ms']:7.1f} ms  peak RSS {r['rss_mb']:6.1f} MB  ({int(r['replies'])} replies, "
            f"{int(r['errors'])} non-200)")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--echo":
        run_echo(int(sys.argv[2]), sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", default="sqlite,postgres,postgres+redis")
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--owners", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/wuye_engine")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/4")
    args = parser.parse_args()

    ports: Any = multiprocessing.get_context("spawn").Queue()
    fake = multiprocessing.get_context("spawn").Process(target=serve_fake, args=(ports,), daemon=True)
    fake.start()
    base = f"http://127.0.0.1:{ports.get(timeout=30)}"
    try:
        with tempfile.TemporaryDirectory(prefix="wuye-chat-bench-") as tmp:
            for n, setup in enumerate(args.setups.split(",")):
                echo = run_target("echo", base, Path(tmp), args, 1_000_000 * (2 * n + 1))
                serve = run_target(setup, base, Path(tmp), args, 1_000_000 * (2 * n + 2))
                print(f"-- {setup}")
                print(line("echo (aiogram)", echo))
                print(line(f"serve ({setup})", serve))
                print(f"{'ratio':<16} throughput {serve['per_second'] / echo['per_second']:.2f}x echo "
                      f"(target >= 0.5), p99 {serve['p99_ms'] / echo['p99_ms']:.2f}x echo (target <= 2)",
                      flush=True)
    finally:
        fake.terminate()


if __name__ == "__main__":
    main()
