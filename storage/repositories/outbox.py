"""Repository for outbox rows (pushes): written with the change that causes them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import OutboxMessage


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, message: OutboxMessage) -> OutboxMessage:
        """Queue one push (flushed, so a second push with its dedupe key sees it)."""
        self.session.add(message)
        self.session.flush()
        return message

    def has_dedupe_key(self, key: str) -> bool:
        """Whether a push with this dedupe key was already queued (in any state)."""
        stmt = select(func.count(OutboxMessage.id)).where(OutboxMessage.dedupe_key == key)
        return bool(self.session.scalar(stmt))

    def for_identity(self, identity_id: int, kind: str | None = None) -> list[OutboxMessage]:
        """The pushes queued for one chat account, oldest first, optionally of one kind."""
        stmt = select(OutboxMessage).where(OutboxMessage.identity_id == identity_id)
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return list(self.session.scalars(stmt.order_by(OutboxMessage.id)))

    def pending(self, limit: int = 100) -> list[OutboxMessage]:
        """Pending pushes in the order they were queued."""
        stmt = select(OutboxMessage).where(OutboxMessage.status == "pending")
        return list(self.session.scalars(stmt.order_by(OutboxMessage.id).limit(limit)))

    def count(self, kind: str | None = None) -> int:
        """How many pushes exist, optionally of one kind."""
        stmt = select(func.count(OutboxMessage.id))
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return int(self.session.scalar(stmt) or 0)
