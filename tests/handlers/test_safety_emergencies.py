"""Issue 7, safety: emergencies carry a place, person emergencies call 120/110/119 first,
hypotheticals open nothing, repeated reports join one incident, honest emergency phones.

Dialogue tests through the real NLU and dispatch (no forced intents).
"""

from __future__ import annotations

import json

from sqlalchemy import select

from handlers.deps import Deps
from storage.models import Community, OutboxMessage, Ticket, TicketReporter
from tests.chat import Chat, FakeClock
from tests.factories import World, bind_identity


def _tickets(deps: Deps) -> list[Ticket]:
    with deps.uow() as uow:
        found = list(uow.session.scalars(select(Ticket).order_by(Ticket.id)))
        uow.session.expunge_all()
        return found


def _pushes_to(deps: Deps, identity_id: int) -> list[str]:
    with deps.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.identity_id == identity_id)
                                   .order_by(OutboxMessage.id))
        return [json.loads(r.payload)["text"] for r in rows]


def _manager_chat(deps: Deps, world: World, clock: FakeClock) -> int:
    with deps.uow() as uow:
        identity_id = bind_identity(uow, "wecom", "zhao", clock(), staff_id=world.staff_ids["manager"])
        uow.commit()
    return identity_id


def test_a_lift_emergency_carries_the_building_and_unit_and_the_manager_hears_at_once(
    owner_chat: Chat, deps: Deps, world: World, clock: FakeClock
) -> None:
    manager = _manager_chat(deps, world, clock)
    text = owner_chat.text(owner_chat.say("电梯里困人了 快来"))
    assert text.index("010-64009999") < text.index("不要扒门")
    assert "3号楼2单元 公共区域（电梯）" in text and "已通知值班负责人" in text
    [ticket] = _tickets(deps)
    with deps.uow() as uow:
        building = uow.org.home(world.home_ids["3-2-501"]).building_id
    assert (ticket.building_id, ticket.unit, ticket.urgency) == (building, "2", "emergency")
    [push] = _pushes_to(deps, manager)
    assert "紧急" in push and "3号楼2单元" in push


def test_an_unbound_reporter_is_asked_where_in_the_same_reply_and_the_place_is_added(
    chat: Chat, deps: Deps, world: World, clock: FakeClock
) -> None:
    manager = _manager_chat(deps, world, clock)
    first = chat.text(chat.say("闻到很大的煤气味"))
    assert "关闭燃气总阀" in first and "请告诉我具体位置" in first  # the advice is not delayed
    assert len(_pushes_to(deps, manager)) == 1  # the manager already has it
    added = chat.text(chat.say("12号楼"))
    assert "已把位置（12号楼）补充到紧急工单" in added
    [ticket] = _tickets(deps)
    with deps.uow() as uow:
        assert uow.org.building(ticket.building_id).name == "12"
    assert "位置已确认：12号楼" in _pushes_to(deps, manager)[-1]


def test_someone_fell_and_cannot_get_up_calls_120_first(owner_chat: Chat, deps: Deps) -> None:
    text = owner_chat.text(owner_chat.say("我妈摔倒了起不来"))
    assert text.index("120") < text.index("010-64009999") and "不要随意搬动" in text
    [ticket] = _tickets(deps)
    assert (ticket.kind, ticket.category, ticket.urgency) == ("handoff", "medical", "emergency")
    locked = owner_chat.text(owner_chat.say("孩子被反锁在家里了"))
    assert locked.index("119") < locked.index("010-64009999")
    assert [t.category for t in _tickets(deps)] == ["medical", "locked_in"]


def test_hypothetical_questions_get_advice_but_no_ticket(owner_chat: Chat, deps: Deps) -> None:
    for question in ("着火了怎么办", "煤气泄漏应该怎么处理"):
        replies = owner_chat.say(question)
        assert "如果现在正在发生" in owner_chat.text(replies)
    assert _tickets(deps) == []
    [button] = replies[0].buttons
    assert "紧急工单" in owner_chat.text(owner_chat.press(button.payload))
    assert [t.category for t in _tickets(deps)] == ["gas"]


def test_five_neighbours_about_one_stuck_lift_make_one_incident_and_all_hear_updates(
    owner_chat: Chat, deps: Deps, world: World, clock: FakeClock
) -> None:
    li = Chat(deps, user="li")
    li.bind_to(world.home_ids["3-2-502"], world.owner_ids["13900001111"])
    owner_chat.say("3号楼2单元电梯困人了")
    clock.advance(minutes=3)
    assert "已有工单" in li.text(li.say("电梯被困人了"))
    strangers = [Chat(deps, user=f"n{i}") for i in range(3)]
    for neighbour in strangers:
        assert "已把您加入这张工单" in neighbour.text(neighbour.say("3号楼2单元电梯里有人被困"))
    assert "正在处理" in owner_chat.text(owner_chat.say("电梯还困着人呢"))  # same reporter
    [ticket] = _tickets(deps)
    with deps.uow() as uow:
        assert len(uow.session.scalars(select(TicketReporter)).all()) == 4
        reporters = [uow.identities.by_external("web", u).id for u in ("li", "n0", "n1", "n2")]
    zhang = Chat(deps, user="zhang", channel="wecom")
    with deps.uow() as uow:
        bind_identity(uow, "wecom", "zhang", clock(), staff_id=world.staff_ids["manager"])
        uow.commit()
    zhang.say(f"完成 {ticket.number} 已救出")
    for identity_id in reporters:
        assert any(ticket.number in p for p in _pushes_to(deps, identity_id))
    clock.advance(minutes=40)  # a new incident later is a new ticket
    owner_chat.say("3号楼2单元电梯又困人了")
    assert len(_tickets(deps)) == 2


def test_without_a_24_hour_line_the_bot_says_so_and_gives_public_numbers_as_public(
    owner_chat: Chat, deps: Deps, world: World
) -> None:
    with deps.uow() as uow:
        uow.session.get(Community, world.community_id).emergency_phone = ""
        uow.commit()
    text = owner_chat.text(owner_chat.say("闻到煤气味"))
    assert "没有登记物业24小时应急电话" in text and "不是物业的电话：燃气抢修 96777" in text
    assert "物业服务中心电话 010-64001234（仅工作时间 8:00-20:00 有人接听）" in text
    assert "物业24小时应急电话 010-64001234" not in text
