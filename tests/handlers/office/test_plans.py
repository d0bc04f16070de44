"""Service plans: created by managers, turned into tasks on the right days, done, missed."""

from __future__ import annotations

import json

import pytest

from handlers.deps import Deps
from handlers.errors import Forbidden, Invalid
from handlers.jobs import JOBS
from handlers.office.ops_access import OPERATOR, CompanyScope, Operator
from handlers.office.plans import PlanRequest, create_plan, tasks_of_day
from handlers.office.rota import ShiftRequest, set_shifts
from handlers.staff_tasks import core
from storage.models import AuditLog
from tests.chat import Chat, FakeClock
from tests.factories import World, add_other_company
from tests.handlers.office.conftest import at, pushes

CLEANING = PlanRequest(community="望京花园", title="大堂保洁", schedule="daily 08:00",
                       checklist=("拖地", "擦电梯按钮"), role="保洁", photo_required=True)


def make_plan(deps: Deps, request: PlanRequest = CLEANING, now: str = "2026-11-26T12:00") -> int:
    with deps.uow() as uow:
        plan = create_plan(uow, OPERATOR, request, at(now))
        uow.commit()
        return plan.id


def run_job(deps: Deps, now: str) -> int:
    return JOBS["service_tasks"](deps, at(now)).queued


def test_a_daily_plan_makes_one_task_a_day_at_its_time(deps: Deps, crew: dict[str, int]) -> None:
    make_plan(deps)
    assert run_job(deps, "2026-11-27T07:59") == 0  # not yet
    assert run_job(deps, "2026-11-27T08:00") == 1
    assert run_job(deps, "2026-11-27T08:05") == 0  # idempotent
    with deps.uow() as uow:
        tasks = uow.operations.tasks_between(at("2026-11-27T00:00").date(), at("2026-11-28T00:00").date(), None)
        assert [(t.day.isoformat(), t.starts_at, t.due_at) for t in tasks] == [
            ("2026-11-27", at("2026-11-27T08:00"), at("2026-11-27T12:00"))]
        # least busy cleaner, lowest id first: 刘阿姨 (Telegram)
        assert tasks[0].assignee_staff_id == crew["cleaner_a"]
    (identity, text, buttons), = pushes(deps, "staff_task")
    assert identity == crew["id_cleaner_a"]
    assert "大堂保洁" in text and "☐ 1. 拖地" in text and "需拍照" in text
    assert [b["title"] for b in buttons] == ["完成", "拍照上传"]


def test_weekly_and_monthly_plans_run_only_on_their_days(deps: Deps, crew: dict[str, int]) -> None:
    make_plan(deps, PlanRequest(community="望京花园", title="电梯维保", schedule="monthly 1 09:00",
                                role="manager", checklist=("检查曳引机",)), now="2026-11-20T12:00")
    make_plan(deps, PlanRequest(community="望京花园", title="消防巡检", schedule="weekly thu 10:00",
                                staff=("13700000011",)), now="2026-11-20T12:00")
    days = {}
    for day in range(26, 31):
        run_job(deps, f"2026-11-{day}T23:00")
    run_job(deps, "2026-12-01T23:00")
    with deps.uow() as uow:
        for task in uow.operations.tasks_between(at("2026-11-01T00:00").date(), at("2026-12-31T00:00").date(), None):
            days.setdefault(uow.operations.plan(task.plan_id).title, []).append(task.day.isoformat())
    assert days == {"消防巡检": ["2026-11-26"], "电梯维保": ["2026-12-01"]}


def test_the_rota_decides_who_gets_the_task(deps: Deps, crew: dict[str, int]) -> None:
    make_plan(deps)
    with deps.uow() as uow:
        set_shifts(uow, OPERATOR, ShiftRequest("望京花园", "cleaning", "13700000012", "day",
                                                at("2026-11-27T07:00"), at("2026-11-27T19:00")), at("2026-11-26T12:00"))
        uow.commit()
    run_job(deps, "2026-11-27T08:00")
    with deps.uow() as uow:
        (task,) = uow.operations.tasks_on(at("2026-11-27T08:00").date())
        assert task.assignee_staff_id == crew["cleaner_b"]


def test_a_missed_task_is_flagged_to_the_manager_on_duty_once(deps: Deps, crew: dict[str, int]) -> None:
    make_plan(deps)
    with deps.uow() as uow:
        set_shifts(uow, OPERATOR, ShiftRequest("望京花园", "manager", "13700000013", "day",
                                                at("2026-11-27T08:00"), at("2026-11-27T20:00")), at("2026-11-26T12:00"))
        uow.commit()
    run_job(deps, "2026-11-27T08:00")
    assert run_job(deps, "2026-11-27T11:59") == 0
    assert run_job(deps, "2026-11-27T12:01") == 1
    assert run_job(deps, "2026-11-27T12:06") == 0
    missed = pushes(deps, "staff_task")[-1]
    assert missed[0] == crew["id_manager_b"]  # 孙经理 is on duty, 赵经理 is not
    assert "任务未完成" in missed[1] and "大堂保洁" in missed[1] and "刘阿姨" in missed[1]
    with deps.uow() as uow:
        (task,) = uow.operations.tasks_on(at("2026-11-27T08:00").date())
        assert task.status == "missed" and task.flagged_at == at("2026-11-27T12:01")


def test_done_from_the_phone_with_a_photo(deps: Deps, crew: dict[str, int], clock: FakeClock) -> None:
    make_plan(deps)
    run_job(deps, "2026-11-27T08:00")
    clock.now = at("2026-11-27T09:30")
    phone = Chat(deps, user="511", channel="telegram")
    (_, _, buttons), = pushes(deps, "staff_task")
    reply = phone.text(phone.press(buttons[0]["payload"]))  # 完成, but no photo yet
    assert "需要拍照" in reply
    reply = phone.text(phone.photo("media/lobby.jpg"))
    assert "已完成" in reply
    with deps.uow() as uow:
        (task,) = uow.operations.tasks_on(at("2026-11-27T08:00").date())
        assert task.status == "done" and not task.late and task.done_by_staff_id == crew["cleaner_a"]
        assert json.loads(task.photos) == ["media/lobby.jpg"] and json.loads(task.checked) == [1, 2]
        assert uow.session.query(AuditLog).filter_by(action="task_done").count() == 1
        task_id = task.id
    assert "已经完成" in phone.text(phone.say(f"完成任务 {task_id}"))


def test_items_checked_then_done_late_tells_the_manager(deps: Deps, crew: dict[str, int], clock: FakeClock) -> None:
    make_plan(deps, PlanRequest(community="望京花园", title="垃圾清运", schedule="daily 07:00",
                                checklist=("收集", "清运", "冲洗"), role="cleaning"))
    run_job(deps, "2026-11-27T07:00")
    phone = Chat(deps, user="511", channel="telegram")
    cards = phone.text(phone.say("我的任务"))
    assert "T1 垃圾清运" in cards
    phone.press('/task_photo{"task": "1"}')
    assert "☑ 1. 收集" in phone.text(phone.say("勾选 1 3"))
    run_job(deps, "2026-11-27T11:01")  # missed, flagged
    clock.now = at("2026-11-27T11:30")
    assert "超过时限" in phone.text(phone.say("完成"))
    texts = [text for _, text, _ in pushes(deps, "staff_task")]
    assert any("任务超时完成" in text for text in texts)


def test_another_companys_task_is_not_found(deps: Deps, crew: dict[str, int], world: World) -> None:
    make_plan(deps)
    run_job(deps, "2026-11-27T08:00")
    with deps.uow() as uow:
        other = add_other_company(uow)
        from tests.factories import bind_identity
        bind_identity(uow, "wecom", "sun-other", at("2026-11-27T08:00"), staff_id=other["staff_id"])
        uow.commit()
    stranger = Chat(deps, user="sun-other", channel="wecom")
    assert "没有找到任务" in stranger.text(stranger.press('/task_done{"task": "1"}'))


def test_plan_validation_and_scope(deps: Deps, crew: dict[str, int], world: World) -> None:
    with deps.uow() as uow:
        other = add_other_company(uow)
        uow.commit()
    bad = [
        (PlanRequest(community="望京花园", title="x", schedule="hourly", role="保洁"), "plan_bad_schedule"),
        (PlanRequest(community="望京花园", title=" ", schedule="daily", role="保洁"), "plan_bad_title"),
        (PlanRequest(community="望京花园", title="x", schedule="daily", role="厨师"), "plan_bad_role"),
        (PlanRequest(community="望京花园", title="x", schedule="daily"), "plan_needs_who"),
        (PlanRequest(community="望京花园", title="x", schedule="daily", role="保洁", buildings=("99",)),
         "plan_bad_building"),
    ]
    for request, key in bad:
        with deps.uow() as uow, pytest.raises(Invalid) as err:
            create_plan(uow, OPERATOR, request, at("2026-11-27T08:00"))
        assert err.value.text_key == key
    outsider = Operator("console:9", "manager", CompanyScope(other["company_id"]))
    with deps.uow() as uow, pytest.raises(Invalid) as err:  # as if it did not exist
        create_plan(uow, outsider, CLEANING, at("2026-11-27T08:00"))
    assert err.value.text_key == "ops_no_community"
    cleaner = Operator("console:8", "cleaning", CompanyScope(world.company_id))
    with deps.uow() as uow, pytest.raises(Forbidden):
        create_plan(uow, cleaner, CLEANING, at("2026-11-27T08:00"))


def test_tasks_of_day_lists_only_the_actors_communities(deps: Deps, crew: dict[str, int], world: World) -> None:
    make_plan(deps)
    run_job(deps, "2026-11-27T08:00")
    mine = Operator("console:1", "manager", CompanyScope(world.company_id))
    with deps.uow() as uow:
        other = add_other_company(uow)
        uow.commit()
        (view,) = tasks_of_day(uow, mine, at("2026-11-27T08:00").date())
        assert (view.title, view.status, view.assignee, view.community) == ("大堂保洁", "open", "刘阿姨", "望京花园")
        assert [i["text"] for i in view.checklist] == ["拖地", "擦电梯按钮"]
        theirs = Operator("console:2", "manager", CompanyScope(other["company_id"]))
        assert tasks_of_day(uow, theirs, at("2026-11-27T08:00").date()) == []
        assert core.card(uow, uow.operations.task(view.id), "en").startswith("[Service task]")


def test_owners_get_the_plan_and_its_latest_completed_task(deps: Deps, crew: dict[str, int], world: World,
                                                           clock: FakeClock) -> None:
    make_plan(deps, PlanRequest(community="望京花园", title="电梯维保", schedule="monthly 1 09:00",
                                checklist=("检查曳引机",), role="manager"), now="2026-10-20T12:00")
    make_plan(deps, PlanRequest(community="望京花园", title="楼道保洁", schedule="daily 08:00", role="保洁"),
              now="2026-10-20T12:00")
    run_job(deps, "2026-11-01T09:00")
    with deps.uow() as uow:
        task = next(t for t in uow.operations.tasks_on(at("2026-11-01T09:00").date())
                    if uow.operations.plan(t.plan_id).title == "电梯维保")
        core.complete(uow, task, crew["manager"], "staff:2", at("2026-11-01T10:30"))
        uow.commit()
    clock.now = at("2026-11-27T10:00")
    owner = Chat(deps, user="wang")
    owner.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    reply = owner.text(owner.say("电梯上次维保是什么时候"))
    assert "电梯维保：每月1日 09:00；最近一次完成于 2026年11月1日" in reply
    assert reply.index("电梯维保") < reply.index("保洁：")  # the plan asked about comes first
    reply = owner.text(owner.say("保洁多久打扫一次"))
    assert "楼道保洁：每天 08:00；暂无完成记录" in reply and "公共区域每日两次" in reply


def test_completion_rates_per_plan_and_person(deps: Deps, crew: dict[str, int], clock: FakeClock) -> None:
    from handlers.supervision.service_tasks import completion_rates

    make_plan(deps)  # daily 08:00, due 12:00, photo required
    for day in (27, 28, 29):
        run_job(deps, f"2026-11-{day}T08:00")
    with deps.uow() as uow:
        first, second, third = uow.operations.tasks_between(at("2026-11-27T00:00").date(),
                                                            at("2026-11-29T00:00").date(), None)
        for task, done_at in ((first, "2026-11-27T09:00"), (second, "2026-11-28T13:00")):
            core.add_photo(task, "media/x.jpg")
            core.complete(uow, task, task.assignee_staff_id, "staff", at(done_at))
        uow.commit()
    run_job(deps, "2026-11-29T12:30")  # the third is missed
    with deps.uow() as uow:
        plans, people = completion_rates(uow, [1], at("2026-11-27T00:00").date(), at("2026-11-29T00:00").date(),
                                         at("2026-11-29T12:30"))
    (plan,) = plans
    assert (plan.name, plan.due, plan.on_time, plan.late, plan.missed) == ("大堂保洁", 3, 1, 1, 1)
    assert plan.completion_rate == 0.6667 and plan.on_time_rate == 0.3333
    assert [(p.name, p.due) for p in people] == [("刘阿姨", 2), ("陈阿姨", 1)]
