"""Issue 7: staff are not owners — a staff menu, and no action buttons on a cancelled ticket's push."""

from __future__ import annotations

import json

from sqlalchemy import select

from handlers.deps import Deps
from storage.models import OutboxMessage
from tests.chat import Chat, FakeClock
from tests.factories import World, bind_identity


def test_a_bound_staff_account_gets_the_staff_menu_not_the_owner_greeting(
    deps: Deps, world: World, clock: FakeClock
) -> None:
    with deps.uow() as uow:
        bind_identity(uow, "web", "zhang", clock(), staff_id=world.staff_ids["repair"])
        uow.commit()
    zhang = Chat(deps, user="zhang")
    replies = zhang.say("你好")
    text = zhang.text(replies)
    assert "工作人员账号" in text and "接单" in text and "查账单" not in text
    assert [b.payload for r in replies for b in r.buttons] == ["/staff_list"]


def test_a_cancelled_ticket_push_has_no_action_buttons(
    owner_chat: Chat, deps: Deps, world: World, clock: FakeClock
) -> None:
    with deps.uow() as uow:
        staff_identity = bind_identity(uow, "web", "zhang", clock(), staff_id=world.staff_ids["repair"])
        uow.commit()
    owner_chat.say("卫生间漏水")
    owner_chat.say("确认")
    owner_chat.say("不用修了")
    owner_chat.say("确认")
    with deps.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.identity_id == staff_identity)
                                   .order_by(OutboxMessage.id)).all()
        payloads = [json.loads(r.payload) for r in rows]
    assert payloads and payloads[0]["buttons"]  # the new ticket: 接单 / 转派 / 完成
    cancelled = [p for p in payloads if "已撤销" in p["text"]]
    assert cancelled and all(p["buttons"] == [] for p in cancelled)
    zhang = Chat(deps, user="zhang")
    late = zhang.text(zhang.press(payloads[0]["buttons"][0]["payload"]))  # an old card's button
    assert "当前状态为“已撤销”" in late  # answered with the ticket's current state
