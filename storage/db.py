"""Engines and sessions from a database URL; the project picks the drivers."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

CONNECT_TIMEOUT_SECONDS = 5
POOL_TIMEOUT_SECONDS = 10


def normalise_url(url: str) -> str:
    """Plain `postgresql://` and `postgres://` URLs use psycopg 3; `sqlite:///PATH` stays."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and a busy timeout."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A database that does not answer must fail a request, not hang it: connecting waits
    # CONNECT_TIMEOUT_SECONDS, a pooled connection waits POOL_TIMEOUT_SECONDS.
    return create_engine(
        url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10,
        pool_timeout=POOL_TIMEOUT_SECONDS, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on `engine` whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
