"""Complaints and suggestions: vague ones are asked about, photos attach, C…/S… numbers."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from handlers.deps import Deps
from storage.models import Attachment, Ticket
from tests.chat import Chat
from tests.factories import World, add_staff


def _tickets(deps: Deps) -> list[Ticket]:
    with deps.uow() as uow:
        found = list(uow.session.scalars(select(Ticket).order_by(Ticket.id)))
        uow.session.expunge_all()
        return found


def test_a_clear_complaint_is_confirmed_then_filed(owner_chat: Chat, deps: Deps, world: World) -> None:
    replies = owner_chat.say("楼上天天半夜装修太吵了", intent="complaint")
    text = owner_chat.text(replies)
    assert "类型：噪音" in text and "内容：楼上天天半夜装修太吵了" in text
    assert [b.payload for b in replies[0].buttons] == ["complaint:confirm", "complaint:cancel"]
    assert _tickets(deps) == []
    done = owner_chat.text(owner_chat.press("complaint:confirm"))
    assert "投诉已受理，单号 C20261127001" in done and "赵经理" in done
    [ticket] = _tickets(deps)
    assert (ticket.kind, ticket.category, ticket.assignee_staff_id) == (
        "complaint", "noise", world.staff_ids["manager"])


def test_a_vague_complaint_is_asked_about_and_photos_attach(owner_chat: Chat, deps: Deps) -> None:
    first = owner_chat.text(owner_chat.say("我要投诉", intent="complaint"))
    assert "请具体说说发生了什么" in first
    owner_chat.photo("media/trash.jpg")
    confirm = owner_chat.text(owner_chat.say("垃圾桶两天没人清理"))
    assert "类型：保洁卫生" in confirm
    owner_chat.say("确认")
    [ticket] = _tickets(deps)
    assert ticket.description == "垃圾桶两天没人清理"
    with deps.uow() as uow:
        assert uow.session.scalars(select(Attachment.ticket_id)).one() == ticket.id


def test_a_cleaning_complaint_goes_to_the_cleaning_team(
    owner_chat: Chat, deps: Deps, world: World
) -> None:
    with deps.uow() as uow:
        cleaner = add_staff(uow, world.company_id, "刘阿姨", "13700000005", "cleaning")
        uow.commit()
    owner_chat.say("保洁不干净楼道好几天没拖", intent="complaint")
    owner_chat.press("complaint:confirm")
    assert _tickets(deps)[0].assignee_staff_id == cleaner


def test_a_suggestion_is_thanked_with_its_number(owner_chat: Chat, deps: Deps) -> None:
    confirm = owner_chat.text(owner_chat.say("建议在车库加装充电桩", intent="suggestion"))
    assert "请确认您的建议" in confirm
    done = owner_chat.text(owner_chat.press("complaint:confirm"))
    assert "感谢您的建议" in done and "S20261127001" in done
    [ticket] = _tickets(deps)
    assert (ticket.kind, ticket.urgency) == ("suggestion", "low")


def test_cancel_leaves_nothing(owner_chat: Chat, deps: Deps) -> None:
    owner_chat.say("保安态度很差", intent="complaint")
    assert "已取消" in owner_chat.text(owner_chat.press("complaint:cancel"))
    assert _tickets(deps) == []


def test_complaints_count_towards_the_daily_cap(deps: Deps, world: World) -> None:
    capped = dataclasses.replace(deps, settings=dataclasses.replace(deps.settings, max_tickets_per_day=1))
    li = Chat(capped, user="li")
    li.bind_to(world.home_ids["3-2-502"], world.owner_ids["13900001111"])
    li.say("楼下狗叫一整夜", intent="complaint")
    li.press("complaint:confirm")
    assert "已达当日上限" in li.text(li.say("建议多种树", intent="suggestion"))
    assert len(_tickets(capped)) == 1


def test_dialogue_through_the_real_nlu(owner_chat: Chat, deps: Deps) -> None:
    assert "类型：噪音" in owner_chat.text(owner_chat.say("楼上太吵了"))
    assert "C20261127001" in owner_chat.text(owner_chat.say("确认"))
    assert "请确认您的建议" in owner_chat.text(owner_chat.say("建议加装充电桩"))
    assert "S20261127001" in owner_chat.text(owner_chat.say("好的"))
