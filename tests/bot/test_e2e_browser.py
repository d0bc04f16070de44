"""The web chat page in real headless Chromium, driven over the DevTools protocol.

The server runs in this process on a free loopback port; Chromium (Debian's package, no
downloaded browser) loads the page, we type with real key events and wait for the reply
bubble with a MutationObserver (no sleeps on the page side).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import build_app, upgrade_db
from bot.config import Settings
from bot.http import build_web_app
from tests.chat import FakeClock

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=420,860", "--remote-debugging-port=0",
    "--remote-allow-origins=*",
]
STARTUP_POLLS = 600  # x 50 ms: Chromium writes its DevTools port within a few seconds
WAIT_MS = 30_000  # the page-side bound for a reply (the first one may load the NLU)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


class DevTools:
    """A minimal Chrome DevTools Protocol client over one browser websocket (flat sessions)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.exceptions: list[dict[str, Any]] = []
        self.session_id: str | None = None
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.pending:
                self.pending.pop(data["id"]).set_result(data)
            elif data.get("method") == "Runtime.exceptionThrown":
                self.exceptions.append(data["params"]["exceptionDetails"])

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command (to the attached page, once there is one) and return its result."""
        call_id = next(self.ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[call_id] = future
        message: dict[str, Any] = {"id": call_id, "method": method, "params": params}
        if self.session_id:
            message["sessionId"] = self.session_id
        await self.ws.send_str(json.dumps(message))
        reply = await asyncio.wait_for(future, 60)
        if "error" in reply:
            raise AssertionError(f"{method}: {reply['error']}")
        return reply["result"]

    async def open(self, url: str) -> None:
        """A new tab at `url`, attached; this client then talks to it."""
        target = await self.send("Target.createTarget", url="about:blank")
        attached = await self.send("Target.attachToTarget", targetId=target["targetId"], flatten=True)
        self.session_id = attached["sessionId"]
        await self.send("Runtime.enable")
        await self.send("Page.enable")
        await self.send("Page.navigate", url=url)

    async def js(self, expression: str) -> Any:
        """Evaluate `expression` in the page (awaiting a promise) and return its value."""
        result = await self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"].get("exception", {}).get("description"))
        return result["result"].get("value")

    async def type_text(self, text: str) -> None:
        """Type like a person: the text goes into the focused element, then Enter."""
        await self.send("Input.insertText", text=text)
        enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        await self.send("Input.dispatchKeyEvent", type="rawKeyDown", **enter)
        await self.send("Input.dispatchKeyEvent", type="char", text="\r", **enter)
        await self.send("Input.dispatchKeyEvent", type="keyUp", **enter)


def wait_for_bot_rows(count: int) -> str:
    """JS: resolve when the page shows `count` finished bot bubbles (MutationObserver)."""
    return f"""
    new Promise((resolve, reject) => {{
      const done = () => document.querySelectorAll('.row.bot:not(.typing)').length >= {count};
      if (done()) return resolve(true);
      const observer = new MutationObserver(() => {{
        if (done()) {{ observer.disconnect(); resolve(true); }}
      }});
      observer.observe(document.getElementById('messages'), {{childList: true, subtree: true}});
      setTimeout(() => {{ observer.disconnect(); reject(new Error('no reply: ' +
        document.getElementById('messages').innerText)); }}, {WAIT_MS});
    }})"""


PAGE_READY = """
new Promise((resolve) => {
  const ready = () => document.readyState === 'complete' && window.wuyeChat;
  if (ready()) return resolve(true);
  window.addEventListener('load', () => resolve(true));
})"""

ROWS = """Array.from(document.querySelectorAll('#messages .row')).map(row => ({
  kind: row.className.replace('row ', ''),
  text: row.querySelector('.bubble').innerText,
  chips: Array.from(row.querySelectorAll('.chip')).map(c => c.innerText)}))"""


@pytest.fixture
async def server_url(tmp_path: Path, parser: object, clock: FakeClock) -> AsyncIterator[str]:
    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'e2e.sqlite3'}"},
        media={"dir": tmp_path / "media"},
        web={"secret_file": tmp_path / "web_secret", "demo_mode": True},
    )
    upgrade_db(settings)
    app = build_app(settings, parser=parser, clock=clock)  # type: ignore[arg-type]
    runner = web.AppRunner(build_web_app(app, plugins=()))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/?user=e2e-owner"
    await runner.cleanup()
    app.close()


@pytest.fixture
async def devtools(tmp_path: Path) -> AsyncIterator[DevTools]:
    profile = tmp_path / "chromium-profile"
    process = subprocess.Popen(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(STARTUP_POLLS):
            if port_file.exists() and len(port_file.read_text().splitlines()) >= 2:
                break
            assert process.poll() is None, "Chromium exited during startup"
            await asyncio.sleep(0.05)
        port, path = port_file.read_text().splitlines()[:2]
        async with aiohttp.ClientSession() as http, http.ws_connect(
            f"ws://127.0.0.1:{port}{path}", max_msg_size=0
        ) as ws:
            client = DevTools(ws)
            yield client
            client.reader.cancel()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def test_typing_a_message_shows_the_reply_and_chips_send_their_payload(
    server_url: str, devtools: DevTools, tmp_path: Path
) -> None:
    await devtools.open(server_url)
    assert await devtools.js(PAGE_READY)
    assert await devtools.js("window.wuyeChat.identity.user") == "e2e-owner"
    await devtools.js("document.getElementById('input').focus()")
    await devtools.type_text("你好")
    assert await devtools.js(wait_for_bot_rows(2))  # the page's welcome + the reply

    rows = await devtools.js(ROWS)
    assert [r["text"] for r in rows if r["kind"] == "user"] == ["你好"]
    reply = [r for r in rows if r["kind"] == "bot"][-1]
    assert reply["text"].strip()
    assert not [r for r in rows if r["kind"] == "system"], rows  # no error line
    assert await devtools.js("document.getElementById('input').value") == ""

    assert reply["chips"], "the greeting offers the menu as buttons"
    await devtools.js("document.querySelector('.row.bot:last-child .chip').click()")
    assert await devtools.js(wait_for_bot_rows(3))
    rows = await devtools.js(ROWS)
    assert [r["text"] for r in rows if r["kind"] == "user"] == ["你好", reply["chips"][0]]
    assert not [r for r in rows if r["kind"] == "system"], rows

    shot = await devtools.send("Page.captureScreenshot", format="png")
    (tmp_path / "chat.png").write_bytes(base64.b64decode(shot["data"]))
    assert devtools.exceptions == []
