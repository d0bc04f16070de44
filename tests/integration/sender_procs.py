"""Helpers of the sender's process tests: a database with many Telegram recipients,
`python -m bot sender run` as a real subprocess, and waiting on the fake server's counts."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot.app import build_app
from bot.config import Settings
from handlers.broadcasts import publish_notice
from storage.models import ChannelIdentity
from tests.factories import build_world
from tests.fakes.telegram_server import FakeTelegramServer

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=TZ)
FIRST_CHAT = 7_000_000


def write_config(path: Path, tg: FakeTelegramServer, database_url: str, **sections: Any) -> Path:
    """A config file for the sender subprocess, pointed at the fake Bot API."""
    config: dict[str, Any] = {
        "database": {"url": database_url},
        "redis": {"url": ""},
        "web": {"secret_file": str(path.parent / "web_secret")},
        "log": {"level": "WARNING"},
        "telegram": {"token": tg.token, "mode": "polling", "api_base": tg.base_url},
    }
    for name, values in sections.items():
        config[name] = {**config.get(name, {}), **values}
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def seed_recipients(settings: Settings, n: int) -> None:
    """王建国 (3-2-501) with `n` Telegram chats: one notice reaches all of them."""
    app = build_app(settings, parser=object())  # type: ignore[arg-type]
    try:
        with app.deps.uow() as uow:
            world = build_world(uow)
            owner = world.owner_ids["13812345678"]
            uow.session.add_all(
                ChannelIdentity(channel="telegram", external_id=str(FIRST_CHAT + i), owner_id=owner,
                                verified=True, created_at=NOW)
                for i in range(n)
            )
            uow.commit()
    finally:
        app.close()


def publish(settings: Settings, title: str) -> int:
    """Publish a water notice to building 3; how many pushes were queued."""
    app = build_app(settings, parser=object())  # type: ignore[arg-type]
    try:
        with app.deps.uow() as uow:
            done = publish_notice(
                uow, "望京花园", "3", "water_outage", title, "管道检修，请提前储水。",
                NOW + timedelta(days=1), NOW + timedelta(days=1, hours=8), app.deps.clock(),
            )
            uow.commit()
        return done.queued
    finally:
        app.close()


def statuses(settings: Settings) -> Counter[str]:
    """How many outbox rows are in each status."""
    app = build_app(settings, parser=object())  # type: ignore[arg-type]
    try:
        with app.deps.uow() as uow:
            return Counter(uow.outbox.status_counts())
    finally:
        app.close()


def senders(settings: Settings) -> set[str]:
    """Which sender processes recorded a delivery."""
    from storage.models import OutboxMessage

    app = build_app(settings, parser=object())  # type: ignore[arg-type]
    try:
        with app.deps.uow() as uow:
            rows = uow.session.query(OutboxMessage.claimed_by).filter_by(status="sent").distinct()
            return {r[0] for r in rows}
    finally:
        app.close()


async def start_sender(config: Path, log: Path) -> asyncio.subprocess.Process:
    """`python -m bot --config CONFIG sender run` in the repository, output to `log`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WUYE_")}
    env["PYTHONPATH"] = str(ROOT)
    handle = log.open("ab")
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(config), "sender", "run",
            cwd=ROOT, env=env, stdout=handle, stderr=handle,
        )
    finally:
        handle.close()  # the child has its own copy


def per_chat(tg: FakeTelegramServer, title: str) -> Counter[str]:
    """How many messages each chat got of the notice titled `title`."""
    return Counter(
        str(c.params["chat_id"]) for c in list(tg.calls)
        if c.method == "sendMessage" and title in str(c.params.get("text", ""))
    )


async def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `check` (the timeout only guards a hung test; nothing depends on the timing)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def stop(proc: asyncio.subprocess.Process, timeout: float = 30) -> int:
    """SIGTERM and wait for a clean exit; its exit status."""
    proc.terminate()
    return await asyncio.wait_for(proc.wait(), timeout)
