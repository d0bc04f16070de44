"""Staff actions from their phone: accept, transfer, done, list — only within their company."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from handlers.deps import Deps
from storage.models import Attachment, ChannelIdentity, OutboxMessage, Ticket, TicketEvent
from tests.chat import Chat, FakeClock
from tests.factories import World, add_other_company, add_staff, bind_identity

NUMBER = "R20261127001"


def _ticket(deps: Deps) -> Ticket:
    with deps.uow() as uow:
        ticket = uow.tickets.by_number(NUMBER)
        assert ticket is not None
        uow.session.expunge_all()
        return ticket


def _pushes(deps: Deps, external_id: str) -> list[dict]:
    with deps.uow() as uow:
        stmt = (
            select(OutboxMessage.payload)
            .join(ChannelIdentity, ChannelIdentity.id == OutboxMessage.identity_id)
            .where(ChannelIdentity.external_id == external_id)
            .order_by(OutboxMessage.id)
        )
        return [json.loads(p) for p in uow.session.scalars(stmt)]


@pytest.fixture
def team(deps: Deps, world: World, clock: FakeClock) -> dict[str, Chat]:
    """张师傅 and 赵经理 on WeCom, a second plumber 李师傅, and 孙师傅 of another company."""
    with deps.uow() as uow:
        li_id = add_staff(uow, world.company_id, "李师傅", "13700000004", "repair", "plumbing")
        other = add_other_company(uow)
        for user, staff_id in [("zhang", world.staff_ids["repair"]), ("zhao", world.staff_ids["manager"]),
                               ("lishifu", li_id), ("sun", other["staff_id"])]:
            bind_identity(uow, "wecom", user, clock(), staff_id=staff_id)
        uow.commit()
    return {u: Chat(deps, user=u, channel="wecom") for u in ("zhang", "zhao", "lishifu", "sun")}


@pytest.fixture
def reported(owner_chat: Chat, team: dict[str, Chat], deps: Deps) -> str:
    owner_chat.say("卫生间漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    assert _ticket(deps).assignee_staff_id is not None
    return NUMBER


def test_the_least_loaded_plumber_gets_the_ticket(reported: str, deps: Deps, world: World) -> None:
    assert _ticket(deps).assignee_staff_id == world.staff_ids["repair"]  # tie: lowest id


def test_accept_by_button_puts_it_in_progress_and_tells_the_owner(
    reported: str, team: dict[str, Chat], deps: Deps
) -> None:
    replies = team["zhang"].press(f'/staff_accept{{"ticket": "{reported}"}}')
    assert "已接单 R20261127001" in team["zhang"].text(replies)
    assert _ticket(deps).status == "in_progress"
    assert "师傅已接单" in _pushes(deps, "wang")[-1]["text"]
    again = team["zhang"].text(team["zhang"].say(f"接单 {reported}"))
    assert "您已接单" in again


def test_typed_commands_work_like_buttons(reported: str, team: dict[str, Chat], deps: Deps) -> None:
    team["zhang"].say(f"接单 {reported.lower()}")
    assert _ticket(deps).status == "in_progress"
    team["zhang"].photo("media/after.jpg")
    done = team["zhang"].text(team["zhang"].say(f"完成 {reported} 已更换角阀"))
    assert "已标记完成" in done and "已附照片1张" in done
    ticket = _ticket(deps)
    assert ticket.status == "resolved" and ticket.resolved_at is not None
    with deps.uow() as uow:
        assert uow.session.scalars(select(Attachment.ticket_id)).one() == ticket.id
        note = uow.session.scalars(select(TicketEvent.note).order_by(TicketEvent.id.desc())).first()
    assert note == "已更换角阀"
    push = _pushes(deps, "wang")[-1]
    assert "已处理完成（已更换角阀）" in push["text"]
    assert [b["title"] for b in push["buttons"]] == ["⭐1", "⭐2", "⭐3", "⭐4", "⭐5", "没修好"]


def test_done_without_accepting_first_sends_one_owner_push(
    reported: str, team: dict[str, Chat], deps: Deps
) -> None:
    before = len(_pushes(deps, "wang"))
    team["zhang"].press(f'/staff_done{{"ticket": "{reported}"}}')
    assert len(_pushes(deps, "wang")) == before + 1
    with deps.uow() as uow:
        kinds = list(uow.session.scalars(select(TicketEvent.kind).order_by(TicketEvent.id)))
    assert kinds == ["created", "assigned", "accepted", "resolved"]


def test_transfer_offers_colleagues_of_the_same_company_then_hands_over(
    reported: str, team: dict[str, Chat], deps: Deps, world: World
) -> None:
    offer = team["zhang"].press(f'/staff_transfer{{"ticket": "{reported}"}}')
    titles = [b.title for b in offer[0].buttons]
    assert titles == ["赵经理（经理）", "李师傅（维修）"]  # not 孙师傅 (other company), not 钱会计
    li_button = offer[0].buttons[1].payload
    assert "已转派给 李师傅" in team["zhang"].text(team["zhang"].press(li_button))
    assert _ticket(deps).assignee_staff_id != world.staff_ids["repair"]
    assert "转派工单" in _pushes(deps, "lishifu")[-1]["text"]
    assert "已转交 李师傅" in _pushes(deps, "wang")[-1]["text"]
    # 张师傅 no longer holds it: he cannot close it
    assert "已派给其他同事" in team["zhang"].text(team["zhang"].say(f"完成 {reported}"))


def test_transfer_to_another_company_is_forbidden(
    reported: str, team: dict[str, Chat], deps: Deps
) -> None:
    with deps.uow() as uow:
        sun = uow.identities.by_external("wecom", "sun").staff_id
    text = team["zhang"].text(team["zhang"].press(f'/staff_transfer{{"ticket": "{reported}", "to": "{sun}"}}'))
    assert "不属于您所在的物业公司" in text
    assert _ticket(deps).assignee_staff_id != sun


def test_staff_of_another_company_are_forbidden(reported: str, team: dict[str, Chat], deps: Deps) -> None:
    for action in ("staff_accept", "staff_done", "staff_transfer"):
        text = team["sun"].text(team["sun"].press(f'/{action}{{"ticket": "{reported}"}}'))
        assert "不属于您所在的物业公司" in text
    assert _ticket(deps).status == "assigned"


def test_owners_cannot_press_staff_buttons(reported: str, owner_chat: Chat, deps: Deps) -> None:
    owner_chat.press(f'/staff_done{{"ticket": "{reported}"}}')
    assert _ticket(deps).status == "assigned"


def test_the_manager_may_take_over_and_sees_unassigned_tickets(
    owner_chat: Chat, reported: str, team: dict[str, Chat], deps: Deps
) -> None:
    owner_chat.say("电梯坏了", intent="report_repair")  # nobody handles lifts: unassigned
    owner_chat.press("repair:confirm")
    listing = team["zhao"].text(team["zhao"].say("我的工单"))
    assert "R20261127002" in listing and "待派单" in listing
    team["zhao"].say(f"接单 {reported}")
    assert _ticket(deps).status == "in_progress"


def test_my_tickets_lists_open_ones_with_buttons(reported: str, team: dict[str, Chat]) -> None:
    replies = team["zhang"].say("我的工单")
    text = team["zhang"].text(replies)
    assert "待处理工单（1）" in text and "望京花园 3-2-501" in text
    assert replies[0].buttons[0].payload == f'/staff_accept{{"ticket": "{reported}"}}'
    assert "没有待处理的工单" in team["lishifu"].text(team["lishifu"].say("我的工单"))


def test_staff_asking_for_progress_get_their_list(reported: str, team: dict[str, Chat]) -> None:
    text = team["zhang"].text(team["zhang"].say("工单进度", intent="ticket_status"))
    assert "待处理工单（1）" in text
