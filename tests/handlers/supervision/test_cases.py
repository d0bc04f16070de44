"""Supervised cases and rectifications: scope, consent, state machine, overdue, dialogue."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from handlers.deps import Deps
from handlers.errors import Invalid, NotFound
from handlers.jobs import JOBS
from handlers.supervision import cases, rectifications
from handlers.supervision.rectifications import BadRectificationStep
from handlers.supervision.scope import RegulatorScope, require_case
from storage.models import AuditLog, RectificationNotice, SupervisedCase
from tests.chat import Chat, FakeClock
from tests.factories import World
from tests.handlers.supervision.conftest import Uow
from tests.handlers.supervision.helpers import TZ, at, make_ticket

JINSONG = RegulatorScope("朝阳区", "劲松街道", None, "劲松街道")
HAIDIAN = RegulatorScope("海淀区")


def _complaint(db: Uow, world: World, created: str = "2026-11-02 10:00") -> int:
    with db() as uow:
        ticket = make_ticket(uow, community_id=world.community_id,
                             home_id=world.home_ids["3-2-501"],
                             owner_id=world.owner_ids["13812345678"], kind="complaint",
                             created=created)
        uow.commit()
        return ticket.id


def _case(db: Uow, world: World) -> int:
    ticket_id = _complaint(db, world)
    with db() as uow:
        found, _ = cases.open_case(uow, uow.tickets.get(ticket_id), "overdue", at("2026-11-10 09:00"))
        uow.commit()
        return found.id


def test_another_districts_regulator_sees_nothing_of_the_case(db: Uow, sworld: World) -> None:
    case_id = _case(db, sworld)
    with db() as uow:
        assert cases.list_cases(uow, HAIDIAN) == []
        with pytest.raises(NotFound):
            require_case(uow, HAIDIAN, case_id)
        with pytest.raises(NotFound):
            rectifications.issue(uow, HAIDIAN, sworld.company_id, "整改", date(2026, 12, 5),
                                 at("2026-11-27 10:00"), TZ)
        with pytest.raises(NotFound):  # another street of the same district
            require_case(uow, RegulatorScope("朝阳区", "八里庄街道"), case_id)
        assert [c["id"] for c in cases.list_cases(uow, JINSONG)] == [case_id]


def test_without_consent_the_regulator_sees_no_personal_data(db: Uow, sworld: World) -> None:
    _case(db, sworld)
    with db() as uow:
        view = cases.list_cases(uow, JINSONG, "open")[0]
    assert view["owner"] is None and view["consent"] is False
    assert "13812345678" not in str(view) and "王建国" not in str(view) and "description" not in view
    assert view["ticket"].startswith("C") and view["company"] == "京华物业服务有限公司"


def test_case_list_filters_by_status_and_refuses_unknown_ones(db: Uow, sworld: World) -> None:
    case_id = _case(db, sworld)
    with db() as uow:
        cases.close_case(uow, JINSONG, case_id, at("2026-11-20 10:00"), "已解决")
        uow.commit()
        assert cases.list_cases(uow, JINSONG, "open") == []
        assert [c["status"] for c in cases.list_cases(uow, JINSONG, "closed")] == ["closed"]
        with pytest.raises(Invalid):
            cases.list_cases(uow, JINSONG, "pending")


def test_rectification_steps_out_of_order_are_refused(db: Uow, sworld: World) -> None:
    now = at("2026-11-27 10:00")
    with db() as uow:
        notice = rectifications.issue(uow, JINSONG, "京华物业服务有限公司", "公示收费标准",
                                      date(2026, 12, 4), now, TZ)
        with pytest.raises(BadRectificationStep):
            rectifications.accept(uow, JINSONG, notice.id, now)
        with pytest.raises(Invalid):
            rectifications.issue(uow, JINSONG, sworld.company_id, "x", date(2026, 11, 27), now, TZ)
        with pytest.raises(Invalid):
            rectifications.issue(uow, JINSONG, sworld.company_id, "  ", date(2026, 12, 4), now, TZ)
        with pytest.raises(NotFound):  # another company cannot answer it
            rectifications.answer(uow, sworld.other["company_id"], notice.id, "done", [], now, "x")
        rectifications.answer(uow, sworld.company_id, notice.id, "已公示", [], now, "staff:2")
        with pytest.raises(BadRectificationStep):
            rectifications.answer(uow, sworld.company_id, notice.id, "again", [], now, "staff:2")
        with pytest.raises(Invalid):
            rectifications.send_back(uow, JINSONG, notice.id, now, TZ, "")
        uow.commit()
        actions = uow.session.scalars(select(AuditLog.action)).all()
    assert {"rectification_issued", "rectification_answered"} <= set(actions)


def test_overdue_notices_are_flagged_once_and_stay_counted(sdeps: Deps, sworld: World) -> None:
    deps = sdeps
    with deps.uow() as uow:
        notice = rectifications.issue(uow, JINSONG, sworld.company_id, "更换过期灭火器",
                                      date(2026, 11, 30), at("2026-11-27 10:00"), TZ)
        uow.commit()
        notice_id = notice.id
    job = JOBS["supervision_escalations"]
    assert job(deps, at("2026-11-30 20:00")).changed == 0  # the deadline day is still in time
    assert job(deps, at("2026-12-01 09:15")).changed == 1
    assert job(deps, at("2026-12-02 09:15")).changed == 0
    with deps.uow() as uow:
        rectifications.answer(uow, sworld.company_id, notice_id, "已更换", [], at("2026-12-02 10:00"), "s")
        rectifications.accept(uow, JINSONG, notice_id, at("2026-12-03 10:00"))
        uow.commit()
        notice = uow.session.get(RectificationNotice, notice_id)
        assert notice.status == "accepted" and notice.overdue_at is not None


def test_declining_shares_nothing(owner_chat: Chat, deps: Deps, world: World) -> None:
    asked = owner_chat.text(owner_chat.say("我要向住建委投诉物业，电梯坏了一周没人修"))
    assert "同意转交吗" in asked
    assert "不会提供" in owner_chat.text(owner_chat.press("sup:decline"))
    with deps.uow() as uow:
        assert uow.session.scalars(select(SupervisedCase)).all() == []


def test_a_vague_escalation_asks_what_it_is_about(owner_chat: Chat, deps: Deps, world: World) -> None:
    asked = owner_chat.text(owner_chat.say("物业不管，我找政府"))
    assert "要投诉物业什么事" in asked
    assert "同意转交吗" in owner_chat.text(owner_chat.say("地下车库漏水三个月了"))
    done = owner_chat.text(owner_chat.say("同意"))
    assert "督办编号 D" in done and "朝阳区住房和城乡建设委员会" in done  # no account: the office
    with deps.uow() as uow:
        found = uow.session.scalars(select(SupervisedCase)).one()
        ticket = uow.tickets.get(found.ticket_id)
        assert (found.origin, found.consent, ticket.kind) == ("owner", True, "complaint")
        assert "地下车库漏水三个月了" in ticket.description


def test_ordinary_complaints_stay_with_the_property_office(owner_chat: Chat, deps: Deps, world: World) -> None:
    text = owner_chat.text(owner_chat.say("我要投诉保洁，楼道好几天没打扫"))
    assert "同意转交" not in text


def test_a_case_opens_on_complaints_only(sdeps: Deps, sworld: World, clock: FakeClock) -> None:
    with sdeps.uow() as uow:
        make_ticket(uow, community_id=sworld.community_id, home_id=sworld.home_ids["3-2-501"],
                    owner_id=sworld.owner_ids["13812345678"], created="2026-11-02 10:00")
        uow.commit()
    assert JINSONG.covers is not None
    assert JOBS["supervision_escalations"](sdeps, at("2026-11-27 10:00")).changed == 0


@pytest.mark.parametrize("text", [
    "我要向住建委投诉物业，楼道堆物没人管", "物业不管，我找政府", "我要打12345投诉物业",
    "物业一直不处理，我要向房管局反映", "我要找街道投诉物业",
])
def test_owners_reach_the_regulator_however_they_say_it(owner_chat: Chat, text: str) -> None:
    reply = owner_chat.text(owner_chat.say(text))
    assert "同意转交吗" in reply or "要投诉物业什么事" in reply


@pytest.mark.parametrize("text", ["住建委的电话是多少", "维修基金的政府政策是什么"])
def test_questions_about_the_regulator_are_not_escalations(owner_chat: Chat, text: str) -> None:
    reply = owner_chat.text(owner_chat.say(text))
    assert "同意转交" not in reply and "要投诉物业什么事" not in reply
