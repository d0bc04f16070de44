"""Repository for handled turns: claim a turn's key in its own transaction, read a saved answer."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models.turns import HandledTurn

MAX_KEY_CHARS = 200


class TurnRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, key: str, identity_id: int, now: datetime) -> HandledTurn | None:
        """Insert the turn's row now (a concurrent twin waits, then fails); None when it exists.

        Runs in a savepoint so a duplicate leaves the caller's transaction usable.
        """
        row = HandledTurn(key=key[:MAX_KEY_CHARS], identity_id=identity_id, created_at=now)
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return None
        return row

    def replies(self, key: str) -> list[dict[str, Any]] | None:
        """The saved replies of a handled turn, or None when there is none."""
        raw = self.session.scalar(select(HandledTurn.replies).where(HandledTurn.key == key[:MAX_KEY_CHARS]))
        if raw is None:
            return None
        data = json.loads(raw) if raw else []
        return data if isinstance(data, list) else []

    def purge(self, before: datetime) -> int:
        """Forget turns older than `before` (redeliveries come within a day)."""
        result = self.session.execute(delete(HandledTurn).where(HandledTurn.created_at < before))
        return int(result.rowcount)  # type: ignore[attr-defined]
