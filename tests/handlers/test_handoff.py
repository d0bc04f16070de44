"""Human handoff: a front-desk ticket with context, the desk's hours and phone."""

from __future__ import annotations

import json

from sqlalchemy import select

from handlers.deps import Deps
from storage.models import OutboxMessage, Ticket
from tests.chat import Chat, FakeClock
from tests.factories import World, bind_identity


def _tickets(deps: Deps) -> list[Ticket]:
    with deps.uow() as uow:
        found = list(uow.session.scalars(select(Ticket).order_by(Ticket.id)))
        uow.session.expunge_all()
        return found


def test_handoff_opens_a_front_desk_ticket_with_context(
    owner_chat: Chat, deps: Deps, world: World, clock: FakeClock
) -> None:
    with deps.uow() as uow:
        zhao = bind_identity(uow, "wecom", "zhao", clock(), staff_id=world.staff_ids["manager"])
        uow.commit()
    owner_chat.say("水管漏水", intent="report_repair")  # an unfinished repair flow
    text = owner_chat.text(owner_chat.say("找人工", intent="human_handoff"))
    assert "已为您转人工，单号 H20261127001" in text
    assert "8:00-20:00" in text and "010-64001234" in text
    [ticket] = _tickets(deps)
    assert ticket.kind == "handoff"
    assert "业主留言：找人工" in ticket.description and "report_repair" in ticket.description
    assert "category=plumbing" in ticket.description
    with deps.uow() as uow:  # no front desk staff on file: the manager is told (card + console)
        card, console = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert card.identity_id == console.identity_id == zhao
        assert "H20261127001" in json.loads(card.payload)["text"]
        assert "/console/conversations/" in json.loads(console.payload)["text"]


def test_asking_again_reuses_the_open_handoff(owner_chat: Chat, deps: Deps) -> None:
    owner_chat.say("转人工", intent="human_handoff")
    again = owner_chat.text(owner_chat.say("人呢 转人工", intent="human_handoff"))
    assert "已在排队中" in again and "H20261127001" in again
    assert len(_tickets(deps)) == 1


def test_after_hours_the_owner_is_told_when_the_desk_opens(owner_chat: Chat, clock: FakeClock) -> None:
    clock.advance(hours=12)  # 22:00
    text = owner_chat.text(owner_chat.say("转人工", intent="human_handoff"))
    assert "前台下班时间" in text and "010-64001234" in text


def test_unbound_handoff_points_to_the_office(chat: Chat, deps: Deps) -> None:
    text = chat.text(chat.say("转人工", intent="human_handoff"))
    assert "请直接联系物业服务中心" in text and "望京花园：电话 010-64001234，前台服务时间 8:00-20:00" in text
    assert _tickets(deps) == []


def test_dialogue_through_the_real_nlu(owner_chat: Chat) -> None:
    assert "H20261127001" in owner_chat.text(owner_chat.say("转人工"))


def test_handoff_ticket_carries_the_earlier_messages(owner_chat, deps) -> None:
    """The front desk sees what the owner said before asking for a person."""
    from storage.models import Ticket

    owner_chat.say("楼道灯坏了好几天", intent="complaint")
    owner_chat.say("算了")
    owner_chat.say("转人工", intent="human_handoff")
    with deps.uow() as uow:
        description = uow.session.query(Ticket).filter_by(kind="handoff").one().description
    assert "楼道灯坏了好几天" in description


def test_typing_a_button_title_presses_it(owner_chat) -> None:
    replies = owner_chat.say("我要交物业费", intent="pay_bill", entities={"bill_item": "property_fee"})
    titles = [b.title for r in replies for b in r.buttons]
    assert titles, "pay flow offers buttons"
    after = owner_chat.say(titles[-1])
    assert after and after[0].text
