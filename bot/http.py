"""The HTTP server: health check, the web chat page and API, and whatever plugins mount.

A plugin is a module with `setup(web_app, app)`: it adds routes (webhooks) and
`web_app.on_startup` / `on_cleanup` hooks (scheduler, sender). List it in HTTP_PLUGINS.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from aiohttp import web

from bot import __version__
from bot.app import App
from bot.channels import web as web_channel

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
APP_KEY = web.AppKey("wuye_app", App)
# Modules mounted by `build_web_app` after the web chat; each has `setup(web_app, app)`.
HTTP_PLUGINS: tuple[str, ...] = (
    "bot.channels.telegram", "bot.channels.wechat.adapter", "bot.channels.wecom.adapter",
    "bot.channels.web_inbox", "bot.channels.web_pay", "bot.payments.wechatpay.notify",
    "bot.console",  # the office console: /console/ pages and /console/api/
    "bot.sender",  # last: it shares the channels' clients set up above
    "bot.scheduler",  # scheduled jobs (leader only); they only write outbox rows
)
SHUTDOWN_TIMEOUT_SECONDS = 10.0
# The page uses only its own files: no CDN, no inline script, nothing framed.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: https:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def build_web_app(
    app: App,
    *,
    plugins: Sequence[str] | None = None,
    extra_routes: Iterable[web.RouteDef] = (),
) -> web.Application:
    """The aiohttp application for `app`; `plugins` defaults to HTTP_PLUGINS."""
    web_app = web.Application(middlewares=[_security_headers])
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/", index)
    web_app.router.add_static("/static/", STATIC_DIR, append_version=False)
    web_channel.setup(web_app, app)
    web_app.router.add_routes(list(extra_routes))
    for name in HTTP_PLUGINS if plugins is None else plugins:
        importlib.import_module(name).setup(web_app, app)
    web_app.on_startup.append(_warm_nlu)
    return web_app


@web.middleware
async def _security_headers(request: web.Request, handler: web.Handler) -> web.StreamResponse:
    response = await handler(request)
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response


async def healthz(request: web.Request) -> web.Response:
    """Each dependency's state; 503 when the database does not answer (nothing works without
    it), 200 "degraded" when only Redis is away (the chat falls back to the database)."""
    app = request.app[APP_KEY]
    db_ok = await asyncio.to_thread(app.db_ok)
    shared = await asyncio.to_thread(app.stores.health)
    ok = db_ok and all(shared.values())
    body = {"status": "ok" if ok else "degraded", "db": db_ok, **shared, "version": __version__}
    return web.json_response(body, status=200 if db_ok else 503)


async def index(request: web.Request) -> web.FileResponse:
    """The web chat page."""
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


async def _warm_nlu(web_app: web.Application) -> None:
    """Load the NLU in the background so the first message does not wait for training."""
    warm = getattr(web_app[APP_KEY].deps.parser, "warm", None)
    if callable(warm):
        task = asyncio.create_task(asyncio.to_thread(warm), name="warm-nlu")
        task.add_done_callback(_report_warm)
        web_app[_WARM_KEY] = task


_WARM_KEY = web.AppKey("wuye_warm_nlu", asyncio.Task)


def _report_warm(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("NLU failed to load; messages will retry", exc_info=task.exception())


def run_server(app: App) -> None:
    """Serve until SIGINT/SIGTERM, then finish in-flight requests and stop."""
    host, port = app.settings.server.host, app.settings.server.port
    if app.settings.web.demo_mode and not app.settings.demo_mode:
        log.warning("web.demo_mode ignored: %s is not a loopback address; tokens required", host)
    mode = "demo mode, no token needed" if app.settings.demo_mode else "tokens required"
    log.info("serving on http://%s:%s (web chat: %s)", host, port, mode)
    # run_app turns SIGTERM into a graceful exit: stop accepting, drain, run on_cleanup.
    web.run_app(
        build_web_app(app), host=host, port=port, print=None,
        shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
    )
    log.info("server stopped")
