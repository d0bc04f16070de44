"""Service plans (the office sets them up) and the day's tasks (the office looks at them)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

import handlers.texts.operations  # noqa: F401 - registers the texts used here
from handlers.errors import Invalid, NotFound
from handlers.imports import vocab
from handlers.office.ops_access import OpsActor, community_for, require, staff_in
from handlers.office.schedules import parse_schedule
from storage.models import Community
from storage.models.operations import ServicePlan, ServiceTask
from storage.uow import UnitOfWork

MAX_ITEMS = 30
MAX_ITEM_CHARS = 200
MAX_TITLE_CHARS = 200
MIN_WINDOW, MAX_WINDOW = 15, 24 * 60


@dataclass(frozen=True)
class PlanRequest:
    """What a manager asks for: `role` (importer vocabulary) or `staff` (phones or ids)."""

    community: str | int
    title: str
    schedule: str
    checklist: tuple[str, ...] = ()
    role: str = ""
    staff: tuple[str, ...] = ()
    photo_required: bool = False
    buildings: tuple[str, ...] = ()
    window_minutes: int = 240


def create_plan(uow: UnitOfWork, actor: OpsActor, request: PlanRequest, now: datetime) -> ServicePlan:
    """Validate and store a plan; the service_tasks job turns it into tasks. Audit-logged."""
    require(actor, "plans.write")
    community = community_for(uow, actor, request.community)
    title = request.title.strip()
    if not title or len(title) > MAX_TITLE_CHARS:
        raise Invalid("plan_bad_title", limit=MAX_TITLE_CHARS)
    parse_schedule(request.schedule)  # raises Invalid with the schedule's own message
    checklist = _checklist(request.checklist)
    role, staff_ids = _who(uow, community, request)
    if not MIN_WINDOW <= request.window_minutes <= MAX_WINDOW:
        raise Invalid("plan_bad_window", low=MIN_WINDOW, high=MAX_WINDOW)
    plan = ServicePlan(
        community_id=community.id, buildings=",".join(_buildings(community, request.buildings)),
        title=title, checklist=json.dumps(checklist, ensure_ascii=False),
        schedule=" ".join(request.schedule.split()), window_minutes=request.window_minutes,
        role=role, staff_ids=",".join(str(i) for i in staff_ids),
        photo_required=request.photo_required, active=True, created_at=now,
        created_by=actor.audit_name,
    )
    uow.operations.add(plan)
    uow.audit.record(now, actor.audit_name, "plan_created", f"plan:{plan.id}", {
        "community_id": community.id, "title": title, "schedule": plan.schedule, "role": role,
        "staff_ids": plan.staff_ids, "photo_required": plan.photo_required,
    })
    return plan


def _checklist(items: tuple[str, ...]) -> list[str]:
    cleaned = [str(i).strip() for i in items if str(i).strip()]
    if len(cleaned) > MAX_ITEMS or any(len(i) > MAX_ITEM_CHARS for i in cleaned):
        raise Invalid("plan_bad_checklist", items=MAX_ITEMS, chars=MAX_ITEM_CHARS)
    return cleaned


def _who(uow: UnitOfWork, community: Community, request: PlanRequest) -> tuple[str, list[int]]:
    """The role code and the staff ids: one of the two is required."""
    role = ""
    if request.role.strip():
        role = vocab.role(request.role.strip()) or ""
        if not role:
            raise Invalid("plan_bad_role", role=request.role)
    staff_ids = [staff_in(uow, community, who).id for who in request.staff if str(who).strip()]
    if not role and not staff_ids:
        raise Invalid("plan_needs_who")
    return role, list(dict.fromkeys(staff_ids))


def _buildings(community: Community, names: tuple[str, ...]) -> list[str]:
    known = {b.name for b in community.buildings}
    out = []
    for name in names:
        short = vocab.building_name(str(name).strip())
        if short not in known:
            raise Invalid("plan_bad_building", building=name, community=community.name)
        out.append(short)
    return sorted(set(out), key=out.index)


def checklist_of(plan: ServicePlan) -> list[str]:
    """The plan's checklist items."""
    return list(json.loads(plan.checklist or "[]"))


@dataclass(frozen=True)
class TaskView:
    """One task as the console lists it."""

    id: int
    plan_id: int
    title: str
    community: str
    day: date
    starts_at: datetime
    due_at: datetime
    status: str
    late: bool
    assignee: str
    done_at: datetime | None
    checklist: list[dict[str, object]] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)


def tasks_of_day(uow: UnitOfWork, actor: OpsActor, day: date) -> list[TaskView]:
    """The tasks of local day `day` in the actor's communities."""
    require(actor, "tasks.read")
    communities = {c.id: c for c in uow.org.communities() if actor.scope.holds_community(c)}
    return [task_view(uow, task, communities[task.community_id].name)
            for task in uow.operations.tasks_on(day, list(communities))]


def task_view(uow: UnitOfWork, task: ServiceTask, community_name: str) -> TaskView:
    """A task with its plan's title, checklist state and assignee's name."""
    plan = uow.operations.plan(task.plan_id)
    assert plan is not None
    checked = set(json.loads(task.checked or "[]"))
    member = uow.org.staff(task.assignee_staff_id) if task.assignee_staff_id else None
    items = [{"index": i + 1, "text": text, "done": i + 1 in checked}
             for i, text in enumerate(checklist_of(plan))]
    return TaskView(task.id, plan.id, plan.title, community_name, task.day, task.starts_at,
                    task.due_at, task.status, task.late, member.name if member else "",
                    task.done_at, items, list(json.loads(task.photos or "[]")))


def check_task(uow: UnitOfWork, actor: OpsActor, task_id: int, items: list[int], photos: list[str],
               done: bool, now: datetime) -> TaskView:
    """Check items off, attach photos and (optionally) finish a task from the console."""
    from handlers.staff_tasks import core  # the task rules live with the phone's flow

    task = uow.operations.task(task_id, for_update=True)
    community = uow.org.community(task.community_id) if task else None
    if task is None or community is None or not actor.scope.holds_community(community):
        raise NotFound("task_not_found", id=task_id)  # before the permission: 404, never 403
    require(actor, "tasks.write")
    if task.status == "done":
        raise Invalid("task_already_done", id=task.id)
    plan = uow.operations.plan(task.plan_id)
    assert plan is not None
    core.check_items(task, plan, items)
    for ref in photos:
        core.add_photo(task, ref)
    staff_id = getattr(actor, "staff_id", None)
    if done:
        core.complete(uow, task, staff_id, actor.audit_name, now)
    else:
        uow.audit.record(now, actor.audit_name, "task_checked", f"task:{task.id}",
                         {"items": items, "photos": len(photos)})
    return task_view(uow, task, community.name)
