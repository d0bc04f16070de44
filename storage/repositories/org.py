"""Repository for companies, communities, buildings, homes, staff."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Building, Community, Company, Home, Staff


def split_label(label: str) -> tuple[str, str, str] | None:
    """`3-2-501` → ("3", "2", "501"); `12-1102` → ("12", "", "1102"); anything else → None."""
    parts = [p.strip() for p in label.strip().split("-")]
    if len(parts) == 3 and all(parts):
        return parts[0], parts[1], parts[2]
    if len(parts) == 2 and all(parts):
        return parts[0], "", parts[1]
    return None


class OrgRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def company(self, company_id: int) -> Company | None:
        """One company by id."""
        return self.session.get(Company, company_id)

    def community(self, community_id: int) -> Community | None:
        """One community by id."""
        return self.session.get(Community, community_id)

    def community_by_name(self, name: str) -> Community | None:
        """The community called `name` exactly."""
        stmt = select(Community).where(Community.name == name)
        return self.session.scalars(stmt).one_or_none()

    def communities(self) -> list[Community]:
        """Every community, by id."""
        return list(self.session.scalars(select(Community).order_by(Community.id)))

    def building(self, building_id: int) -> Building | None:
        """One building by id."""
        return self.session.get(Building, building_id)

    def home(self, home_id: int) -> Home | None:
        """One home by id."""
        return self.session.get(Home, home_id)

    def community_of(self, home: Home) -> Community:
        """The community a home is in."""
        return home.building.community

    def homes_by_label(self, label: str, community_id: int | None = None) -> list[Home]:
        """Homes whose label is `label` (`3-2-501`), in one community or in any."""
        parts = split_label(label)
        if parts is None:
            return []
        building, unit, room = parts
        stmt = (
            select(Home)
            .join(Building, Building.id == Home.building_id)
            .where(Building.name == building, Home.unit == unit, Home.room == room)
        )
        if community_id is not None:
            stmt = stmt.where(Building.community_id == community_id)
        return list(self.session.scalars(stmt.order_by(Home.id)))

    def homes_in_community(self, community_id: int) -> list[Home]:
        """Every home of a community, by building, unit and room."""
        stmt = (
            select(Home)
            .join(Building, Building.id == Home.building_id)
            .where(Building.community_id == community_id)
            .order_by(Building.id, Home.unit, Home.room)
        )
        return list(self.session.scalars(stmt))

    def staff(self, staff_id: int) -> Staff | None:
        """One staff member by id."""
        return self.session.get(Staff, staff_id)

    def staff_by_role(self, company_id: int, role: str) -> list[Staff]:
        """Active staff of a company with one role, on-duty first."""
        stmt = select(Staff).where(
            Staff.company_id == company_id, Staff.role == role, Staff.active.is_(True)
        )
        staff = list(self.session.scalars(stmt.order_by(Staff.id)))
        return sorted(staff, key=lambda s: not s.on_duty)
