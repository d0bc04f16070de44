"""Repository for channel identities, owners, homes membership, invite codes."""

from __future__ import annotations

from sqlalchemy.orm import Session


class IdentityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
