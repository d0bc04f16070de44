"""An owner's tickets: status, urging, cancel, rating, reopening — and nobody else's."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from handlers.deps import Deps
from storage.models import ChannelIdentity, OutboxMessage, Ticket, TicketEvent
from tests.chat import Chat, FakeClock
from tests.factories import World, bind_identity

NUMBER = "R20261127001"


def _ticket(deps: Deps, number: str = NUMBER) -> Ticket:
    with deps.uow() as uow:
        ticket = uow.tickets.by_number(number)
        assert ticket is not None
        uow.session.expunge_all()
        return ticket


def _events(deps: Deps) -> list[str]:
    with deps.uow() as uow:
        return list(uow.session.scalars(select(TicketEvent.kind).order_by(TicketEvent.id)))


def _pushes(deps: Deps, external_id: str) -> list[str]:
    """The texts queued for one chat account, oldest first."""
    with deps.uow() as uow:
        stmt = (
            select(OutboxMessage.payload)
            .join(ChannelIdentity, ChannelIdentity.id == OutboxMessage.identity_id)
            .where(ChannelIdentity.external_id == external_id)
            .order_by(OutboxMessage.id)
        )
        return [json.loads(p)["text"] for p in uow.session.scalars(stmt)]


@pytest.fixture
def li_chat(deps: Deps, world: World) -> Chat:
    """李秀英, the neighbour at 3-2-502."""
    c = Chat(deps, user="li")
    c.bind_to(world.home_ids["3-2-502"], world.owner_ids["13900001111"])
    return c


@pytest.fixture
def staff(deps: Deps, world: World, clock: FakeClock) -> dict[str, Chat]:
    with deps.uow() as uow:
        bind_identity(uow, "wecom", "zhang", clock(), staff_id=world.staff_ids["repair"])
        bind_identity(uow, "wecom", "zhao", clock(), staff_id=world.staff_ids["manager"])
        uow.commit()
    return {"zhang": Chat(deps, user="zhang", channel="wecom"),
            "zhao": Chat(deps, user="zhao", channel="wecom")}


@pytest.fixture
def reported(owner_chat: Chat, staff: dict[str, Chat]) -> str:
    owner_chat.say("卫生间漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    return NUMBER


def test_status_shows_who_when_and_the_last_steps(owner_chat: Chat, reported: str, staff: dict) -> None:
    staff["zhang"].press(f'/staff_accept{{"ticket": "{reported}"}}')
    replies = owner_chat.say("报修进度", intent="ticket_status")
    text = owner_chat.text(replies)
    assert f"【{reported}】报修·水管/漏水｜处理中" in text
    assert "处理人：张师傅 137****0001" in text
    assert "预计 11月28日 10:00 前处理" in text
    assert "11月27日 10:00 已提交 → 11月27日 10:00 已派单 → 11月27日 10:00 师傅已接单" in text
    assert [b.title for b in replies[0].buttons] == ["催一下", "撤销"]


def test_status_by_number_and_when_late(owner_chat: Chat, reported: str, clock: FakeClock) -> None:
    clock.advance(hours=25)
    text = owner_chat.text(owner_chat.say("R20261127001进度", intent="ticket_status",
                                          entities={"ticket_id": "r20261127001"}))
    assert "已超时" in text


def test_status_by_an_all_digit_number_typed_by_the_owner(
    owner_chat: Chat, li_chat: Chat, reported: str
) -> None:
    # Owners drop the kind letter; the number still finds their own ticket, nobody else's.
    text = owner_chat.text(owner_chat.say("工单20261127001进度怎么样了"))
    assert f"【{reported}】" in text
    assert "没有找到" in li_chat.text(li_chat.say("工单20261127001进度怎么样了"))


def test_no_tickets_yet(owner_chat: Chat) -> None:
    assert "还没有提交过工单" in owner_chat.text(owner_chat.say("报修进度", intent="ticket_status"))


def test_another_owner_sees_exactly_the_reply_of_a_missing_number(
    li_chat: Chat, owner_chat: Chat, reported: str, deps: Deps
) -> None:
    def ask(chat: Chat, action: str, number: str, **extra: str) -> str:
        entities = {"ticket_id": number, **extra}
        return chat.text(chat.say("", intent=action, entities=entities)).replace(number, "N")

    for action, extra in [("ticket_status", {}), ("cancel_ticket", {"confirm": "yes"}),
                          ("rate_service", {"rating": "1"}), ("urge_ticket", {}),
                          ("reopen_ticket", {})]:
        theirs = ask(li_chat, action, reported, **extra)
        assert theirs == ask(li_chat, action, "R20261127999", **extra)
        assert "没有找到您名下的工单" in theirs
    assert "还没有提交过工单" in li_chat.text(li_chat.say("报修进度", intent="ticket_status"))
    ticket = _ticket(deps)
    assert (ticket.status, ticket.urge_count, ticket.rating) == ("assigned", 0, None)


def test_urging_reminds_the_technician_then_the_manager(
    owner_chat: Chat, reported: str, deps: Deps, clock: FakeClock
) -> None:
    assert "已帮您催促 张师傅" in owner_chat.text(owner_chat.press(f'/urge_ticket{{"ticket_id": "{reported}"}}'))
    too_soon = owner_chat.text(owner_chat.say("催一下", intent="ticket_status"))
    assert "刚刚已催过" in too_soon and "10:30 之后" in too_soon
    assert _ticket(deps).urge_count == 1
    assert len(_pushes(deps, "zhang")) == 2 and _pushes(deps, "zhao") == []  # new + urged
    clock.advance(minutes=31)
    owner_chat.say("催一下", intent="ticket_status")
    assert _ticket(deps).urge_count == 2
    assert "业主多次催促" in _pushes(deps, "zhao")[-1]
    assert _events(deps).count("urged") == 2


def test_cancel_asks_first_then_withdraws_and_tells_the_technician(
    owner_chat: Chat, reported: str, deps: Deps
) -> None:
    replies = owner_chat.say("不用修了", intent="cancel_ticket")
    assert "确定要撤销工单 R20261127001" in owner_chat.text(replies)
    assert _ticket(deps).status == "assigned"
    assert "已撤销" in owner_chat.text(owner_chat.press(replies[0].buttons[0].payload))
    assert _ticket(deps).status == "cancelled"
    assert "无需上门" in _pushes(deps, "zhang")[-1]
    again = owner_chat.text(owner_chat.say("", intent="cancel_ticket",
                                           entities={"ticket_id": reported, "confirm": "yes"}))
    assert "不能撤销" in again


def test_cancel_can_be_kept(owner_chat: Chat, reported: str, deps: Deps) -> None:
    owner_chat.say("撤销报修", intent="cancel_ticket")
    assert "继续为您处理" in owner_chat.text(owner_chat.press("cancel:keep"))
    assert _ticket(deps).status == "assigned"


def test_rating_needs_a_finished_ticket_and_closes_it(
    owner_chat: Chat, reported: str, staff: dict, deps: Deps
) -> None:
    assert "没有待评价的工单" in owner_chat.text(owner_chat.say("给师傅五星", intent="rate_service",
                                                              entities={"rating": "5"}))
    staff["zhang"].press(f'/staff_done{{"ticket": "{reported}"}}')
    thanks = owner_chat.text(owner_chat.say("给师傅五星", intent="rate_service", entities={"rating": "5"}))
    assert "感谢您的评价（5星）" in thanks
    ticket = _ticket(deps)
    assert (ticket.status, ticket.rating) == ("closed", 5)
    assert _events(deps)[-1] == "rated"
    assert "已经评价过了" in owner_chat.text(owner_chat.say("", intent="rate_service",
                                                       entities={"ticket_id": reported}))


def test_rating_asks_for_stars_and_takes_a_typed_number(
    owner_chat: Chat, reported: str, staff: dict, deps: Deps
) -> None:
    staff["zhang"].press(f'/staff_done{{"ticket": "{reported}"}}')
    replies = owner_chat.say("评价一下", intent="rate_service")
    assert [b.title for b in replies[0].buttons][:5] == ["⭐1", "⭐2", "⭐3", "⭐4", "⭐5"]
    owner_chat.say("4")
    assert _ticket(deps).rating == 4


def test_a_low_rating_alerts_the_manager_and_offers_a_return_visit(
    owner_chat: Chat, reported: str, staff: dict, deps: Deps
) -> None:
    staff["zhang"].press(f'/staff_done{{"ticket": "{reported}"}}')
    replies = owner_chat.press(f'/rate_service{{"ticket_id": "{reported}", "rating": "1"}}')
    assert "已转给物业经理" in owner_chat.text(replies)
    assert "差评提醒" in _pushes(deps, "zhao")[-1]
    assert replies[0].buttons[0].payload == f'/reopen_ticket{{"ticket_id": "{reported}"}}'


def test_not_fixed_reopens_to_the_same_technician(
    owner_chat: Chat, reported: str, staff: dict, deps: Deps, clock: FakeClock
) -> None:
    staff["zhang"].press(f'/staff_done{{"ticket": "{reported}"}}')
    text = owner_chat.text(owner_chat.press(f'/reopen_ticket{{"ticket_id": "{reported}"}}'))
    assert "已重新打开" in text and "张师傅" in text
    ticket = _ticket(deps)
    assert (ticket.status, ticket.reopen_count, ticket.resolved_at) == ("assigned", 1, None)
    assert "返修" in _pushes(deps, "zhang")[-1]
    staff["zhang"].press(f'/staff_done{{"ticket": "{reported}"}}')
    clock.advance(days=8)
    late = owner_chat.text(owner_chat.press(f'/reopen_ticket{{"ticket_id": "{reported}"}}'))
    assert "超过7天" in late and _ticket(deps).status == "resolved"


def test_an_open_ticket_cannot_be_reopened(owner_chat: Chat, reported: str) -> None:
    text = owner_chat.text(owner_chat.press(f'/reopen_ticket{{"ticket_id": "{reported}"}}'))
    assert "不能返修" in text


def test_dialogue_through_the_real_nlu(owner_chat: Chat, reported: str, staff: dict, deps: Deps) -> None:
    assert "处理人：张师傅" in owner_chat.text(owner_chat.say("报修进度"))
    assert "已帮您催促" in owner_chat.text(owner_chat.say("催一下"))
    assert "确定要撤销" in owner_chat.text(owner_chat.say("不用修了"))
    assert "继续为您处理" in owner_chat.text(owner_chat.say("不撤销了"))
    assert "确定要撤销" in owner_chat.text(owner_chat.say("不用修了"))
    owner_chat.say("算了")
    assert _ticket(deps).status == "assigned"
    staff["zhang"].say(f"完成 {reported}")
    assert "感谢您的评价（5星）" in owner_chat.text(owner_chat.say("给师傅五星"))
    assert _ticket(deps).status == "closed"


def test_not_fixed_said_as_a_rating_reopens(owner_chat: Chat, reported: str, staff: dict, deps: Deps) -> None:
    staff["zhang"].press(f'/staff_done{{"ticket": "{reported}"}}')
    text = owner_chat.text(owner_chat.say("师傅根本没修好", intent="rate_service"))
    assert "已重新打开" in text and _ticket(deps).status == "assigned"


def test_a_typed_yes_or_saying_it_again_confirms_the_withdrawal(
    owner_chat: Chat, reported: str, deps: Deps
) -> None:
    owner_chat.say("不用修了", intent="cancel_ticket")
    owner_chat.say("是的")
    assert _ticket(deps).status == "cancelled"
    owner_chat.say("厨房也漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    owner_chat.say("不用修了")
    owner_chat.say("不用修了")
    assert _ticket(deps, "R20261127002").status == "cancelled"
