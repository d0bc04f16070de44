"""Repository for tickets, their events and attachments."""

from __future__ import annotations

from sqlalchemy.orm import Session


class TicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
