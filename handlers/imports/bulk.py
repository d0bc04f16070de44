"""Bulk writes for imports: executemany INSERTs and primary-key UPDATEs in chunks.

Why not `ON CONFLICT`: every import first loads the natural keys it will touch into dicts
(it must, to validate rows against the database), so it already knows which rows are new.
Splitting into plain INSERT and UPDATE-by-id batches is then the same work on SQLite and
PostgreSQL, with no dialect branches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from handlers.texts import t
from storage.models import Base
from storage.uow import UnitOfWork

CHUNK = 5000  # rows per executemany batch: big enough to be fast, small enough for memory
KEY_CHUNK = 500  # values per IN (...) when loading keys, under every backend's limit
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices of `size`."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def insert_many(
    session: Session, model: type[Base], rows: list[dict[str, Any]],
    advance: Callable[[int], None] | None = None,
) -> None:
    """INSERT `rows` (dicts with the same keys) in batches."""
    session.flush()  # ORM objects added earlier must exist before their children
    table = model.__table__
    for batch in chunks(rows):
        session.execute(insert(table), list(batch))
        if advance:
            advance(len(batch))


def update_many(
    session: Session, model: type[Base], rows: list[dict[str, Any]],
    advance: Callable[[int], None] | None = None,
) -> None:
    """UPDATE by primary key: each dict holds `id` and the columns to set (same keys)."""
    session.flush()
    for batch in chunks(rows):
        session.execute(update(model), list(batch))
        if advance:
            advance(len(batch))


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # differed from the file but left alone (bills already paid)


@dataclass
class ImportSummary:
    """What one import did, entity by entity, in the order it wrote them."""

    kind: str
    rows: int
    counts: dict[str, Counts] = field(default_factory=dict)

    def count(self, entity: str) -> Counts:
        return self.counts.setdefault(entity, Counts())

    def lines(self, locale: str = "zh") -> list[str]:
        """A heading and one line per entity, for the CLI."""
        out = [t("import_done", locale, kind=t(f"import_kind_{self.kind}", locale), rows=self.rows)]
        for entity, c in self.counts.items():
            out.append(t("import_count_line", locale, entity=t(f"import_entity_{entity}", locale),
                         created=c.created, updated=c.updated, unchanged=c.unchanged))
            if c.kept:
                out.append(t("import_kept_paid", locale, count=c.kept))
        return out

    def audit(self, uow: UnitOfWork, now: datetime, actor: str, target: str) -> None:
        """One audit row for the whole import (counts only: no names, no phones)."""
        detail = {entity: vars(c) for entity, c in self.counts.items()} | {"rows": self.rows}
        uow.audit.record(now, actor, f"import_{self.kind}", target, detail)


def changed(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether any column in `new` differs from the stored `old`."""
    return any(old.get(key) != value for key, value in new.items())


def grouped(values: Iterable[T]) -> list[T]:
    """Distinct values in first-seen order."""
    return list(dict.fromkeys(values))
