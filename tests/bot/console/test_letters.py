"""Binding letters: a PDF page per home, fresh codes that bind, scope and roles enforced."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from aiohttp.test_utils import TestClient

from bot.app import App
from bot.console.letters import letter_links
from handlers import dispatch
from handlers.messages import Incoming
from handlers.office.access import actor_for_account
from handlers.office.letters import building_letters
from storage.models import AuditLog, ChannelIdentity, InviteCode
from tests.bot.console.conftest import Office, login


def actor_for_phone(uow, phone):  # type: ignore[no-untyped-def]
    """The console actor of a staff phone (its account must exist)."""
    from storage.models import ConsoleAccount, Staff

    staff = uow.session.query(Staff).filter(Staff.phone == phone).one()
    account = uow.session.query(ConsoleAccount).filter(ConsoleAccount.staff_id == staff.id).one()
    return actor_for_account(uow, account)


PAGE = re.compile(rb"/Type /Page\b(?!s)")


@dataclass(frozen=True)
class Code:
    id: int
    code: str
    home_id: int
    expires_at: datetime


def _codes(app: App) -> dict[str, list[Code]]:
    """Every home's invite codes, by home label."""
    with app.deps.uow() as uow:
        rows = uow.session.query(InviteCode).filter(InviteCode.home_id.is_not(None)).all()
        found: dict[str, list[Code]] = {}
        for row in rows:
            label = uow.org.home(row.home_id).label  # type: ignore[arg-type, union-attr]
            found.setdefault(label, []).append(Code(row.id, row.code, row.home_id, row.expires_at))  # type: ignore[arg-type]
        return found


async def test_a_building_prints_one_page_per_home_with_codes_that_bind(
    client: TestClient, office: Office, console_app: App
) -> None:
    await login(client, office.phones["a:front_desk"])
    response = await client.get("/console/api/letters", params={"community": "望京花园", "building": "3"})
    assert response.status == 200, await response.text()
    assert response.content_type == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    pdf = await response.read()
    assert pdf.startswith(b"%PDF") and len(PAGE.findall(pdf)) == 2  # 3-2-501 and 3-2-502
    codes = _codes(console_app)
    assert set(codes) == {"3-2-501", "3-2-502"}  # building 12 untouched
    code = codes["3-2-502"][0].code
    # The printed code binds a new chat account, typed the way the letter says.
    now = console_app.deps.clock()
    replies = dispatch.handle(Incoming("web", "letter-reader", text=f"绑定 {code}"), console_app.deps)
    assert "3-2-502" in " ".join(r.text for r in replies.replies)
    with console_app.deps.uow() as uow:
        identity = uow.identities.get_or_create("web", "letter-reader", now, "")
        assert identity.verified and identity.home_id == codes["3-2-502"][0].home_id
        assert isinstance(identity, ChannelIdentity)
        audit = uow.session.query(AuditLog).filter(AuditLog.action == "console.letters.print").one()
        assert json.loads(audit.detail)["homes"] == 2


async def test_printing_again_replaces_the_unused_codes(
    client: TestClient, office: Office, console_app: App
) -> None:
    await login(client, office.phones["a:manager"])
    for _ in range(2):
        response = await client.get("/console/api/letters",
                                    params={"community": "望京花园", "homes": "12-1102"})
        assert response.status == 200
    [first, second] = sorted(_codes(console_app)["12-1102"], key=lambda c: c.id)
    now = console_app.deps.clock()
    assert first.expires_at <= now < second.expires_at  # only the newest printed letter works


async def test_other_company_roles_and_cross_site_requests_are_refused(
    client: TestClient, office: Office, console_app: App
) -> None:
    await login(client, office.phones["b:front_desk"])
    response = await client.get("/console/api/letters", params={"community": "望京花园", "building": "3"})
    assert response.status == 404 and (await response.json())["error"] == "not_found"
    await login(client, office.phones["a:repair"])
    response = await client.get("/console/api/letters", params={"community": "望京花园", "building": "3"})
    assert response.status == 403
    await login(client, office.phones["a:front_desk"])
    response = await client.get("/console/api/letters", params={"community": "望京花园", "building": "3"},
                                headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status == 403
    response = await client.get("/console/api/letters", params={"community": "望京花园", "building": "99"})
    assert response.status == 404
    assert _codes(console_app) == {}  # nothing refused issued a code


async def test_the_page_offers_the_communities_in_scope(client: TestClient, office: Office) -> None:
    await login(client, office.phones["a:front_desk"])
    response = await client.get("/console/letters")
    html = await response.text()
    assert response.status == 200 and "望京花园" in html and "朝阳新城" not in html


async def test_the_web_link_on_a_letter_binds_outside_demo_mode(
    client: TestClient, office: Office, console_app: App
) -> None:
    assert not console_app.settings.demo_mode
    with console_app.deps.uow() as uow:
        actor = actor_for_phone(uow, office.phones["a:front_desk"])
        batch = building_letters(uow, actor, "望京花园", "12", None, console_app.deps.clock(),
                                 letter_links(console_app), 90)
        uow.commit()
    [letter] = batch.letters
    query = parse_qs(urlsplit(letter.url).query)
    assert query["bind"] == [letter.code] and letter.channel == "网页"
    body = {"user": query["user"][0], "token": query["token"][0], "text": f"绑定 {letter.code}"}
    response = await client.post("/api/chat", json=body)
    assert response.status == 200, await response.text()
    assert "12-1102" in json.dumps(await response.json(), ensure_ascii=False)
    forged = {**body, "token": query["token"][0][:-2] + "xx"}
    assert (await client.post("/api/chat", json=forged)).status == 401


def test_a_telegram_username_makes_deep_links(console_app: App) -> None:
    settings = console_app.settings.model_copy(
        update={"telegram": console_app.settings.telegram.model_copy(update={"bot_username": "wuye_bot"})})
    links = letter_links(replace(console_app, settings=settings))
    assert links.for_code("K7M2Q9XP", console_app.deps.clock()) == (
        "Telegram", "https://t.me/wuye_bot?start=K7M2Q9XP")
