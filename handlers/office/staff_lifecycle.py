"""Staff joining, moving and leaving a company's communities; every step in the audit log.

Leaving takes effect at once: the person is inactive, their chat accounts are unbound,
their console access is revoked, they are off the rota, and their open tickets and
service tasks go to the manager on duty of each community.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

import handlers.texts.operations  # noqa: F401 - registers the texts used here
from handlers import notify, tickets_core
from handlers.errors import Invalid, NotFound
from handlers.imports import vocab
from handlers.office import rota
from handlers.office.ops_access import OpsActor, community_for, require
from handlers.staff_tasks import core as tasks
from handlers.util import mask_phones
from storage.models import OPEN_STATUSES, ConsoleAccount, Staff, Ticket
from storage.uow import UnitOfWork


@dataclass
class LeaveReport:
    """What leaving changed, for the operator's terminal and the audit log."""

    staff_id: int
    name: str
    chat_accounts: int = 0
    console_accounts: int = 0
    shifts: int = 0
    tickets: list[str] = field(default_factory=list)
    tasks: list[int] = field(default_factory=list)


def join_staff(uow: UnitOfWork, actor: OpsActor, community_ref: str, name: str, phone: str,
               role: str, now: datetime) -> Staff:
    """A new staff member of the community's company (or a returning one, reactivated)."""
    require(actor, "staff.lifecycle")
    community = community_for(uow, actor, community_ref)
    code = vocab.role(role.strip())
    if code is None:
        raise Invalid("plan_bad_role", role=role)
    if not name.strip() or not phone.strip():
        raise Invalid("staff_needs_name_phone")
    found = [s for s in uow.operations.staff_by_phone(phone.strip()) if s.company_id == community.company_id]
    member = found[0] if found else Staff(company_id=community.company_id, phone=phone.strip(),
                                          name=name.strip(), role=code, categories="", buildings="")
    if found and member.active:
        raise Invalid("staff_already_active", name=member.name)
    member.name, member.role, member.active, member.on_duty = name.strip(), code, True, True
    uow.session.add(member)
    uow.session.flush()
    uow.audit.record(now, actor.audit_name, "staff_joined", f"staff:{member.id}",
                     {"name": member.name, "phone": member.phone, "role": code, "returning": bool(found)})
    return member


def move_staff(uow: UnitOfWork, actor: OpsActor, community_ref: str, phone: str, now: datetime, *,
               role: str | None = None, buildings: str | None = None) -> Staff:
    """Change someone's role or buildings; a new role takes them off the old role's rota."""
    require(actor, "staff.lifecycle")
    community = community_for(uow, actor, community_ref)
    member = _member(uow, community.company_id, phone)
    before = {"role": member.role, "buildings": member.buildings}
    if role is not None:
        code = vocab.role(role.strip())
        if code is None:
            raise Invalid("plan_bad_role", role=role)
        if code != member.role:
            rota.remove_future_shifts(uow, member.id, now)
        member.role = code
    if buildings is not None:
        member.buildings = ",".join(f"{community.name}/{vocab.building_name(b.strip())}"
                                    for b in buildings.split(",") if b.strip())
    uow.audit.record(now, actor.audit_name, "staff_moved", f"staff:{member.id}",
                     {"before": before, "after": {"role": member.role, "buildings": member.buildings}})
    return member


def leave_staff(uow: UnitOfWork, actor: OpsActor, phone: str, now: datetime, *,
                company_id: int | None = None) -> LeaveReport:
    """Someone leaves: inactive, unbound, console revoked, off the rota, work handed over."""
    require(actor, "staff.lifecycle")
    member = _leaver(uow, actor, phone, company_id)
    report = LeaveReport(member.id, member.name)
    member.active, member.on_duty = False, False
    for identity in uow.identities.for_staff(member.id):
        identity.staff_id = None
        identity.verified = identity.owner_id is not None and identity.verified
        report.chat_accounts += 1
    report.console_accounts = revoke_console(uow, member)
    report.shifts = rota.remove_future_shifts(uow, member.id, now)
    report.tickets = _hand_over_tickets(uow, member, actor.audit_name, now)
    report.tasks = _hand_over_tasks(uow, member, now)
    uow.audit.record(now, actor.audit_name, "staff_left", f"staff:{member.id}", {
        "name": member.name, "phone": mask_phones(member.phone), "chat_accounts": report.chat_accounts,
        "console_accounts": report.console_accounts, "shifts": report.shifts,
        "tickets": report.tickets, "tasks": report.tasks,
    })
    return report


def leave_staff_by_id(uow: UnitOfWork, actor: OpsActor, staff_id: int, now: datetime) -> LeaveReport:
    """The console's form of leave_staff: the person by id; another company's is NotFound."""
    member = uow.org.staff(staff_id)
    if member is None or not member.active or not any(
            actor.scope.holds_community(c) for c in uow.operations.communities_of_company(member.company_id)):
        raise NotFound("ops_no_staff", who=staff_id)
    return leave_staff(uow, actor, member.phone, now, company_id=member.company_id)


def revoke_console(uow: UnitOfWork, member: Staff) -> int:
    """Close the leaver's console accounts; their sessions die on the next request
    (handlers.office.access.actor_for_account refuses inactive accounts and staff)."""
    accounts = uow.session.scalars(select(ConsoleAccount).where(ConsoleAccount.staff_id == member.id,
                                                                 ConsoleAccount.active.is_(True))).all()
    for account in accounts:
        account.active = False
    return len(accounts)


def _leaver(uow: UnitOfWork, actor: OpsActor, phone: str, company_id: int | None) -> Staff:
    """The active staff member with this phone inside the actor's scope (one company)."""
    found = [s for s in uow.operations.staff_by_phone(phone.strip()) if s.active
             and (company_id is None or s.company_id == company_id)
             and any(actor.scope.holds_community(c) for c in uow.operations.communities_of_company(s.company_id))]
    if not found:
        raise NotFound("ops_no_staff", who=mask_phones(phone))
    if len(found) > 1:
        raise Invalid("staff_many_companies", who=mask_phones(phone))
    return found[0]


def _member(uow: UnitOfWork, company_id: int | None, phone: str) -> Staff:
    found = [s for s in uow.operations.staff_by_phone(phone.strip()) if s.company_id == company_id and s.active]
    if not found:
        raise NotFound("ops_no_staff", who=mask_phones(phone))
    return found[0]


def _hand_over_tickets(uow: UnitOfWork, member: Staff, actor: str, now: datetime) -> list[str]:
    """Each open ticket of the leaver goes to the manager on duty of its community."""
    moved = []
    for ticket in uow.tickets.open_for_staff(member.id, limit=100_000):
        if ticket.status not in OPEN_STATUSES:
            continue
        manager = _manager_for(uow, ticket, member, now)
        note = f"{member.name} 离职交接"
        if manager is None:  # nobody to take it: back in the pool, the escalation job sees it
            ticket.assignee_staff_id, ticket.status = None, "new"
            tickets_core.add_event(uow, ticket, "transferred", actor, note, now)
        else:
            event = tickets_core.transition(uow, ticket, "assigned", actor, note, now,
                                            event_kind="transferred", assignee=manager)
            notify.notify_staff_ticket(uow, ticket, event, now, intro="staff_push_transferred")
        moved.append(ticket.number)
    return moved


def _manager_for(uow: UnitOfWork, ticket: Ticket, leaver: Staff, now: datetime) -> Staff | None:
    people = [s for s in notify.managers(uow, ticket, now) if s.id != leaver.id]
    return people[0] if people else None


def _hand_over_tasks(uow: UnitOfWork, member: Staff, now: datetime) -> list[int]:
    """Each open service task of the leaver goes to the manager on duty, pushed to them."""
    moved = []
    for task in uow.operations.open_tasks_of(member.id):
        managers = [m for m in tasks.managers_on_duty(uow, task.community_id, now) if m.id != member.id]
        task.assignee_staff_id = managers[0].id if managers else None
        tasks.push_task(uow, task, now)
        moved.append(task.id)
    return moved
