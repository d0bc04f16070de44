"""Repository for audit log (masked details)."""

from __future__ import annotations

from sqlalchemy.orm import Session


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
