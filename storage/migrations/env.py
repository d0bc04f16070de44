"""Alembic environment: the models' metadata, the URL from `-x url=` or WUYE_DATABASE__URL.

storage/migrate.py passes the URL (or an open connection) in `config.attributes`, so the
app migrates without a config file and without touching the process's logging.
"""

from __future__ import annotations

import logging.config
import os
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, create_engine, pool

from storage.db import normalise_url
from storage.models import Base
from storage.models.base import AwareDateTime

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def database_url() -> str:
    """`-x url=` beats the URL storage/migrate.py passed, which beats WUYE_DATABASE__URL."""
    url = (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.attributes.get("url")
        or os.environ.get("WUYE_DATABASE__URL", "")
    )
    if not url:
        raise SystemExit("no database URL: pass `-x url=...` or set WUYE_DATABASE__URL")
    return normalise_url(url)


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render our column types as plain SQLAlchemy so migrations never import storage.models."""
    if type_ == "type" and isinstance(obj, AwareDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure(connection: Connection | None = None, url: str | None = None) -> None:
    """The options shared by online and offline runs."""
    dialect = connection.dialect.name if connection is not None else (url or "").split(":")[0]
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode recreates the table instead.
        render_as_batch=dialect.startswith("sqlite"),
        render_item=render_item,
        compare_type=True,
        literal_binds=connection is None,
    )


def run_offline() -> None:
    """Emit SQL to stdout (`alembic upgrade head --sql`)."""
    configure(url=database_url())
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate through a connection: the caller's, or a fresh one without the app's pragmas.

    Why not storage.db.make_engine: it turns SQLite foreign keys on, and batch mode's
    drop-and-recreate of a referenced table must run with them off.
    """
    given = config.attributes.get("connection")
    if given is not None:
        configure(connection=given)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            configure(connection=connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
