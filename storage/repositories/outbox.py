"""Repository for outbox rows (pushes)."""

from __future__ import annotations

from sqlalchemy.orm import Session


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
