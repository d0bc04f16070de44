"""Binding letters in the console: a PDF per building (or a list of homes), one page per home."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from urllib.parse import quote, urlencode

from aiohttp import web

from bot.app import App
from bot.channels.web import load_secret, make_token
from bot.console.routes import Call, ConsoleRoutes
from bot.console.state import CONSOLE_KEY, NavItem
from bot.letters_pdf import render
from handlers.errors import Forbidden, Invalid
from handlers.office.letters import LetterBatch, LetterLinks, building_letters

routes = ConsoleRoutes()
NAV = [NavItem("绑定通知书", "/console/letters", "letters.print")]

LETTERS_QUERY = {
    "community": {"type": "string", "minLength": 1, "maxLength": 200},
    "building": {"type": "string", "minLength": 1, "maxLength": 20},
    "homes": {"type": "string", "maxLength": 20000},  # comma-separated labels: 3-2-501,3-2-502
}


@routes.api("GET", "/letters", summary="Binding letters as a PDF, one page per home",
            permission="letters.print", query=LETTERS_QUERY, produces="application/pdf",
            response={"type": "string", "format": "binary"}, statuses=(403, 404), tag="letters")
async def letters(call: Call) -> web.StreamResponse:
    """Fresh codes for the selection (older unused ones expire), as a printable PDF."""
    # A GET that issues codes: refuse a cross-site navigation (the Lax cookie would ride along).
    if call.request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        raise Forbidden("console_csrf")
    community = call.query.get("community", "")
    if not community:
        raise Invalid("console_invalid", detail="community is required")
    homes = [h.strip() for h in call.query.get("homes", "").split(",") if h.strip()] or None
    batch = await call.run(_issue, call, community, call.query.get("building"), homes)
    pdf = await call.run(render, batch)
    name = f"{batch.community}-{batch.building or 'homes'}-letters.pdf"
    return web.Response(body=pdf, content_type="application/pdf", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store",  # the codes are secrets until used
    })


def letter_links(app: App) -> LetterLinks:
    """Where this deployment's letters lead (Telegram deep link, or a signed web chat link)."""
    settings = app.settings
    secret = load_secret(settings.web)
    base = settings.server.public_base_url.rstrip("/")

    def web_link(code: str, expires: datetime) -> str:
        # A chat account of its own per letter, with a token so the page works outside demo mode.
        user = f"letter-{code.lower()}"
        token = make_token(secret, user, expires)
        return f"{base}/?{urlencode({'user': user, 'token': token, 'bind': code})}"

    return LetterLinks(web_link, settings.telegram.bot_username)


def _issue(call: Call, community: str, building: str | None, homes: list[str] | None) -> LetterBatch:
    deps = call.app.deps
    with deps.uow() as uow:
        batch = building_letters(uow, call.me, community, building, homes, call.now(),
                                 letter_links(call.app), deps.settings.invite_ttl_days)
        uow.commit()
    zone = deps.settings.timezone  # the printed expiry date is Beijing's, not UTC's
    local = tuple(replace(letter, expires_at=letter.expires_at.astimezone(zone)) for letter in batch.letters)
    return replace(batch, letters=local)


@routes.page("/console/letters", permission="letters.print")
async def letters_page(call: Call) -> web.StreamResponse:
    """Pick a community and building; the browser downloads the PDF."""
    console = call.request.app[CONSOLE_KEY]
    names = await call.run(_communities, call)
    return await console.render(call, "letters.html", communities=names)


def _communities(call: Call) -> list[str]:
    with call.app.deps.uow() as uow:
        scope = call.me.scope
        return sorted(c.name for c in uow.org.communities() if scope.holds_building(None, c))
