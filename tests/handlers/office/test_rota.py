"""The duty rota: who is on duty, who hears an emergency, and staff leaving."""

from __future__ import annotations

import pytest

from handlers.deps import Deps
from handlers.errors import Forbidden, Invalid, NotFound
from handlers.office.access import actor_for_account
from handlers.office.ops_access import OPERATOR, CompanyScope, Operator
from handlers.office.rota import ShiftRequest, on_duty, rota_of_day, set_shifts
from handlers.office.staff_lifecycle import join_staff, leave_staff, move_staff
from handlers.tickets_core import TicketDraft, open_ticket
from storage.models import AuditLog, ConsoleAccount, Staff, Ticket
from tests.chat import Chat, FakeClock
from tests.factories import World, add_other_company, add_staff, bind_identity
from tests.handlers.office.conftest import SH, at, pushes


def shift(deps: Deps, phone: str, role: str, start: str, end: str, kind: str = "day", days: int = 1) -> None:
    with deps.uow() as uow:
        set_shifts(uow, OPERATOR, ShiftRequest("望京花园", role, phone, kind, at(start), at(end), days),
                   at("2026-11-26T12:00"))
        uow.commit()


def names_on_duty(deps: Deps, role: str, when: str) -> list[str]:
    with deps.uow() as uow:
        community = uow.org.community_by_name("望京花园")
        return [s.name for s in on_duty(uow, community, role, at(when))]


def test_without_a_rota_every_active_one_is_on_duty(deps: Deps, crew: dict[str, int]) -> None:
    assert names_on_duty(deps, "manager", "2026-11-27T10:00") == ["赵经理", "孙经理"]


def test_day_night_and_on_call(deps: Deps, crew: dict[str, int]) -> None:
    shift(deps, "13700000002", "manager", "2026-11-27T08:00", "2026-11-27T20:00", days=2)
    shift(deps, "13700000013", "manager", "2026-11-27T20:00", "2026-11-28T08:00", kind="night")
    shift(deps, "13700000013", "manager", "2026-11-27T00:00", "2026-11-29T00:00", kind="on_call")
    assert names_on_duty(deps, "manager", "2026-11-27T10:00") == ["赵经理", "孙经理"]  # day first, on call after
    assert names_on_duty(deps, "manager", "2026-11-27T23:00") == ["孙经理"]
    assert names_on_duty(deps, "manager", "2026-11-28T19:59") == ["赵经理", "孙经理"]
    assert names_on_duty(deps, "manager", "2026-11-29T10:00") == []  # a gap in the rota
    with deps.uow() as uow:
        lines = rota_of_day(uow, OPERATOR, "望京花园", at("2026-11-27T00:00").date(), SH)
        assert [(line.kind, line.staff_name) for line in lines] == [
            ("on_call", "孙经理"), ("day", "赵经理"), ("night", "孙经理")]
        assert uow.session.query(AuditLog).filter_by(action="rota_set").count() == 3


def test_the_rota_drives_who_gets_an_emergency(deps: Deps, crew: dict[str, int], world: World,
                                               clock: FakeClock) -> None:
    shift(deps, "13700000013", "manager", "2026-11-27T08:00", "2026-11-27T20:00")
    owner = Chat(deps, user="wang")
    owner.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    reply = owner.text(owner.say("电梯困人了 3号楼"))
    assert "紧急" in reply
    emergency = [(i, text) for i, text, _ in pushes(deps, "staff_ticket") if "紧急" in text]
    assert emergency and {i for i, _ in emergency} >= {crew["id_manager_b"]}
    assert crew["id_manager"] not in {i for i, _ in emergency}  # 赵经理 is off duty
    clock.now = at("2026-11-27T21:00")  # nobody on the rota now: every manager hears it
    Chat(deps, user="li").bind_to(world.home_ids["3-2-502"], world.owner_ids["13900001111"])
    Chat(deps, user="li").say("闻到煤气味")
    later = [i for i, text, _ in pushes(deps, "staff_ticket")[len(emergency):] if "紧急" in text]
    assert {crew["id_manager"], crew["id_manager_b"]} <= set(later)


def test_assignment_follows_the_repair_rota(deps: Deps, crew: dict[str, int], world: World) -> None:
    with deps.uow() as uow:
        add_staff(uow, world.company_id, "吴师傅", "13700000021", "repair", categories="plumbing")
        uow.commit()
    shift(deps, "13700000021", "repair", "2026-11-27T08:00", "2026-11-27T20:00")
    with deps.uow() as uow:
        draft = TicketDraft(kind="repair", community_id=world.community_id, category="plumbing", description="厨房水管漏水",
                            home_id=world.home_ids["3-2-501"], owner_id=world.owner_ids["13812345678"])
        ticket = open_ticket(uow, draft, now=at("2026-11-27T10:00"), actor="owner:1", settings=deps.settings)
        assert uow.org.staff(ticket.assignee_staff_id).name == "吴师傅"  # 张师傅 is not on shift


def test_rota_refuses_bad_shifts(deps: Deps, crew: dict[str, int], world: World) -> None:
    cases = [
        (ShiftRequest("望京花园", "manager", "13700000011", "day", at("2026-11-27T08:00"), at("2026-11-27T20:00")),
         Invalid, "rota_wrong_role"),
        (ShiftRequest("望京花园", "manager", "13700000002", "noon", at("2026-11-27T08:00"), at("2026-11-27T20:00")),
         Invalid, "rota_bad_kind"),
        (ShiftRequest("望京花园", "manager", "13700000002", "day", at("2026-11-27T20:00"), at("2026-11-27T08:00")),
         Invalid, "rota_bad_times"),
        (ShiftRequest("望京花园", "manager", "13799999999", "day", at("2026-11-27T08:00"), at("2026-11-27T20:00")),
         Invalid, "ops_no_staff"),
        (ShiftRequest("朝阳新城", "manager", "13700000002", "day", at("2026-11-27T08:00"), at("2026-11-27T20:00")),
         Invalid, "ops_no_community"),
    ]
    mine = Operator("console:1", "manager", CompanyScope(world.company_id))
    with deps.uow() as uow:
        add_other_company(uow)
        uow.commit()
    for request, error, key in cases:
        with deps.uow() as uow, pytest.raises(error) as err:
            set_shifts(uow, mine, request, at("2026-11-26T12:00"))
        assert err.value.text_key == key
    with deps.uow() as uow, pytest.raises(Forbidden):
        set_shifts(uow, Operator("console:2", "cleaning", CompanyScope(world.company_id)), cases[0][0],
                   at("2026-11-26T12:00"))


def test_leaving_revokes_hands_over_and_is_audited(deps: Deps, crew: dict[str, int], world: World,
                                                   clock: FakeClock) -> None:
    shift(deps, "13700000001", "repair", "2026-11-27T08:00", "2026-11-27T20:00", days=3)
    with deps.uow() as uow:
        bind_identity(uow, "wecom", "zhang", at("2026-11-27T08:00"), staff_id=world.staff_ids["repair"])
        draft = TicketDraft(kind="repair", community_id=world.community_id, category="plumbing", description="卫生间漏水",
                            home_id=world.home_ids["3-2-501"], owner_id=world.owner_ids["13812345678"])
        number = open_ticket(uow, draft, now=at("2026-11-27T10:00"), actor="owner:1", settings=deps.settings).number
        uow.commit()
    with deps.uow() as uow:
        uow.session.add(ConsoleAccount(phone="13700000001", password_hash="x", kind="staff", role="repair",
                                       staff_id=world.staff_ids["repair"], company_id=world.company_id,
                                       created_at=at("2026-11-01T08:00"), password_set_at=at("2026-11-01T08:00")))
        uow.commit()
    with deps.uow() as uow:
        report = leave_staff(uow, OPERATOR, "13700000001", at("2026-11-27T11:00"))
        uow.commit()
    assert (report.chat_accounts, report.console_accounts, report.tickets) == (1, 1, [number])
    assert report.shifts == 3
    with deps.uow() as uow:
        account = uow.session.query(ConsoleAccount).filter_by(phone="13700000001").one()
        assert not account.active and actor_for_account(uow, account) is None
    with deps.uow() as uow:
        member = uow.org.staff(world.staff_ids["repair"])
        assert not member.active and uow.identities.for_staff(member.id) == []
        ticket = uow.session.query(Ticket).filter_by(number=number).one()
        assert uow.org.staff(ticket.assignee_staff_id).role == "manager"
        audit = uow.session.query(AuditLog).filter_by(action="staff_left").one()
        assert number in audit.detail and "13700000001" not in audit.detail
        community = uow.org.community_by_name("望京花园")
        assert on_duty(uow, community, "repair", at("2026-11-28T10:00")) == []
    leaver = Chat(deps, user="zhang", channel="wecom")
    assert number not in leaver.text(leaver.say("我的工单"))  # no longer staff: sees nothing
    with deps.uow() as uow, pytest.raises(NotFound):
        leave_staff(uow, OPERATOR, "13700000001", at("2026-11-27T12:00"))


def test_join_and_move(deps: Deps, crew: dict[str, int], world: World) -> None:
    with deps.uow() as uow:
        member = join_staff(uow, OPERATOR, "望京花园", "周师傅", "13700000031", "维修", at("2026-11-27T08:00"))
        uow.commit()
        staff_id = member.id
    shift(deps, "13700000031", "repair", "2026-11-28T08:00", "2026-11-28T20:00")
    with deps.uow() as uow:
        moved = move_staff(uow, OPERATOR, "望京花园", "13700000031", at("2026-11-27T09:00"), role="保安",
                           buildings="3号楼")
        assert (moved.role, moved.buildings) == ("security", "望京花园/3")
        assert uow.operations.shifts_of(staff_id, at("2026-11-27T09:00")) == []
        uow.commit()
    with deps.uow() as uow, pytest.raises(Invalid):
        join_staff(uow, OPERATOR, "望京花园", "周师傅", "13700000031", "维修", at("2026-11-27T08:00"))
    with deps.uow() as uow:
        actions = [a.action for a in uow.session.query(AuditLog).order_by(AuditLog.id)]
        assert {"staff_joined", "staff_moved"} <= set(actions)
        assert uow.session.get(Staff, staff_id).active
