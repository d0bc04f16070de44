"""The scheduled jobs write the right outbox rows, to the right people, once."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from handlers.deps import Deps
from handlers.jobs import JOBS
from handlers.jobs_common import JobSettings
from handlers.tickets_core import TicketDraft, open_ticket, transition
from storage.models import Bill, Notice, OutboxMessage
from tests.chat import FakeClock
from tests.factories import World, add_notice, add_other_company, add_resident, bind_identity

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@dataclass(frozen=True)
class Row:
    identity_id: int
    kind: str
    dedupe_key: str
    text: str
    buttons: list[dict[str, str]]


def rows(deps: Deps, kind: str | None = None) -> list[Row]:
    with deps.uow() as uow:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return [
            Row(r.identity_id, r.kind, r.dedupe_key or "", json.loads(r.payload)["text"],
                json.loads(r.payload)["buttons"])
            for r in uow.session.scalars(stmt)
        ]


def text_of(row: Row) -> str:
    return row.text


def run(deps: Deps, name: str, now: datetime) -> int:
    report = JOBS[name](deps, now)
    assert report.job == name and report.now == now
    return report.queued


@pytest.fixture
def people(deps: Deps, world: World, clock: FakeClock) -> dict[str, int]:
    """Chat accounts: 王 on web and Telegram, 李 (bills off, notices off), 李's blocked
    Telegram, a tenant of 12-1102 (building 12 only), 赵丽 of another company, a manager."""
    now = clock()
    with deps.uow() as uow:
        other = add_other_company(uow)
        tenant = add_resident(uow, world.home_ids["12-1102"], "孙租客", "13500003333", "tenant")
        ids = {
            "wang_web": bind_identity(uow, "web", "wang", now, owner_id=world.owner_ids["13812345678"]),
            "wang_tg": bind_identity(uow, "telegram", "100", now, owner_id=world.owner_ids["13812345678"]),
            "li_web": bind_identity(uow, "web", "li", now, owner_id=world.owner_ids["13900001111"]),
            "li_tg": bind_identity(uow, "telegram", "200", now, owner_id=world.owner_ids["13900001111"]),
            "tenant": bind_identity(uow, "web", "sun", now, owner_id=tenant),
            "zhao": bind_identity(uow, "web", "zhao", now, owner_id=other["owner_id"]),
            "manager": bind_identity(uow, "wecom", "zhao-jl", now, staff_id=world.staff_ids["manager"]),
        }
        li_web, li_tg = uow.identities.get(ids["li_web"]), uow.identities.get(ids["li_tg"])
        li_web.notify_bills = li_web.notify_notices = False
        li_tg.reachable = False
        uow.session.add_all([
            Bill(home_id=other["home_id"], item="property_fee", period="2026-11",
                 amount=Decimal("210.00"), due_date=date(2026, 11, 30)),
            # Paid, and due on a reminder day: never reminded.
            Bill(home_id=world.home_ids["3-2-501"], item="parking", period="2026-11",
                 amount=Decimal("300.00"), due_date=date(2026, 11, 30), status="paid",
                 paid_at=at("2026-11-20T10:00:00")),
        ])
        ids["other_home"], ids["other_community"] = other["home_id"], other["community_id"]
        uow.commit()
    return ids


# -- bill reminders -----------------------------------------------------------------------


def test_bill_reminders_reach_exactly_the_owners_with_bills_in_a_window(
    deps: Deps, people: dict[str, int]
) -> None:
    # 11-29: 1 day before 11-30; the 11-15 water bill is 14 days overdue (every 7 days).
    assert run(deps, "bill_reminders", at("2026-11-29T09:00:00")) == 3
    sent = rows(deps, "bill_reminder")
    assert [r.identity_id for r in sent] == [people["wang_web"], people["wang_tg"], people["zhao"]]
    wang = text_of(sent[0])
    assert "王建国" in wang and "3-2-501" in wang and "12-1102" not in wang
    assert "物业费 2026年11月：268.50元（11月30日前缴纳）" in wang
    assert "水费 2026年10月：45.20元（已逾期14天，滞纳金0.19元）" in wang
    assert "2026年10月：268.50元" not in wang  # 29 days overdue: not a reminder day
    assert "停车费" not in wang and "3-2-502" not in wang  # paid; another owner's home
    assert "合计：313.70元" in wang
    buttons = sent[0].buttons
    assert buttons == [{"title": "去缴费", "payload": '/pay_bill{"unit": "3-2-501"}'}]


def test_one_reminder_per_account_per_day_and_none_in_quiet_hours(
    deps: Deps, people: dict[str, int]
) -> None:
    assert JOBS["bill_reminders"](deps, at("2026-11-28T23:30:00")).skipped == "quiet_hours"
    assert JOBS["bill_reminders"](deps, at("2026-11-29T07:59:00")).skipped == "quiet_hours"
    assert rows(deps) == []
    assert run(deps, "bill_reminders", at("2026-11-29T08:00:00")) == 3  # catches up
    assert run(deps, "bill_reminders", at("2026-11-29T15:00:00")) == 0
    assert len(rows(deps, "bill_reminder")) == 3
    assert run(deps, "bill_reminders", at("2026-11-30T09:00:00")) == 0  # no window on 11-30


def test_bill_windows_follow_the_settings(deps: Deps, people: dict[str, int]) -> None:
    jobs = JobSettings(bill_days_before=(3,), bill_overdue_every_days=0)
    custom = replace(deps, settings=replace(deps.settings, jobs=jobs))
    assert run(custom, "bill_reminders", at("2026-11-27T09:00:00")) == 3  # 3 days before 11-30
    assert "逾期" not in text_of(rows(deps)[0])


# -- notices ------------------------------------------------------------------------------


def _building(deps: Deps, world: World, label: str) -> int:
    with deps.uow() as uow:
        return uow.org.home(world.home_ids[label]).building_id


def test_a_notice_reaches_exactly_the_homes_in_scope_once(
    deps: Deps, world: World, people: dict[str, int]
) -> None:
    now = at("2026-11-27T10:00:00")
    with deps.uow() as uow:
        add_notice(uow, world.community_id, "water_outage", "3号楼停水",
                   building_id=_building(deps, world, "3-2-501"),
                   starts_at=now + timedelta(days=1), published_at=now - timedelta(hours=1))
        add_notice(uow, world.community_id, "activity", "12-1102 门前施工",
                   home_id=world.home_ids["12-1102"],
                   starts_at=now + timedelta(days=2), published_at=now - timedelta(hours=1))
        uow.commit()
    run(deps, "notice_reminders", now)
    got = {(r.identity_id, text_of(r).split("\n")[0]) for r in rows(deps, "notice")}
    assert got == {
        (people["wang_web"], "【停水通知】3号楼停水"), (people["wang_tg"], "【停水通知】3号楼停水"),
        (people["li_web"], "【停水通知】3号楼停水"),  # notices off, but outages are always on
        (people["wang_web"], "【活动通知】12-1102 门前施工"),
        (people["wang_tg"], "【活动通知】12-1102 门前施工"),
        (people["tenant"], "【活动通知】12-1102 门前施工"),
    }
    assert run(deps, "notice_reminders", now + timedelta(minutes=10)) == 0


def test_before_start_and_restored_pushes_go_once_each(
    deps: Deps, world: World, people: dict[str, int]
) -> None:
    start = at("2026-11-28T09:00:00")
    with deps.uow() as uow:
        notice_id = add_notice(uow, world.community_id, "power_outage", "12号楼停电检修",
                               building_id=_building(deps, world, "12-1102"), starts_at=start,
                               ends_at=start + timedelta(hours=6),
                               published_at=start - timedelta(days=3))
        uow.commit()
    assert run(deps, "notice_reminders", start - timedelta(hours=13)) == 0  # too early
    assert run(deps, "notice_reminders", start - timedelta(hours=12)) == 3  # 王 ×2, tenant
    assert run(deps, "notice_reminders", start - timedelta(hours=11)) == 0
    assert all("将于 11月28日 09:00 开始" in text_of(r) for r in rows(deps, "notice"))
    with deps.uow() as uow:
        uow.session.get(Notice, notice_id).restored_at = start + timedelta(hours=4)
        uow.commit()
    assert run(deps, "notice_reminders", start + timedelta(hours=4, minutes=5)) == 3
    assert run(deps, "notice_reminders", start + timedelta(hours=4, minutes=15)) == 0
    restored = rows(deps, "notice")[-1]
    assert text_of(restored) == "【恢复通知】12号楼停电检修：已于 11月28日 13:00 恢复，感谢您的理解与配合。"
    assert {r.dedupe_key.split(":")[2] for r in rows(deps, "notice")} == {"before_start", "restored"}


def test_a_notice_published_inside_the_reminder_window_is_not_pushed_twice(
    deps: Deps, world: World, people: dict[str, int]
) -> None:
    start = at("2026-11-28T09:00:00")
    with deps.uow() as uow:
        add_notice(uow, world.community_id, "elevator", "电梯保养", starts_at=start,
                   home_id=world.home_ids["3-2-502"], published_at=start - timedelta(hours=2))
        uow.commit()
    assert run(deps, "notice_reminders", start - timedelta(hours=1)) == 1  # published only
    assert rows(deps, "notice")[0].dedupe_key.split(":")[2] == "published"


# -- tickets ------------------------------------------------------------------------------


def _open(deps: Deps, world: World, now: datetime, category: str, urgency: str = "normal") -> int:
    draft = TicketDraft(kind="repair", community_id=world.community_id, description="电梯异响",
                        home_id=world.home_ids["3-2-501"], owner_id=world.owner_ids["13812345678"],
                        category=category, urgency=urgency)
    with deps.uow() as uow:
        ticket = open_ticket(uow, draft, now=now, actor="owner:1", settings=deps.settings)
        uow.commit()
        return ticket.id


def test_tickets_escalate_once_per_level(deps: Deps, world: World, people: dict[str, int]) -> None:
    created = at("2026-11-27T10:00:00")
    ticket_id = _open(deps, world, created, "elevator")  # nobody handles lifts: unassigned
    assigned_id = _open(deps, world, created, "plumbing")  # 张师傅 takes it, within its SLA
    before = len(rows(deps))
    assert JOBS["ticket_escalations"](deps, created + timedelta(minutes=29)).changed == 0
    report = JOBS["ticket_escalations"](deps, created + timedelta(minutes=31))
    assert (report.changed, report.queued) == (1, 1)
    assert JOBS["ticket_escalations"](deps, created + timedelta(minutes=36)).changed == 0
    late = JOBS["ticket_escalations"](deps, created + timedelta(hours=24, minutes=1))
    assert late.changed == 2  # the unassigned one is now late too, and so is the assigned one
    assert JOBS["ticket_escalations"](deps, created + timedelta(hours=25)).changed == 0
    new = rows(deps)[before:]
    to_manager = [text_of(r).split("\n")[0] for r in new if r.identity_id == people["manager"]]
    number = _number(deps, ticket_id)
    assert to_manager[0] == f"【升级·无人接单】工单 {number} 提交后长时间无人接单，请尽快派单。"
    assert f"【升级·已超时】工单 {number} 已超过处理时限仍未完成，请跟进。" in to_manager
    owner = [text_of(r) for r in new if r.identity_id == people["wang_web"]]
    assert f"您的工单 {number} 处理超时，已升级给物业经理跟进。" in owner
    with deps.uow() as uow:
        ticket = uow.tickets.get(ticket_id)
        assert ticket.escalated_at == created + timedelta(hours=24, minutes=1)
        kinds = [(e.kind, e.note) for e in uow.tickets.events(ticket_id) if e.kind == "escalated"]
        assert kinds == [("escalated", "unassigned"), ("escalated", "overdue")]
        assert [e.note for e in uow.tickets.events(assigned_id) if e.kind == "escalated"] == ["overdue"]


def _number(deps: Deps, ticket_id: int) -> str:
    with deps.uow() as uow:
        return uow.tickets.get(ticket_id).number


def _resolve(deps: Deps, ticket_id: int, when: datetime, rating: int | None = None) -> None:
    with deps.uow() as uow:
        ticket = uow.tickets.get(ticket_id)
        transition(uow, ticket, "in_progress", "staff:1", "", when)
        transition(uow, ticket, "resolved", "staff:1", "已更换阀门", when)
        if rating is not None:
            ticket.rating = rating
            transition(uow, ticket, "closed", "owner:1", f"{rating}★", when, event_kind="rated")
        uow.commit()


def test_a_satisfaction_request_goes_once_with_rating_buttons(
    deps: Deps, world: World, people: dict[str, int]
) -> None:
    created = at("2026-11-27T10:00:00")
    ticket_id, rated_id = _open(deps, world, created, "plumbing"), _open(deps, world, created, "plumbing")
    _resolve(deps, ticket_id, created + timedelta(hours=1))
    _resolve(deps, rated_id, created + timedelta(hours=1), rating=5)
    before = len(rows(deps))
    assert run(deps, "satisfaction_requests", created + timedelta(hours=2, minutes=59)) == 0
    assert run(deps, "satisfaction_requests", created + timedelta(hours=3)) == 2  # 王: web + tg
    assert run(deps, "satisfaction_requests", created + timedelta(hours=4)) == 0
    asked = rows(deps)[before:]
    number = _number(deps, ticket_id)
    assert {r.identity_id for r in asked} == {people["wang_web"], people["wang_tg"]}
    assert text_of(asked[0]).startswith(f"【回访】您的工单 {number}（报修·")
    payload = '/rate_service{"ticket_id": "' + number + '", "rating": "5"}'
    assert asked[0].buttons[4]["payload"] == payload
    assert JOBS["satisfaction_requests"](deps, at("2026-11-27T23:00:00")).skipped == "quiet_hours"


# -- daily digest -------------------------------------------------------------------------


def test_the_daily_digest_sums_up_the_company_for_its_managers(
    deps: Deps, world: World, people: dict[str, int]
) -> None:
    yesterday = at("2026-11-26T10:00:00")
    late_id = _open(deps, world, yesterday, "elevator")  # normal: due 11-27 10:00, still open
    rated_id = _open(deps, world, yesterday, "plumbing")
    _resolve(deps, rated_id, yesterday + timedelta(hours=2), rating=4)
    today = at("2026-11-27T08:30:00")
    with deps.uow() as uow:
        add_notice(uow, world.community_id, "water_outage", "3号楼停水",
                   starts_at=today + timedelta(hours=1), ends_at=today + timedelta(hours=8),
                   published_at=yesterday)
        add_notice(uow, world.community_id, "activity", "下周义诊",
                   starts_at=today + timedelta(days=7), published_at=yesterday)
        uow.commit()
    assert run(deps, "daily_digest", today + timedelta(hours=2)) == 1  # the manager only
    assert run(deps, "daily_digest", today + timedelta(hours=3)) == 0
    digest = rows(deps, "digest")
    assert [r.identity_id for r in digest] == [people["manager"]]
    assert text_of(digest[0]).split("\n") == [
        "【每日简报】11月27日 京华物业服务有限公司",
        "· 未完成工单：1 件（其中超时 1 件）",
        f"  超时：{_number(deps, late_id)}",
        "· 昨日新增工单：2 件；收到评价 1 条，平均 4.0 星",
        "· 今日公告：",
        "  望京花园【停水】3号楼停水（11月27日 09:30 – 11月27日 16:30）",
    ]
