"""Who acts in operations and books: a console user's Actor, or the CLI operator.

Operations use cases take any actor with `audit_name`, `can(permission)` and `scope`
(the console's `handlers.office.access.Actor` has all three); the CLI acts as OPERATOR,
who may do everything everywhere. Permissions are the console's one table
(handlers/office/permissions.py). A community or person named in a request that is not
in the actor's scope is Invalid (400), exactly like one that does not exist; a resource
named by its id in the path (a task, a staff member) is NotFound (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from handlers.errors import Forbidden, Invalid
from handlers.office.permissions import PERMISSIONS, roles_with
from storage.models import Community, Staff
from storage.uow import UnitOfWork


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
        return self.role == "admin" or self.role in roles_with(permission)


OPERATOR = Operator()


def staff_actor(staff: Staff) -> Operator:
    """A staff member acting from their phone, within their company."""
    return Operator(f"staff:{staff.id}", staff.role, CompanyScope(staff.company_id))


def require(actor: OpsActor, permission: str) -> None:
    """Forbidden unless the actor's role holds `permission`."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if not actor.can(permission):
        raise Forbidden("ops_forbidden")


def community_for(uow: UnitOfWork, actor: OpsActor, ref: str | int) -> Community:
    """A community by id or exact name, inside the actor's scope; Invalid otherwise."""
    community = None
    text = str(ref).strip()
    if text.isdigit():
        community = uow.org.community(int(text))
    if community is None and text:
        community = uow.org.community_by_name(text)
    if community is None or not actor.scope.holds_community(community):
        raise Invalid("ops_no_community", name=text)
    return community


def staff_in(uow: UnitOfWork, community: Community, phone_or_id: str | int) -> Staff:
    """Active staff of the community's company by phone or id; Invalid otherwise."""
    text = str(phone_or_id).strip()
    found = [s for s in uow.operations.staff_by_phone(text) if s.company_id == community.company_id]
    if not found and text.isdigit() and len(text) < 11:
        member = uow.org.staff(int(text))
        found = [member] if member is not None and member.company_id == community.company_id else []
    if not found or not found[0].active:
        raise Invalid("ops_no_staff", who=text)
    return found[0]
