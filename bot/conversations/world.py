"""A fresh demo database for each conversation: seeded once per `now`, copied per run.

SQLite: the seeded file is copied (milliseconds). PostgreSQL: the demo is seeded once into a
template schema and each run empties its own schema and copies the template's rows over.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, Integer, text
from sqlalchemy.engine import make_url

from handlers.demo_seed import seed_demo
from storage.db import make_engine, make_session_factory, normalise_url
from storage.models import Base
from storage.uow import UnitOfWork


def _seed(engine: Engine, now: datetime) -> None:
    with UnitOfWork(make_session_factory(engine)) as uow:
        seed_demo(uow, now)
        uow.commit()


class SqliteWorlds:
    """Template files per `now` in a temporary folder; each run gets its own copy."""

    def __init__(self, folder: Path | None = None) -> None:
        self._own = folder is None
        self.folder = folder or Path(tempfile.mkdtemp(prefix="wuye-conversations-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self._templates: dict[str, Path] = {}
        self._count = 0

    def _template(self, now: datetime) -> Path:
        key = now.date().isoformat()  # the seed depends on the day only through its dates
        if key not in self._templates:
            path = self.folder / f"template-{key}-{uuid.uuid4().hex[:6]}.sqlite3"
            engine = make_engine(f"sqlite:///{path}")
            Base.metadata.create_all(engine)
            _seed(engine, now)
            with engine.begin() as conn:  # fold the WAL into the file before copying it
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            engine.dispose()
            self._templates[key] = path
        return self._templates[key]

    @contextmanager
    def world(self, now: datetime) -> Iterator[Engine]:
        """An engine on a fresh copy of the demo seeded for `now`'s day."""
        self._count += 1
        path = self.folder / f"run-{self._count}.sqlite3"
        shutil.copyfile(self._template(now), path)
        engine = make_engine(f"sqlite:///{path}")
        try:
            yield engine
        finally:
            engine.dispose()
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink(missing_ok=True)

    def close(self) -> None:
        """Remove the temporary folder (when this object made it)."""
        if self._own:
            shutil.rmtree(self.folder, ignore_errors=True)


class PostgresWorlds:
    """Template schemas per `now`'s day and one run schema, all dropped by `close()`."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.admin = make_engine(self.url)
        self.tag = uuid.uuid4().hex[:8]
        self._templates: dict[str, str] = {}
        self.run_schema = self._schema("run")
        self.run_engine = make_engine(self._url_for(self.run_schema))
        Base.metadata.create_all(self.run_engine)

    def _schema(self, kind: str) -> str:
        name = f"wuye_conv_{kind}_{self.tag}_{len(self._templates)}"
        with self.admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        return name

    def _url_for(self, schema: str) -> str:
        url = make_url(self.url).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def _template(self, now: datetime) -> str:
        key = now.date().isoformat()
        if key not in self._templates:
            schema = self._schema("tpl")
            engine = make_engine(self._url_for(schema))
            Base.metadata.create_all(engine)
            _seed(engine, now)
            engine.dispose()
            self._templates[key] = schema
        return self._templates[key]

    @contextmanager
    def world(self, now: datetime) -> Iterator[Engine]:
        """The run schema, emptied and refilled from the template of `now`'s day."""
        template = self._template(now)
        tables = Base.metadata.sorted_tables
        run = self.run_schema
        with self.run_engine.begin() as conn:
            names = ", ".join(f'"{run}"."{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            for table in tables:
                conn.execute(text(f'INSERT INTO "{run}"."{table.name}" SELECT * FROM "{template}"."{table.name}"'))
                if "id" in table.c and isinstance(table.c.id.type, Integer):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{run}\".\"{table.name}\"', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM "{run}"."{table.name}"), 0) + 1, false)'))
        yield self.run_engine

    def close(self) -> None:
        """Drop every schema this object made."""
        self.run_engine.dispose()
        with self.admin.begin() as conn:
            for schema in [self.run_schema, *self._templates.values()]:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        self.admin.dispose()


def worlds_for(database_url: str | None) -> SqliteWorlds | PostgresWorlds:
    """PostgreSQL when a URL is given, else SQLite files in a temporary folder."""
    if database_url and not database_url.startswith("sqlite"):
        return PostgresWorlds(database_url)
    return SqliteWorlds()
