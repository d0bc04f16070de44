"""Live conversations through the real dispatch: handoff → console inbox, the bot quiet while a
person holds the chat, clerk replies into the outbox, close gives the owner back to the bot."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from handlers.deps import Deps
from handlers.errors import Invalid, NotFound
from handlers.office import conversations
from handlers.office.access import Actor, Scope
from storage.models import AuditLog, Conversation, ConversationMessage, OutboxMessage
from storage.stores.live import MemoryLiveBus
from tests.chat import Chat, FakeClock
from tests.factories import World, add_other_company, add_staff, bind_identity


@pytest.fixture
def heard() -> list[dict]:
    return []


@pytest.fixture
def live_deps(deps: Deps, heard: list[dict]) -> Deps:
    bus = MemoryLiveBus()
    bus.listen(lambda topic, data: heard.append({"topic": topic, **data}))
    return replace(deps, live=bus)


@pytest.fixture
def desk(live_deps: Deps, world: World, clock: FakeClock) -> dict[str, int]:
    with live_deps.uow() as uow:
        staff_id = add_staff(uow, world.company_id, "小前台", "13500000001", "front_desk")
        identity = bind_identity(uow, "wecom", "desk-1", clock(), staff_id=staff_id)
        uow.commit()
    return {"staff_id": staff_id, "identity_id": identity}


def actor(world: World, staff_id: int, role: str = "front_desk") -> Actor:
    return Actor(1, "staff", role, "小前台", Scope(company_id=world.company_id), staff_id=staff_id)


def lines(deps: Deps) -> list[tuple[str, str]]:
    with deps.uow() as uow:
        return [(m.sender, m.text) for m in uow.session.scalars(
            select(ConversationMessage).order_by(ConversationMessage.id))]


def test_handoff_opens_a_conversation_and_pushes_the_desk(
    live_deps: Deps, world: World, desk: dict[str, int], heard: list[dict]
) -> None:
    owner = Chat(live_deps, user="wang")
    owner.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    owner.say("楼道灯坏了好几天")
    assert "H20261127001" in owner.text(owner.say("转人工"))
    with live_deps.uow() as uow:
        [conv] = uow.session.scalars(select(Conversation)).all()
        assert conv.status == "waiting" and conv.channel == "web"
        conv_id = conv.id
        pushes = [json.loads(o.payload)["text"] for o in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.identity_id == desk["identity_id"]))]
    assert any(f"/console/conversations/{conv_id}" in p and "回复 H20261127001" in p for p in pushes)
    assert ("owner", "楼道灯坏了好几天") in lines(live_deps)
    assert heard and heard[-1]["conversation_id"] == conv_id  # nudged after the commit


def test_the_bot_is_quiet_while_held_and_back_after_close(
    live_deps: Deps, world: World, desk: dict[str, int], clock: FakeClock
) -> None:
    owner = Chat(live_deps, user="wang")
    owner.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    owner.say("转人工")
    assert owner.say("物业费还欠多少") == []  # a person holds the chat: no bot answer
    owner.photo("media/leak.jpg")
    with live_deps.uow() as uow:
        conv = uow.session.scalars(select(Conversation)).one()
        clerk = actor(world, desk["staff_id"])
        line = conversations.reply(uow, live_deps, clerk, conv.id, "您好，我是前台，请讲", clock())
        uow.commit()
        row = uow.session.get(OutboxMessage, line.outbox_id)
        assert row.kind == "console_reply" and row.channel == "web"
        assert "【物业前台 小前台】您好" in json.loads(row.payload)["text"]
        assert conv.status == "open" and conv.assignee_staff_id == desk["staff_id"]
    assert owner.say("好的 谢谢") == []
    with live_deps.uow() as uow:
        conv = uow.session.scalars(select(Conversation)).one()
        conversations.close(uow, live_deps, actor(world, desk["staff_id"]), conv.id, clock())
        uow.commit()
        closing = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert "智能助手继续为您服务" in json.loads(closing.payload)["text"]
        actions = [a.action for a in uow.session.scalars(select(AuditLog))]
        assert "console.conversation_reply" in actions and "console.conversation_close" in actions
    assert "物业费" in owner.text(owner.say("物业费还欠多少"))  # the bot answers again
    said = lines(live_deps)
    assert ("owner", "物业费还欠多少") in said and ("owner", "好的 谢谢") in said
    with live_deps.uow() as uow:
        photo = uow.session.scalars(select(ConversationMessage).where(
            ConversationMessage.media_kind == "photo")).one()
        assert photo.media_ref == "media/leak.jpg"


def test_a_clerk_answers_from_the_phone(
    live_deps: Deps, world: World, desk: dict[str, int], clock: FakeClock
) -> None:
    owner = Chat(live_deps, user="wang")
    owner.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    owner.say("转人工")
    phone = Chat(live_deps, user="desk-1", channel="wecom")
    assert "已发送" in phone.text(phone.say("回复 H20261127001 马上派人上门"))
    assert ("staff", "马上派人上门") in lines(live_deps)
    assert "没有找到" in phone.text(phone.say("回复 H99 你好"))


def test_another_company_and_closed_conversations_are_refused(
    live_deps: Deps, world: World, desk: dict[str, int], clock: FakeClock
) -> None:
    owner = Chat(live_deps, user="wang")
    owner.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    owner.say("转人工")
    with live_deps.uow() as uow:
        other = add_other_company(uow)
        uow.commit()
        conv = uow.session.scalars(select(Conversation)).one()
        stranger = Actor(9, "staff", "front_desk", "外人", Scope(company_id=other["company_id"]),
                         staff_id=other["staff_id"])
        with pytest.raises(NotFound):
            conversations.reply(uow, live_deps, stranger, conv.id, "hi", clock())
        with pytest.raises(NotFound):
            conversations.get(uow, stranger, conv.id)
        assert conversations.inbox(uow, stranger, None, 50, None) == []
        conversations.close(uow, live_deps, actor(world, desk["staff_id"]), conv.id, clock())
        with pytest.raises(Invalid):
            conversations.reply(uow, live_deps, actor(world, desk["staff_id"]), conv.id, "hi", clock())
