"""Alembic's head builds exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool

from storage import migrate
from storage.db import normalise_url
from storage.models import Base
from tests.storage.backends import fresh_pg_schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    with fresh_pg_schema() as url:
        yield url


def schema_diffs(url: str) -> list[object]:
    """What Alembic would autogenerate to bring the database at `url` to the models."""
    engine = create_engine(normalise_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = create_engine(normalise_url(url), poolclass=pool.NullPool)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_builds_the_models_schema_and_twice_is_a_no_op(empty_db: str) -> None:
    assert migrate.current(empty_db) is None
    migrate.upgrade(empty_db)
    assert migrate.current(empty_db) == migrate.head()
    assert table_names(empty_db) == set(Base.metadata.tables) | {"alembic_version"}
    assert schema_diffs(empty_db) == []

    migrate.upgrade(empty_db)  # already at head: nothing to run, nothing fails
    assert migrate.current(empty_db) == migrate.head()
    assert table_names(empty_db) == set(Base.metadata.tables) | {"alembic_version"}


def test_downgrade_to_base_and_back(empty_db: str) -> None:
    migrate.upgrade(empty_db)
    migrate.downgrade(empty_db, "base")
    assert table_names(empty_db) == {"alembic_version"}
    assert migrate.current(empty_db) is None
    migrate.upgrade(empty_db)
    assert table_names(empty_db) == set(Base.metadata.tables) | {"alembic_version"}


def test_migrations_import_nothing_of_ours() -> None:
    # A migration must stay valid when the models change, so it may only use plain sa types.
    for script in (migrate.MIGRATIONS / "versions").glob("*.py"):
        tree = ast.parse(script.read_text(encoding="utf-8"))
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module or "" for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)}
        assert imported <= {"typing", "alembic", "sqlalchemy"}, (script.name, imported)


def test_concurrent_upgrades_migrate_once(empty_db: str) -> None:
    """Replicas starting together: on PostgreSQL an advisory lock serialises them; each ends at head."""
    import subprocess
    import sys

    if empty_db.startswith("sqlite"):
        pytest.skip("one process migrates SQLite; the advisory lock is PostgreSQL's")
    # Separate processes, as replicas are (Alembic's context is not thread-safe anyway).
    code = "import sys; from storage import migrate; migrate.upgrade(sys.argv[1])"
    procs = [subprocess.Popen([sys.executable, "-c", code, empty_db]) for _ in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    assert migrate.current(empty_db) == migrate.head()
    assert schema_diffs(empty_db) == []
