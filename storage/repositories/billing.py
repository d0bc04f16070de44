"""Repository for bills, payments, refunds, contracts, maintenance fund."""

from __future__ import annotations

from sqlalchemy.orm import Session


class BillingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
