"""What the console holds per process: sessions, throttle, hasher, templates, navigation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.app import App
from bot.console.passwords import Argon2Hasher
from bot.console.session import LoginThrottle, Sessions

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


@dataclass(frozen=True)
class NavItem:
    """A link in the layout's menu, shown to roles holding `permission` (None: everyone)."""

    label: str
    href: str
    permission: str | None = None


@dataclass
class Console:
    """Built once per web application in bot.console.setup."""

    app: App
    sessions: Sessions
    throttle: LoginThrottle
    hasher: Argon2Hasher
    templates: jinja2.Environment
    nav: list[NavItem] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)  # e.g. the live hub (conversations)

    @property
    def secure_cookie(self) -> bool:
        return self.app.settings.server.public_base_url.startswith("https://")

    async def render(self, call: Any, template: str, status: int = 200, **context: Any) -> web.Response:
        """A page from bot/console/templates with the layout's context (actor, CSRF, menu)."""
        actor = call.actor
        nav = [n for n in self.nav if actor is not None and (n.permission is None or actor.can(n.permission))]
        html = await asyncio.to_thread(
            self.templates.get_template(template).render,
            actor=actor, csrf=call.session.csrf if call.session else "", nav=nav,
            path=call.request.path, **context,
        )
        return web.Response(text=html, status=status, content_type="text/html",
                            headers={"Cache-Control": "no-store"})


def build_console(app: App) -> Console:
    """The console's per-process state from the App's stores and settings."""
    cfg = app.settings.console
    stores = app.stores
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    return Console(
        app=app,
        sessions=Sessions(stores.kv, cfg.session_hours * 3600),
        throttle=LoginThrottle(stores.claims, cfg.login_window_minutes * 60,
                               cfg.login_attempts_per_phone, cfg.login_attempts_per_address),
        hasher=Argon2Hasher(),
        templates=env,
    )


CONSOLE_KEY = web.AppKey("wuye_console", Console)
