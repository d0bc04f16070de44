"""The office console: server-rendered pages under /console/ and JSON under /console/api/.

An HTTP plugin (bot/http.py HTTP_PLUGINS). Each module in CONSOLE_MODULES has
`routes = ConsoleRoutes()` with its endpoints and pages, and may have `NAV` (menu items)
and `setup(web_app, console)` (background work, e.g. the live conversation hub).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from aiohttp import web

from bot.app import App
from bot.console.routes import Endpoint, Page
from bot.console.state import CONSOLE_KEY, STATIC_DIR, build_console
from bot.console.web import API_PREFIX, api_view, json_errors, page_view

# Add a module here to mount its endpoints and pages (keep "openapi" last).
CONSOLE_MODULES: tuple[str, ...] = (
    "bot.console.auth",
    "bot.console.letters",
    "bot.console.operations",
    "bot.console.conversations",
    "bot.console.live",
    "bot.console.payments",
    "bot.console.supervision",
    "bot.console.openapi",
)


def declared(modules: Sequence[str] = CONSOLE_MODULES) -> tuple[list[Endpoint], list[Page]]:
    """Every endpoint and page the console modules declare."""
    endpoints: list[Endpoint] = []
    pages: list[Page] = []
    for name in modules:
        routes = importlib.import_module(name).routes
        endpoints += routes.endpoints
        pages += routes.pages
    return endpoints, pages


def setup(web_app: web.Application, app: App) -> None:
    """Mount the console (unless `console.enabled` is false)."""
    if not app.settings.console.enabled:
        return
    console = build_console(app)
    web_app[CONSOLE_KEY] = console
    web_app.middlewares.append(json_errors)
    endpoints, pages = declared()
    for endpoint in endpoints:
        pattern = endpoint.path
        for name in endpoint.path_params:
            pattern = pattern.replace("{" + name + "}", "{" + name + r":\d{1,18}}")
        web_app.router.add_route(endpoint.method, API_PREFIX + pattern, api_view(endpoint))
    for page in pages:
        web_app.router.add_route(page.method, page.path, page_view(page))
    web_app.router.add_static("/console/static/", STATIC_DIR, append_version=True)
    for name in CONSOLE_MODULES:
        module = importlib.import_module(name)
        console.nav += getattr(module, "NAV", [])
        if hasattr(module, "setup"):
            module.setup(web_app, console)
