"""The web chat as a product, in real headless Chromium: links and phone numbers, history
across a reload without replaying old pushes, photos reaching the ticket, the welcome in the
browser's language. Screenshots go to tmp_path, or to $WUYE_SCREENSHOTS when set."""

from __future__ import annotations

import base64
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select

from bot.app import App, build_app, upgrade_db
from bot.channels.web_inbox import WebInbox
from bot.config import Settings
from bot.http import build_web_app
from storage.models import Attachment, Ticket
from tests.bot import test_e2e_browser as browser
from tests.bot.test_e2e_browser import CHROMIUM, PAGE_READY, ROWS, DevTools, wait_for_bot_rows
from tests.bot.test_web_photo import png_bytes
from tests.chat import FakeClock
from tests.factories import bind_identity, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]
USER = "e2e-owner"
devtools = browser.devtools  # the same Chromium fixture as the first browser test


@dataclass
class Site:
    url: str
    app: App
    inbox: WebInbox
    shots: Path

    def push(self, message_id: int, text: str, buttons: list[dict[str, str]] | None = None) -> None:
        """A push as the sender delivers it to the web inbox."""
        assert self.inbox.put(USER, message_id, {"text": text, "buttons": buttons or []}, "notice")


@pytest.fixture
async def site(tmp_path: Path, parser: object, clock: FakeClock) -> AsyncIterator[Site]:
    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'e2e.sqlite3'}"},
        media={"dir": tmp_path / "media"},
        web={"secret_file": tmp_path / "web_secret", "demo_mode": True},
    )
    upgrade_db(settings)
    app = build_app(settings, parser=parser, clock=clock)  # type: ignore[arg-type]
    with app.deps.uow() as uow:
        world = build_world(uow)
        bind_identity(uow, "web", USER, clock(), owner_id=world.owner_ids["13812345678"],
                      home_id=world.home_ids["3-2-501"])
        uow.commit()
    runner = web.AppRunner(build_web_app(app, plugins=("bot.channels.web_inbox",)))
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = runner.addresses[0][1]
    shots = Path(os.environ.get("WUYE_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    yield Site(f"http://127.0.0.1:{port}/?user={USER}", app,
               WebInbox(app.stores.kv, app.stores.locks, clock=clock), shots)
    await runner.cleanup()
    app.close()


async def screenshot(devtools: DevTools, path: Path) -> None:
    shot = await devtools.send("Page.captureScreenshot", format="png")
    path.write_bytes(base64.b64decode(shot["data"]))


async def open_page(devtools: DevTools, url: str, accept_language: str = "zh-CN,zh") -> None:
    """A tab in a browser whose language is `accept_language`, at `url`."""
    target = await devtools.send("Target.createTarget", url="about:blank")
    attached = await devtools.send("Target.attachToTarget", targetId=target["targetId"],
                                   flatten=True)
    devtools.session_id = attached["sessionId"]
    await devtools.send("Runtime.enable")
    await devtools.send("Page.enable")
    agent = await devtools.send("Runtime.evaluate", expression="navigator.userAgent",
                                returnByValue=True)
    await devtools.send("Network.setUserAgentOverride", userAgent=agent["result"]["value"],
                        acceptLanguage=accept_language)
    await devtools.send("Page.navigate", url=url)
    assert await devtools.js(PAGE_READY)


LINKS = """Array.from(document.querySelectorAll('#messages .row')).map(row => ({
  kind: row.className.replace('row ', ''),
  links: Array.from(row.querySelectorAll('.bubble a')).map(a => [a.textContent,
    a.getAttribute('href')])}))"""
WAIT_TEXT = """new Promise((resolve, reject) => {{
  const done = () => document.getElementById('messages').innerText.includes({text!r});
  if (done()) return resolve(true);
  const observer = new MutationObserver(() => {{ if (done()) {{ observer.disconnect();
    resolve(true); }} }});
  observer.observe(document.getElementById('messages'), {{childList: true, subtree: true}});
  document.dispatchEvent(new Event('visibilitychange'));  // the page polls on this
  setTimeout(() => reject(new Error('not shown: ' + {text!r})), 30000);
}})"""


def wait_text(text: str) -> str:
    return WAIT_TEXT.format(text=text)


TOKENS = [
    ("付款链接：http://127.0.0.1:8080/pay/WY20261127100000ab12，请在30分钟内支付。",
     [["http://127.0.0.1:8080/pay/WY20261127100000ab12",
       "http://127.0.0.1:8080/pay/WY20261127100000ab12"]]),
    ("物业服务中心电话 010-84561234，值班手机 138 0000 1111",
     [["010-84561234", "tel:01084561234"], ["138 0000 1111", "tel:13800001111"]]),
    ("有人受伤请先拨打120，着火打119", [["120", "tel:120"], ["119", "tel:119"]]),
    ("供暖问题请致电北京热力 96069", [["96069", "tel:96069"]]),
    # Amounts, areas, ticket numbers and masked phones are not numbers to call.
    ("本月物业费 120.50 元，面积 120 平方米，工单 R20261127001", []),
    ("处理人：张师傅 137****0001", []),
]


async def test_links_phones_history_and_old_pushes(site: Site, devtools: DevTools) -> None:
    site.push(1, "3号楼停水通知：11月28日 9:00-17:00 停水，咨询电话 010-84561234 ⚠",
              [{"title": "知道了", "payload": "/affirm"}])
    await open_page(devtools, site.url)
    assert await devtools.js(wait_text("停水通知"))
    rows = await devtools.js(ROWS)
    # An old push is earlier history (dated, above the welcome, its button disabled), not news.
    assert rows[0]["kind"] == "bot history" and "停水通知" in rows[0]["text"]
    assert await devtools.js("document.querySelector('.row.history .chip').disabled")
    assert await devtools.js("document.querySelector('.divider').innerText") == "之前的通知"
    assert "您好！我是物业管家" in rows[1]["text"]

    tokens = await devtools.js(
        f"{[t for t, _ in TOKENS]!r}.map(t => WuyeText.tokens(t).filter(p => p.href)"
        ".map(p => [p.text, p.href]))")
    assert tokens == [want for _, want in TOKENS]

    await devtools.js("document.getElementById('input').focus()")
    await devtools.type_text("你好")
    assert await devtools.js(wait_for_bot_rows(3))
    base = site.url.split("/?")[0]
    site.push(2, f"缴费链接 {base}/pay/WY20261127100000ab12 ，客服 13800001111，"
                 "给这次维修打个分吧 ⭐⭐⭐⭐⭐ 👍")
    assert await devtools.js(wait_text("缴费链接"))
    linked = await devtools.js(LINKS)
    new_push = linked[-1]
    assert new_push["kind"] == "bot"  # a new push is news: not history
    assert new_push["links"] == [[f"{base}/pay/WY20261127100000ab12",
                                  f"{base}/pay/WY20261127100000ab12"],
                                 ["13800001111", "tel:13800001111"]]
    assert ["010-84561234", "tel:01084561234"] in linked[0]["links"]
    await screenshot(devtools, site.shots / "web-chat-links.png")

    before = await devtools.js(ROWS)
    await devtools.send("Page.reload")
    assert await devtools.js(PAGE_READY)
    assert await devtools.js(wait_text("缴费链接"))
    after = await devtools.js(ROWS)
    texts = [r["text"] for r in after]
    assert [r["text"] for r in after if r["kind"].startswith("user")] == ["你好"]
    assert sum("停水通知" in t for t in texts) == 1 and sum("缴费链接" in t for t in texts) == 1
    assert all("history" in r["kind"] for r in after), after  # nothing replayed as new
    assert len(after) == len(before)
    assert await devtools.js("Array.from(document.querySelectorAll('.chip'))"
                             ".every(c => c.disabled)")
    assert "以上是之前的消息" in await devtools.js("document.body.innerText")
    await screenshot(devtools, site.shots / "web-chat-after-reload.png")
    assert devtools.exceptions == []


async def test_a_photo_attached_in_the_page_reaches_the_ticket(
    site: Site, devtools: DevTools, tmp_path: Path
) -> None:
    photo = tmp_path / "window.png"
    photo.write_bytes(png_bytes(64, 48))
    await open_page(devtools, site.url)
    await devtools.js("document.getElementById('input').focus()")
    await devtools.type_text("阳台窗户关不上了")
    assert await devtools.js(wait_for_bot_rows(2))
    document = await devtools.send("DOM.getDocument")
    node = await devtools.send("DOM.querySelector", nodeId=document["root"]["nodeId"],
                               selector="#photo-input")
    await devtools.send("DOM.setFileInputFiles", nodeId=node["nodeId"], files=[str(photo)])
    assert await devtools.js(wait_for_bot_rows(3))
    assert await devtools.js("document.querySelector('.row.user img.photo').src"
                             ".startsWith('data:image/')")
    await devtools.js("Array.from(document.querySelectorAll("
                      "'.chip[data-payload=\"repair:confirm\"]')).pop().click()")
    assert await devtools.js(wait_text("已附照片1张"))
    await screenshot(devtools, site.shots / "web-chat-photo.png")
    with site.app.deps.uow() as uow:
        attachment = uow.session.scalars(select(Attachment)).one()
        ticket = uow.session.scalars(select(Ticket)).one()
        assert attachment.ticket_id == ticket.id
        assert attachment.ref.startswith(str(tmp_path / "media" / "web"))
    assert devtools.exceptions == []


@pytest.mark.parametrize(("accept", "welcome", "placeholder"), [
    ("en-US,en", "Hello! I'm your property assistant.", "Type a message…"),
    ("zh-CN,zh", "您好！我是物业管家。", "请输入消息…"),
])
async def test_the_welcome_follows_the_browser_language(
    site: Site, devtools: DevTools, accept: str, welcome: str, placeholder: str
) -> None:
    await open_page(devtools, site.url.replace(USER, "e2e-visitor"), accept_language=accept)
    rows: list[dict[str, Any]] = await devtools.js(ROWS)
    assert rows[0]["text"].startswith(welcome)
    assert await devtools.js("document.getElementById('input').placeholder") == placeholder
    await screenshot(devtools, site.shots / f"web-chat-welcome-{accept[:2]}.png")
    assert devtools.exceptions == []
