"""Who acts in operations and books: a console user's Actor, or the CLI operator.

Operations use cases take any actor with `audit_name`, `can(permission)` and `scope`
(the console's `handlers.office.access.Actor` has all three); the CLI acts as OPERATOR,
who may do everything everywhere. Another company's row is NotFound, never Forbidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from handlers.errors import Forbidden, NotFound
from storage.models import Community, Staff
from storage.uow import UnitOfWork

# permission → roles holding it; mirrored into the console's role table (README "Console").
OPS_PERMISSIONS: dict[str, tuple[str, frozenset[str]]] = {
    "plans.write": ("create and change service plans", frozenset({"admin", "manager"})),
    "tasks.read": ("see service tasks and completion rates",
                   frozenset({"admin", "manager", "front_desk", "cleaning", "security", "repair"})),
    "rota.write": ("set the duty rota", frozenset({"admin", "manager"})),
    "rota.read": ("see the duty rota", frozenset({"admin", "manager", "front_desk"})),
    "staff.lifecycle": ("staff joining, moving and leaving", frozenset({"admin", "manager"})),
    "books.write": ("record and import expenses, the fund ledger and approvals",
                    frozenset({"admin", "manager", "finance"})),
    "books.read": ("see the books and monthly finance reports", frozenset({"admin", "manager", "finance"})),
}


class HasScope(Protocol):
    def holds_community(self, community: Community) -> bool: ...


class OpsActor(Protocol):
    @property
    def audit_name(self) -> str: ...

    @property
    def scope(self) -> HasScope: ...

    def can(self, permission: str) -> bool: ...


@dataclass(frozen=True)
class _Everywhere:
    def holds_community(self, community: Community) -> bool:
        return True


@dataclass(frozen=True)
class CompanyScope:
    """One company's communities (the console's Scope narrows further; this is enough here)."""

    company_id: int

    def holds_community(self, community: Community) -> bool:
        return community.company_id == self.company_id


@dataclass(frozen=True)
class Operator:
    """The CLI operator (or a staff member acting from chat): `name` in the audit log."""

    name: str = "cli"
    role: str = "admin"
    scope: HasScope = _Everywhere()

    @property
    def audit_name(self) -> str:
        return self.name

    def can(self, permission: str) -> bool:
        return self.role in OPS_PERMISSIONS[permission][1] or self.role == "admin"


OPERATOR = Operator()


def staff_actor(staff: Staff) -> Operator:
    """A staff member acting from their phone, within their company."""
    return Operator(f"staff:{staff.id}", staff.role, CompanyScope(staff.company_id))


def require(actor: OpsActor, permission: str) -> None:
    """Forbidden unless the actor's role holds `permission`."""
    if permission not in OPS_PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if not actor.can(permission):
        raise Forbidden("ops_forbidden")


def community_for(uow: UnitOfWork, actor: OpsActor, ref: str | int) -> Community:
    """A community by id or exact name, inside the actor's scope; NotFound otherwise."""
    community = None
    text = str(ref).strip()
    if text.isdigit():
        community = uow.org.community(int(text))
    if community is None and text:
        community = uow.org.community_by_name(text)
    if community is None or not actor.scope.holds_community(community):
        raise NotFound("ops_no_community", name=text)
    return community


def staff_in(uow: UnitOfWork, community: Community, phone_or_id: str | int) -> Staff:
    """Active staff of the community's company by phone or id; NotFound otherwise."""
    text = str(phone_or_id).strip()
    found = [s for s in uow.operations.staff_by_phone(text) if s.company_id == community.company_id]
    if not found and text.isdigit() and len(text) < 11:
        member = uow.org.staff(int(text))
        found = [member] if member is not None and member.company_id == community.company_id else []
    if not found or not found[0].active:
        raise NotFound("ops_no_staff", who=text)
    return found[0]
