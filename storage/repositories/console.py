"""Repository for console accounts (conversations live in conversations.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Building, Community, Company, ConsoleAccount, Staff

NO_BUILDING = 0  # an id no building has: a staff limited to buildings that no longer exist


class ConsoleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def account(self, account_id: int) -> ConsoleAccount | None:
        """One account by id."""
        return self.session.get(ConsoleAccount, account_id)

    def account_by_phone(self, phone: str) -> ConsoleAccount | None:
        """The account whose login is `phone`."""
        return self.session.scalars(
            select(ConsoleAccount).where(ConsoleAccount.phone == phone)
        ).one_or_none()

    def add_account(self, account: ConsoleAccount) -> ConsoleAccount:
        """Insert a new account."""
        self.session.add(account)
        self.session.flush()
        return account

    def staff_by_phone(self, phone: str, company: str | None = None) -> list[Staff]:
        """Staff records with this phone (one per company), optionally of the company named."""
        stmt = select(Staff).join(Company, Company.id == Staff.company_id).where(Staff.phone == phone)
        if company:
            stmt = stmt.where(Company.name == company)
        return list(self.session.scalars(stmt.order_by(Staff.id)))

    def building_ids(self, company_id: int, raw: str) -> set[int]:
        """Staff.buildings (`望京花园/3, 12`) → building ids of the company; empty raw: empty set.

        A list that names nothing that exists gives {NO_BUILDING}, never "everything".
        """
        words = {w.strip() for w in raw.replace("，", ",").split(",") if w.strip()}
        if not words:
            return set()
        rows = self.session.execute(
            select(Building.id, Building.name, Community.name)
            .join(Community, Community.id == Building.community_id)
            .where(Community.company_id == company_id)
        ).all()
        found = {bid for bid, name, community in rows
                 if name in words or f"{community}/{name}" in words}
        return found or {NO_BUILDING}
