"""Repository for companies, communities, buildings, homes, staff."""

from __future__ import annotations

from sqlalchemy.orm import Session


class OrgRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
