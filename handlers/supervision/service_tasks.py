"""Service-task completion rates per plan and per person (for the office's dashboards).

Computed from the tasks themselves whenever asked, never stored a second time. Over the
tasks of local days `first` … `last` whose due time has passed (or that are done): a task
is on time when done by its due time, late when done after it, missed while not done.
Rates are fractions 0–1 rounded to 4 places, None when nothing was due.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from storage.models.operations import ServiceTask
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class CompletionRate:
    """One plan's or one person's figures."""

    key: int  # plan id or staff id (0: nobody was assigned)
    name: str
    due: int
    on_time: int
    late: int
    missed: int

    @property
    def completion_rate(self) -> float | None:
        return round((self.on_time + self.late) / self.due, 4) if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.due, 4) if self.due else None


def completion_rates(uow: UnitOfWork, community_ids: list[int], first: date, last: date,
                     now: datetime) -> tuple[list[CompletionRate], list[CompletionRate]]:
    """(per plan, per person) over the tasks of days `first` … `last` in those communities."""
    tasks = [task for task in uow.operations.tasks_between(first, last, community_ids)
             if task.status == "done" or task.due_at <= now]
    plans = {p.id: p.title for p in uow.operations.plans(community_ids)}
    plans |= {p.id: p.title for p in uow.operations.plans(community_ids, active=False)}
    by_plan = _rates(tasks, lambda task: task.plan_id, lambda key: plans.get(key, str(key)))
    names = {}
    for task in tasks:
        person = task.done_by_staff_id or task.assignee_staff_id
        if person and person not in names:
            member = uow.org.staff(person)
            names[person] = member.name if member else str(person)
    by_person = _rates(tasks, lambda task: task.done_by_staff_id or task.assignee_staff_id or 0,
                       lambda key: names.get(key, "-"))
    return by_plan, by_person


def _rates(tasks: Iterable[ServiceTask], key_of: object, name_of: object) -> list[CompletionRate]:
    counts: dict[int, list[int]] = {}
    for task in tasks:
        row = counts.setdefault(key_of(task), [0, 0, 0, 0])  # type: ignore[operator]
        row[0] += 1
        if task.status == "done":
            row[2 if task.late else 1] += 1
        else:
            row[3] += 1
    return [CompletionRate(key, name_of(key), *row)  # type: ignore[operator]
            for key, row in sorted(counts.items())]
