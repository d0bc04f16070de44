"""Alembic environment: the models' metadata, the URL from `-x url=` or WUYE_DATABASE__URL.

storage/migrate.py passes the URL in `config.attributes`, so the app migrates without a
config file and without touching the process's logging.
"""

from __future__ import annotations

import logging.config
import os
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, Engine, create_engine, event, pool

from storage.db import normalise_url
from storage.models import Base
from storage.models.base import AwareDateTime

config = context.config
if config.config_file_name is not None:  # the CLI; storage/migrate.py passes no file
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


def configure(
    connection: Connection | None = None, url: str | None = None, transactional: bool | None = None
) -> None:
    """The options shared by online and offline runs (`transactional`: None = dialect's own)."""
    dialect = connection.dialect.name if connection is not None else (url or "").split(":")[0]
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode recreates the table instead.
        render_as_batch=dialect.startswith("sqlite"),
        render_item=render_item,
        compare_type=True,
        transactional_ddl=transactional,
        literal_binds=connection is None,
    )


def run_offline() -> None:
    """Emit SQL to stdout (`alembic upgrade head --sql`)."""
    configure(url=database_url())
    with context.begin_transaction():
        context.run_migrations()


MIGRATION_LOCK_ID = 0x77757965  # "wuye": the advisory lock every migrating process takes


def run_online() -> None:
    """Migrate through a fresh connection, without the app's pragmas.

    Why not storage.db.make_engine: it turns SQLite foreign keys on, and batch mode's
    drop-and-recreate of a referenced table must run with them off.
    """
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    transactional = None
    if engine.dialect.name == "sqlite":
        sqlite_transactions(engine)
        transactional = True  # a failed SQLite migration now rolls back whole, as on PostgreSQL
    try:
        with engine.connect() as connection:
            configure(connection=connection, transactional=transactional)
            with context.begin_transaction():
                if engine.dialect.name == "postgresql":
                    # Several `serve` replicas start at once: one migrates, the others wait
                    # here and then find the schema at head. Released at commit.
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
                context.run_migrations()
    finally:
        engine.dispose()


def sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, open transactions, so DDL is transactional.

    The sqlite3 module only opens a transaction before DML, so each CREATE TABLE would
    commit on its own (one fsync each, and half a schema after a failure). This is
    SQLAlchemy's documented recipe ("Serializable isolation / Savepoints / Transactional DDL").
    """

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


if context.is_offline_mode():
    run_offline()
else:
    run_online()
