"""Service tasks' life: created for the shift on duty, pushed, checked off, done, flagged.

Shared by the service_tasks job, the staff's phone (handlers.staff_tasks.actions) and the
console, so a task checked off anywhere follows the same rules.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import handlers.texts.operations  # noqa: F401 - registers the texts used here
from handlers import notify
from handlers.errors import Invalid
from handlers.messages import Button
from handlers.office import rota
from handlers.office.plans import checklist_of
from handlers.texts import t
from storage.models import Community, OutboxMessage, Staff
from storage.models.operations import ServicePlan, ServiceTask
from storage.uow import UnitOfWork

MAX_PHOTOS = 9


def create_task(uow: UnitOfWork, plan: ServicePlan, day: date, starts_at: datetime, now: datetime) -> ServiceTask | None:
    """The task of `plan` starting at `starts_at`, for whoever is on duty then; None if it exists."""
    if uow.operations.task_at(plan.id, starts_at) is not None:
        return None
    community = uow.org.community(plan.community_id)
    assert community is not None
    assignee = pick_assignee(uow, plan, community, starts_at)
    task = ServiceTask(
        plan_id=plan.id, community_id=plan.community_id, day=day, starts_at=starts_at,
        due_at=starts_at + timedelta(minutes=plan.window_minutes),
        assignee_staff_id=assignee.id if assignee else None, status="open",
    )
    uow.operations.add(task)
    return task


def pick_assignee(uow: UnitOfWork, plan: ServicePlan, community: Community, moment: datetime) -> Staff | None:
    """The plan's people (those on shift first), else the least-busy of its role on duty."""
    if plan.staff_ids:
        people = [uow.org.staff(int(i)) for i in plan.staff_ids.split(",") if i]
        active = [p for p in people if p is not None and p.active]
        rostered = rota.on_duty_ids(uow, community, tuple({p.role for p in active}), moment)
        on_shift = [p for p in active if rostered is None or p.id in rostered]
        candidates = on_shift or active
    else:
        candidates = rota.on_duty(uow, community, plan.role, moment)
    if not candidates:
        return None
    return min(candidates, key=lambda s: (len(uow.operations.open_tasks_of(s.id)), s.id))


def recipients(uow: UnitOfWork, task: ServiceTask, now: datetime) -> list[Staff]:
    """Who gets the task: its assignee, else the managers on duty."""
    member = uow.org.staff(task.assignee_staff_id) if task.assignee_staff_id else None
    if member is not None and member.active:
        return [member]
    return managers_on_duty(uow, task.community_id, now)


def managers_on_duty(uow: UnitOfWork, community_id: int, now: datetime) -> list[Staff]:
    """The community's managers on duty now, else every active manager of its company."""
    community = uow.org.community(community_id)
    if community is None or community.company_id is None:
        return []
    everyone = [s for s in uow.org.staff_by_role(community.company_id, "manager") if s.active]
    return rota.on_duty(uow, community, "manager", now) or everyone


def push_task(uow: UnitOfWork, task: ServiceTask, now: datetime) -> int:
    """The task card with its buttons on the phones of its recipients (once per task)."""
    queued = 0
    for member in recipients(uow, task, now):
        for identity in uow.identities.for_staff(member.id):
            locale = identity.locale or "zh"
            msg = notify.push(uow, identity, "staff_task", card(uow, task, locale), buttons(task, locale),
                              dedupe_key=f"task:{task.id}:new:{identity.id}", now=now)
            queued += msg is not None
    return queued


def card(uow: UnitOfWork, task: ServiceTask, locale: str) -> str:
    """`【服务任务】T12 公共区域保洁 …` with the checklist and what is checked."""
    plan = uow.operations.plan(task.plan_id)
    community = uow.org.community(task.community_id)
    assert plan is not None and community is not None
    checked = set(json.loads(task.checked or "[]"))
    where = community.name + (f"（{plan.buildings}号楼）" if plan.buildings else "")
    lines = [t("task_card", locale, id=task.id, title=plan.title, where=where,
               due=notify.local_time(task.due_at, locale))]
    for i, item in enumerate(checklist_of(plan), start=1):
        lines.append(f"{'☑' if i in checked else '☐'} {i}. {item}")
    if plan.photo_required:
        photos = len(json.loads(task.photos or "[]"))
        lines.append(t("task_photo_required", locale, count=photos))
    return "\n".join(lines)


def buttons(task: ServiceTask, locale: str) -> tuple[Button, ...]:
    """完成 and 拍照 for one task (items are checked by typing their numbers or in the console)."""
    return (
        Button(t("btn_task_done", locale), notify.payload("task_done", task=task.id)),
        Button(t("btn_task_photo", locale), notify.payload("task_photo", task=task.id)),
    )


def check_items(task: ServiceTask, plan: ServicePlan, items: Sequence[int]) -> list[int]:
    """Mark checklist items (1-based) done; Invalid for a number the list does not have."""
    size = len(checklist_of(plan))
    if any(not 1 <= i <= size for i in items):
        raise Invalid("task_bad_item", size=size)
    checked = sorted(set(json.loads(task.checked or "[]")) | set(items))
    task.checked = json.dumps(checked)
    return checked


def add_photo(task: ServiceTask, ref: str) -> int:
    """Keep one photo of the task; the count so far."""
    photos = list(json.loads(task.photos or "[]"))
    if len(photos) >= MAX_PHOTOS:
        raise Invalid("task_too_many_photos", limit=MAX_PHOTOS)
    photos.append(ref[:300])
    task.photos = json.dumps(photos, ensure_ascii=False)
    return len(photos)


def complete(uow: UnitOfWork, task: ServiceTask, staff_id: int | None, actor: str, now: datetime,
             note: str = "") -> list[OutboxMessage]:
    """Done: every item checked, the photo there if required; a late one is told to the managers."""
    plan = uow.operations.plan(task.plan_id)
    assert plan is not None
    if task.status == "done":
        raise Invalid("task_already_done", id=task.id)
    if plan.photo_required and not json.loads(task.photos or "[]"):
        raise Invalid("task_needs_photo", id=task.id)
    check_items(task, plan, range(1, len(checklist_of(plan)) + 1))
    task.status, task.done_at, task.done_by_staff_id = "done", now, staff_id
    task.note = note[:500]
    uow.audit.record(now, actor, "task_done", f"task:{task.id}", {"late": task.late})
    if not task.late:
        return []
    return tell_managers(uow, task, "task_late", now)


def flag_missed(uow: UnitOfWork, task: ServiceTask, now: datetime) -> list[OutboxMessage]:
    """An open task past its due time: missed, and the managers on duty hear it once."""
    if task.status != "open" or task.due_at >= now or task.flagged_at is not None:
        return []
    task.status, task.flagged_at = "missed", now
    return tell_managers(uow, task, "task_missed", now)


def tell_managers(uow: UnitOfWork, task: ServiceTask, key: str, now: datetime) -> list[OutboxMessage]:
    """A one-off push about the task to the managers on duty."""
    plan = uow.operations.plan(task.plan_id)
    community = uow.org.community(task.community_id)
    assert plan is not None and community is not None
    member = uow.org.staff(task.assignee_staff_id) if task.assignee_staff_id else None
    queued = []
    for manager in managers_on_duty(uow, task.community_id, now):
        for identity in uow.identities.for_staff(manager.id):
            locale = identity.locale or "zh"
            text = t(key, locale, id=task.id, title=plan.title, community=community.name,
                     staff=member.name if member else t("task_nobody", locale),
                     due=notify.local_time(task.due_at, locale))
            msg = notify.push(uow, identity, "staff_task", text,
                              dedupe_key=f"task:{task.id}:{key}:{identity.id}", now=now)
            if msg is not None:
                queued.append(msg)
    return queued
