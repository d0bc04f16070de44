"""A supervised case end to end: an owner's complaint in the chat, working days across the
National Day holiday, the job, the owner's escalation, a rectification returned once and
then accepted — every party told at each step."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from handlers.deps import Deps
from handlers.jobs import JOBS
from handlers.supervision import cases, rectifications
from handlers.supervision.accounts import add_regulator
from handlers.supervision.scope import scope_of
from storage.models import OutboxMessage, RectificationNotice, SupervisedCase, Ticket
from tests.chat import Chat, FakeClock
from tests.factories import World, bind_identity
from tests.handlers.supervision.helpers import TZ, at


def pushes(deps: Deps, identity_id: int) -> list[str]:
    with deps.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.identity_id == identity_id).order_by(OutboxMessage.id))
        return [json.loads(r.payload)["text"] for r in rows]


def identity_of(deps: Deps, chat: Chat) -> int:
    from storage.models import ChannelIdentity

    with deps.uow() as uow:
        return uow.session.scalars(select(ChannelIdentity.id).where(
            ChannelIdentity.external_id == chat.user)).one()


def test_from_the_owners_chat_to_an_accepted_rectification(
    sdeps: Deps, sworld: World, clock: FakeClock,
) -> None:
    deps = sdeps
    clock.now = at("2026-09-29 10:00")  # a Tuesday; 1–7 October is the National Day holiday
    owner = Chat(deps, user="wang")
    owner.bind_to(sworld.home_ids["3-2-501"], sworld.owner_ids["13812345678"])
    manager = Chat(deps, user="zhao-mgr")
    with deps.uow() as uow:
        bind_identity(uow, "web", "zhao-mgr", clock.now, staff_id=sworld.staff_ids["manager"])
        reg = add_regulator(uow, name="陈立新", district="朝阳区", street="劲松街道",
                            phone="17100009001", department="朝阳区劲松街道办事处", now=clock.now)
        scope = scope_of(reg.regulator)
        uow.commit()

    # The owner complains; the property office does nothing.
    owner.say("我要投诉，楼道里堆满了杂物，一个月没人清理")
    assert "C2026" in owner.text(owner.say("确认提交"))
    owner_id, manager_id = identity_of(deps, owner), identity_of(deps, manager)

    # Five working days after 29 Sep: 30 Sep, 8, 9, 10 (a make-up Saturday) and 12 Oct.
    job = JOBS["supervision_escalations"]
    assert job(deps, at("2026-10-09 09:15")).changed == 0  # a Mon–Fri count would open it here
    assert job(deps, at("2026-10-12 18:00")).changed == 0
    report = job(deps, at("2026-10-13 09:15"))
    assert report.changed == 1
    assert job(deps, at("2026-10-13 10:15")).changed == 0  # once
    assert any("超过5个工作日" in p and "朝阳区劲松街道办事处" in p for p in pushes(deps, owner_id))
    assert any("督办件" in p for p in pushes(deps, manager_id))
    with deps.uow() as uow:
        case_id = uow.session.scalars(select(SupervisedCase.id)).one()
        assert cases.list_cases(uow, scope, "open")[0]["owner"] is None  # no consent yet

    # The owner turns to the government and agrees to share.
    clock.now = at("2026-10-13 11:00")
    asked = owner.text(owner.say("物业不管，我找政府"))
    assert "同意转交吗" in asked and "朝阳区劲松街道办事处" in asked
    done = owner.text(owner.say("同意"))
    assert f"D{case_id}" in done and "朝阳区劲松街道办事处" in done
    with deps.uow() as uow:
        view = cases.list_cases(uow, scope, "open")[0]
        assert view["owner"]["name"] == "王建国" and view["owner"]["home"] == "3-2-501"

        # The regulator orders a rectification; the managers hear at once.
        notice = rectifications.issue(uow, scope, "京华物业服务有限公司", "三日内清理3号楼楼道杂物",
                                      date(2026, 10, 16), clock.now, TZ, case_id=case_id)
        uow.commit()
        notice_id = notice.id
    assert any(f"整改通知 Z{notice_id}" in p for p in pushes(deps, manager_id))
    assert any("下发整改通知" in p and "2026-10-16" in p for p in pushes(deps, owner_id))

    # The manager answers from the chat with a photo.
    clock.now = at("2026-10-14 16:00")
    manager.photo("media/after-1.jpg")
    answered = manager.text(manager.say(f"整改 Z{notice_id} 已清理3号楼2单元楼道杂物"))
    assert "照片 1 张" in answered
    assert any("物业已提交" in p for p in pushes(deps, owner_id))

    # Returned once (not enough), answered again, then accepted.
    with deps.uow() as uow:
        rectifications.send_back(uow, scope, notice_id, at("2026-10-15 10:00"), TZ,
                                 "1单元仍有堆物", date(2026, 10, 20))
        uow.commit()
    assert any("整改退回" in p for p in pushes(deps, manager_id))
    assert any("退回物业重新整改" in p for p in pushes(deps, owner_id))
    clock.now = at("2026-10-19 09:00")
    manager.photo("media/after-2.jpg")
    again = manager.text(manager.say(f"整改 Z{notice_id} 1单元杂物已全部清理"))
    assert "照片 1 张" in again  # the first answer's photo is not taken twice
    with deps.uow() as uow:
        rectifications.accept(uow, scope, notice_id, at("2026-10-19 15:00"), "现场核查通过")
        uow.commit()
    with deps.uow() as uow:
        notice = uow.session.get(RectificationNotice, notice_id)
        assert (notice.status, notice.overdue_at) == ("accepted", None)
        assert rectifications.view(uow, notice)["photos"] == ["media/after-1.jpg", "media/after-2.jpg"]
        assert uow.session.get(SupervisedCase, case_id).status == "closed"
        assert uow.session.scalars(select(Ticket.kind)).all() == ["complaint"]  # no duplicate
    assert any("验收" in p and "督办结束" in p for p in pushes(deps, owner_id))
    assert any(f"整改通过 Z{notice_id}" in p for p in pushes(deps, manager_id))
