"""`serve`: migrate the database, then run the HTTP server (web chat, webhooks)."""

from __future__ import annotations

import argparse
import logging

from bot.app import App, upgrade_db
from bot.config import Settings
from bot.http import run_server
from handlers.owners import offline

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `serve`."""
    serve = subparsers.add_parser("serve", help="run the HTTP server (upgrades the database first)")
    serve.add_argument("--host", help="listen address (default: server.host)")
    serve.add_argument("--port", type=int, help="listen port (default: server.port)")
    serve.set_defaults(func=_serve, adjust=_adjust)


def _adjust(args: argparse.Namespace, settings: Settings) -> Settings:
    """Command-line --host/--port win over the file and the environment."""
    server = settings.server.model_copy(
        update={k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    )
    return settings.model_copy(update={"server": server})


def _serve(args: argparse.Namespace, app: App) -> int:
    upgrade_db(app.settings)
    replayed = offline.replay(app.deps)  # reports spooled while the database was down
    if replayed:
        log.info("spool: %d report(s) from while the database was down are tickets now", replayed)
    run_server(app)
    return 0
