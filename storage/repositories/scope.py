"""Scope: what one console user may see — a company (and its buildings), or a district/street.

One idea for every console query: repositories take a Scope and filter by it, use cases
check single rows with `holds_*`. Anything outside the scope does not exist for that user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, false, select

from storage.models import Building, Community


@dataclass(frozen=True)
class Scope:
    """A company (optionally narrowed to some buildings), or a district (optionally a street)."""

    company_id: int | None = None
    building_ids: frozenset[int] = field(default_factory=frozenset)  # empty: all of the company
    district: str = ""
    street: str = ""

    @property
    def is_company(self) -> bool:
        return self.company_id is not None

    def communities(self) -> ColumnElement[bool]:
        """A WHERE clause on Community: the communities this scope may see."""
        if self.company_id is not None:
            return Community.company_id == self.company_id
        if self.district:
            clause = Community.district == self.district
            return and_(clause, Community.street == self.street) if self.street else clause
        return false()  # an account with no scope sees nothing

    def buildings(self) -> ColumnElement[bool]:
        """A WHERE clause on Building: the buildings this scope may see."""
        in_communities = Building.community_id.in_(select(Community.id).where(self.communities()))
        if self.building_ids:
            return and_(in_communities, Building.id.in_(sorted(self.building_ids)))
        return in_communities

    def holds_company(self, company_id: int | None) -> bool:
        """True when a row of company `company_id` is inside this (company) scope."""
        return self.company_id is not None and company_id == self.company_id

    def holds_community(self, community: Community) -> bool:
        """True when the community is inside the scope (regulators: by district/street)."""
        if self.company_id is not None:
            return community.company_id == self.company_id
        if not self.district or community.district != self.district:
            return False
        return not self.street or community.street == self.street

    def holds_building(self, building_id: int | None, community: Community) -> bool:
        """True when the building (None: a community-wide row) is inside the scope."""
        if not self.holds_community(community):
            return False
        # Staff limited to some buildings still see community-wide rows (a lobby, a notice).
        if not self.building_ids or building_id is None:
            return True
        return building_id in self.building_ids

