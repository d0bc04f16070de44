"""The console in real headless Chromium (DevTools protocol): a clerk logs in and answers a
live conversation while a fake Telegram owner writes. Screenshots are saved by the run
(`WUYE_SCREENSHOT_DIR`, else the test's tmp dir)."""

from __future__ import annotations

import asyncio
import base64
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.app import App, build_app, upgrade_db
from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from bot.config import Settings
from bot.console.passwords import Argon2Hasher
from bot.http import build_web_app
from handlers.office.accounts import set_password
from tests.bot import test_e2e_browser as e2e
from tests.bot.console.conftest import PASSWORD
from tests.bot.test_e2e_browser import CHROMIUM, DevTools
from tests.factories import add_staff, bind_identity, build_world
from tests.fakes.telegram_server import FakeTelegramServer, text_update

devtools = e2e.devtools  # the `devtools` fixture: Chromium over the DevTools protocol
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]
SECRET = "console-e2e-secret"
OWNER_CHAT = 5550001
DESK_PHONE = "13500000777"
WAIT = 30_000


def wait_js(condition: str, what: str) -> str:
    """JS: resolve when `condition` holds (checked on every DOM change and every 200 ms)."""
    return f"""
    new Promise((resolve, reject) => {{
      const ok = () => {{ try {{ return {condition}; }} catch (e) {{ return false; }} }};
      if (ok()) return resolve(true);
      const timer = setInterval(() => {{ if (ok()) {{ clearInterval(timer); resolve(true); }} }}, 200);
      setTimeout(() => {{ clearInterval(timer); reject(new Error({json.dumps('timed out: ' + what + ' — ')} +
        document.body.innerText.slice(0, 400))); }}, {WAIT});
    }})"""


async def until(devtools: DevTools, condition: str, what: str) -> None:
    """Wait for `condition` in the page, across navigations (a new page restarts the wait)."""
    for _ in range(50):
        try:
            await devtools.js(wait_js(condition, what))
            return
        except AssertionError as err:
            if "navigated" not in str(err) and "context" not in str(err).lower():
                raise
            await asyncio.sleep(0.3)
    raise AssertionError(f"page kept navigating while waiting for {what}")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def served(tmp_path: Path, parser: object, tg: FakeTelegramServer) -> AsyncIterator[tuple[str, App]]:
    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'console.sqlite3'}"},
        media={"dir": tmp_path / "media"}, web={"secret_file": tmp_path / "web_secret"},
        telegram={"token": tg.token, "mode": "webhook", "webhook_secret": SECRET,
                  "webhook_url": "https://wuye.example.com/webhook/telegram", "api_base": tg.base_url},
        scheduler={"enabled": False},
    )
    upgrade_db(settings)
    app = build_app(settings, parser=parser)  # type: ignore[arg-type]
    now = app.deps.clock()
    with app.deps.uow() as uow:
        world = build_world(uow)
        add_staff(uow, world.company_id, "刘前台", DESK_PHONE, "front_desk")
        bind_identity(uow, "telegram", str(OWNER_CHAT), now, owner_id=world.owner_ids["13812345678"],
                      home_id=world.home_ids["3-2-501"])
        set_password(uow, Argon2Hasher(), DESK_PHONE, PASSWORD, now)
        uow.commit()
    runner = web.AppRunner(build_web_app(
        app, plugins=("bot.channels.telegram", "bot.console", "bot.sender")))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", app
    await runner.cleanup()
    app.close()


async def owner_writes(base: str, update_id: int, text: str) -> None:
    async with aiohttp.ClientSession() as http:
        response = await http.post(base + WEBHOOK_PATH, json=text_update(update_id, text, OWNER_CHAT),
                                   headers={SECRET_HEADER: SECRET})
        assert response.status == 200


async def shoot(devtools: DevTools, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("WUYE_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shot = await devtools.send("Page.captureScreenshot", format="png")
    path = folder / name
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


async def size(devtools: DevTools, width: int, height: int, mobile: bool) -> None:
    await devtools.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                        deviceScaleFactor=1, mobile=mobile)


async def test_a_clerk_answers_a_telegram_owner_live(
    served: tuple[str, App], devtools: DevTools, tg: FakeTelegramServer, tmp_path: Path,
) -> None:
    base, _ = served
    await owner_writes(base, 1, "转人工")
    [handoff] = await tg.wait_for("sendMessage", 1, timeout=60)
    assert "转人工" in handoff["text"]

    await devtools.open(base + "/console/conversations")  # not logged in: the login page
    await until(devtools, "document.getElementById('login-form') && window.wuye", "login form")
    await size(devtools, 1280, 800, False)
    await devtools.js(f"""(() => {{ const f = document.getElementById('login-form');
        f.phone.value = '{DESK_PHONE}'; f.password.value = '{PASSWORD}'; f.requestSubmit(); }})()""")
    await until(devtools, "location.pathname === '/console/conversations' && "
                              "document.querySelector('tbody a')", "inbox row")
    assert "望京花园 3-2-501" in await devtools.js("document.body.innerText")
    await shoot(devtools, "console-inbox.png", tmp_path)

    await devtools.js("document.querySelector('tbody a').click()")
    await until(devtools, "document.querySelector('[data-conversation]') && window.wuyeLive "
                              "&& window.wuyeLive.readyState === 1", "conversation page, live")
    await owner_writes(base, 2, "卫生间漏水，楼下说天花板在滴水")
    await until(devtools, "document.getElementById('messages').innerText.includes('天花板在滴水')",
                              "the owner's live message")

    await devtools.js("document.querySelector('#reply-form textarea').focus()")
    await devtools.type_text("您好，维修师傅十分钟内上门，请先关闭总阀。")
    sent = await tg.wait_for("sendMessage", 2, timeout=60)
    assert "十分钟内上门" in sent[-1]["text"] and str(sent[-1]["chat_id"]) == str(OWNER_CHAT)
    await until(devtools, "document.getElementById('messages').innerText.includes('已送达')",
                              "delivery state sent")
    await shoot(devtools, "console-conversation.png", tmp_path)

    await size(devtools, 390, 844, True)
    await devtools.js("location.reload()")
    await until(devtools, "document.querySelector('[data-conversation]')", "phone layout")
    await shoot(devtools, "console-phone.png", tmp_path)
    assert devtools.exceptions == []
