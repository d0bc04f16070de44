"""`db upgrade`: migrate the database to the newest schema."""

from __future__ import annotations

import argparse
import logging

from bot.app import App, upgrade_db
from storage.db import normalise_url

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `db` and its subcommands."""
    db = subparsers.add_parser("db", help="database schema")
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="migrate to the newest schema (idempotent)")
    upgrade.set_defaults(func=_upgrade)


def _upgrade(args: argparse.Namespace, app: App) -> int:
    upgrade_db(app.settings)
    log.info("database at head: %s", _safe_url(app.settings.database.url))
    return 0


def _safe_url(url: str) -> str:
    """The URL without its password, for the log."""
    from sqlalchemy.engine import make_url

    return make_url(normalise_url(url)).render_as_string(hide_password=True)
