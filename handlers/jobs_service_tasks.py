"""`service_tasks`: plans become tasks for the shift on duty; overdue tasks are flagged.

Each run looks at today (local time): every active plan's start times that have come and
have no task yet become tasks, pushed to whoever is on duty then; open tasks past their due
time become `missed` and the managers on duty hear it. Idempotent: a task is unique per
plan and start time, and a missed task is flagged once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.deps import Deps
from handlers.errors import Invalid
from handlers.jobs_common import JobReport, local_day
from handlers.office.schedules import parse_schedule
from handlers.staff_tasks import core

# A start time this long ago still makes its task (the scheduler was down over midnight).
CATCH_UP = timedelta(hours=24)


def service_tasks(deps: Deps, now: datetime) -> JobReport:
    """Create the due service tasks for the shift on duty, and flag the missed ones."""
    tz = deps.settings.timezone
    created = queued = 0
    with deps.uow() as uow:
        plan_ids = [p.id for p in uow.operations.plans()]
    for plan_id in plan_ids:
        with deps.uow() as uow:
            plan = uow.operations.plan(plan_id)
            try:
                schedule = parse_schedule(plan.schedule) if plan else None
            except Invalid:
                schedule = None  # stored before a rule tightened: skipped, not crashed on
            if plan is None or schedule is None:
                continue
            today = local_day(now, tz)
            for day in (today - timedelta(days=1), today):
                for start in schedule.starts_on(day, tz):
                    if not max(now - CATCH_UP, plan.created_at) <= start <= now:
                        continue
                    task = core.create_task(uow, plan, day, start, now)
                    if task is not None:
                        created += 1
                        queued += core.push_task(uow, task, now)
            uow.commit()
    flagged, flag_pushes = flag_overdue(deps, now)
    return JobReport("service_tasks", now, queued=queued + flag_pushes,
                     considered=len(plan_ids), changed=created + flagged)


def flag_overdue(deps: Deps, now: datetime) -> tuple[int, int]:
    """Mark open tasks past their due time missed and tell the managers; (tasks, pushes)."""
    with deps.uow() as uow:
        ids = [task.id for task in uow.operations.overdue_unflagged(now)]
    pushes = 0
    for task_id in ids:
        with deps.uow() as uow:
            task = uow.operations.task(task_id, for_update=True)
            if task is not None:
                pushes += len(core.flag_missed(uow, task, now))
            uow.commit()
    return len(ids), pushes
