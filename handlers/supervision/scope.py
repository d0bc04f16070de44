"""A regulator's scope: its district, and its street office when it is one.

Every supervision use case takes a scope and checks it here, not in the HTTP handler: a
case, company or community outside it is reported as not found (never "forbidden").
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.errors import NotFound
from storage.models import Community, Regulator, SupervisedCase
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class RegulatorScope:
    """District (required for a regulator) and street; `regulator_id` for records and audit."""

    district: str
    street: str = ""
    regulator_id: int | None = None
    name: str = ""

    def covers(self, community: Community | None) -> bool:
        """Whether the community lies in this scope."""
        if community is None or community.district != self.district:
            return False
        return not self.street or community.street == self.street

    @property
    def label(self) -> str:
        """`朝阳区劲松街道` or `朝阳区`."""
        return f"{self.district}{self.street}"


def scope_of(regulator: Regulator) -> RegulatorScope:
    """The scope of a regulator account."""
    return RegulatorScope(regulator.district, regulator.street, regulator.id, regulator.name)


def communities(uow: UnitOfWork, scope: RegulatorScope) -> list[Community]:
    """The communities a scope covers."""
    if not scope.district:
        return []
    return uow.supervision.communities(scope.district, scope.street)


def company_ids(uow: UnitOfWork, scope: RegulatorScope) -> set[int]:
    """Companies serving at least one community of the scope."""
    return {c.company_id for c in communities(uow, scope) if c.company_id is not None}


def require_case(uow: UnitOfWork, scope: RegulatorScope, case_id: int) -> SupervisedCase:
    """The case if it lies in scope, else NotFound (as if it did not exist)."""
    found = uow.supervision.case(case_id)
    if found is None or not scope.covers(uow.org.community(found.community_id)):
        raise NotFound("supervision_case_not_found", case=case_id)
    return found
