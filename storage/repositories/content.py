"""Repository for notices, FAQ, policies."""

from __future__ import annotations

from sqlalchemy.orm import Session


class ContentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
