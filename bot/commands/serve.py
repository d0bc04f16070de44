"""`serve`: migrate the database, then run the HTTP server (web chat, webhooks).

A busy port or a database that does not answer stops it with one line on stderr (exit 1),
not a traceback: they are the two things an operator gets wrong at start.
"""

from __future__ import annotations

import argparse
import errno
import logging
import socket
import sys

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from bot.app import App, upgrade_db
from bot.config import Settings
from bot.http import run_server
from handlers.owners import offline

log = logging.getLogger(__name__)

EXIT_STARTUP = 1


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


def port_problem(host: str, port: int) -> str | None:
    """Why `host:port` cannot be listened on right now, as one line; None when it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds
        try:
            probe.bind((host, port))
        except OSError as err:
            return _port_message(host, port, err)
    return None


def _port_message(host: str, port: int, err: OSError) -> str:
    if err.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} is already in use (is another `serve` running?); "
                f"pick another with --port or WUYE_SERVER__PORT")
    if err.errno == errno.EACCES:
        return f"no permission to listen on port {port} (ports below 1024 need root)"
    return f"cannot listen on {host}:{port}: {err.strerror or err}"


def database_problem(settings: Settings) -> str | None:
    """Migrate; when the database cannot be reached or used, why, as one line."""
    try:
        upgrade_db(settings)
    except (OperationalError, DBAPIError, ArgumentError) as err:
        return f"cannot use the database {_safe_url(settings.database.url)}: {_first_line(err)}"
    return None


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparsable database.url)"


def _first_line(err: Exception) -> str:
    cause = getattr(err, "orig", None) or err
    lines = [ln.strip() for ln in str(cause).splitlines() if ln.strip()]
    return lines[0] if lines else type(cause).__name__


def _serve(args: argparse.Namespace, app: App) -> int:
    server = app.settings.server
    problem = port_problem(server.host, server.port) or database_problem(app.settings)
    if problem is not None:
        print(f"wuye: {problem}", file=sys.stderr)
        return EXIT_STARTUP
    replayed = offline.replay(app.deps)  # reports spooled while the database was down
    if replayed:
        log.info("spool: %d report(s) from while the database was down are tickets now", replayed)
    try:
        run_server(app)
    except OSError as err:  # the port was taken between the check and the bind
        print(f"wuye: {_port_message(server.host, server.port, err)}", file=sys.stderr)
        return EXIT_STARTUP
    return 0
