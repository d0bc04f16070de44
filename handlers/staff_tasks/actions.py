"""Service tasks on the phone: list them, send photos, check items, mark done.

Reached by the buttons of a task push (`/task_done{"task": "12"}`, `/task_photo{…}`) or by
typing `我的任务` / `完成任务 12`. While a task is open on the phone (the `service_task`
flow), a photo is kept on it and `勾选 1 3` checks those items off.
"""

from __future__ import annotations

import re

import handlers.texts.operations  # noqa: F401 - registers the texts used here
from handlers.access import require_staff
from handlers.errors import Invalid, NotFound
from handlers.messages import Outcome, Reply
from handlers.notify import payload
from handlers.staff_tasks import core
from handlers.texts import t
from handlers.turn import Turn
from storage.models import Staff
from storage.models.operations import ServiceTask

FLOW = "service_task"
_LIST = re.compile(r"^\s*(我的任务|任务列表|今日任务|今天的任务|my tasks)\s*$", re.I)
_DONE = re.compile(r"^\s*(?:完成任务|任务完成|done task)\s*[Tt]?(\d{1,9})\s*$", re.I)
_ITEMS = re.compile(r"^(?:勾选|已做|做完|check)?\s*\d[\d\s,，、]*$", re.I)


def typed_command(turn: Turn) -> str | None:
    """A staff member's typed task command as a button payload, else None."""
    if not turn.identity.staff_id:
        return None
    text = turn.text or ""
    if _LIST.match(text):
        return payload("task_list")
    done = _DONE.match(text)
    return payload("task_done", task=done.group(1)) if done else None


def task_list(turn: Turn) -> Outcome:
    """我的任务: my open and missed tasks, each with its buttons."""
    me = require_staff(turn)
    tasks = [t_ for t_ in turn.uow.operations.open_tasks_of(me.id)]
    tasks += [t_ for t_ in _missed_of(turn, me) if t_ not in tasks]
    if not tasks:
        return Outcome((Reply(t("task_none", turn.locale)),))
    return Outcome(tuple(Reply(core.card(turn.uow, task, turn.locale), core.buttons(task, turn.locale))
                         for task in tasks[:5]))


def task_photo(turn: Turn) -> Outcome:
    """拍照: the next photo goes to this task."""
    task = _task(turn, require_staff(turn))
    return Outcome((Reply(t("task_send_photo", turn.locale, id=task.id)),), _state(task))


def task_done(turn: Turn) -> Outcome:
    """完成: done now, or first the photo the plan requires."""
    me = require_staff(turn)
    task = _task(turn, me)
    try:
        core.complete(turn.uow, task, me.id, turn.actor, turn.now)
    except Invalid as err:
        if err.text_key == "task_needs_photo":
            return Outcome((Reply(t("task_needs_photo", turn.locale, id=task.id)),),
                           _state(task, then="done"))
        raise
    key = "task_done_late" if task.late else "task_done_ok"
    return Outcome((Reply(t(key, turn.locale, id=task.id)),))


def continue_task(turn: Turn) -> Outcome:
    """Inside the flow: a photo is kept (and finishes a pending 完成); numbers check items."""
    me = require_staff(turn)
    task = _task(turn, me, str(turn.state.get("task") or ""))
    media = turn.incoming.media
    if media is not None and media.kind == "photo":
        count = core.add_photo(task, media.ref)
        if turn.state.get("then") == "done":
            return task_done(turn)
        return Outcome((Reply(t("task_photo_kept", turn.locale, id=task.id, count=count),
                              core.buttons(task, turn.locale)),), _state(task))
    text = (turn.text or "").strip()
    if text in ("完成", "好了", "done"):
        return task_done(turn)
    if text and _ITEMS.match(text):
        plan = turn.uow.operations.plan(task.plan_id)
        assert plan is not None
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        core.check_items(task, plan, numbers)
        return Outcome((Reply(core.card(turn.uow, task, turn.locale), core.buttons(task, turn.locale)),),
                       _state(task))
    return Outcome((Reply(t("task_flow_hint", turn.locale, id=task.id)),), _state(task))


def _state(task: ServiceTask, then: str = "") -> dict[str, object]:
    state: dict[str, object] = {"flow": FLOW, "task": task.id}
    if then:
        state["then"] = then
    return state


def _task(turn: Turn, me: Staff, ref: str | None = None) -> ServiceTask:
    """The task named by the button (or the flow), of my own company and not done."""
    if ref is None:  # a button names its task; inside the flow the state remembers it
        ref = turn.entity("task") or str(turn.state.get("task") or "")
    text = ref.strip().lstrip("Tt")
    task = turn.uow.operations.task(int(text), for_update=True) if text.isdigit() else None
    community = turn.uow.org.community(task.community_id) if task else None
    if task is None or community is None or community.company_id != me.company_id:
        raise NotFound("task_not_found", id=text)
    if task.status == "done":
        raise Invalid("task_already_done", id=task.id)
    return task


def _missed_of(turn: Turn, me: Staff) -> list[ServiceTask]:
    day = turn.now.astimezone(turn.deps.settings.timezone).date()
    return [task for task in turn.uow.operations.tasks_on(day)
            if task.assignee_staff_id == me.id and task.status == "missed"]


ACTIONS = {"task_list": task_list, "task_photo": task_photo, "task_done": task_done}
