"""Staff on WeCom, through the webhook and the real dispatch: binding with an invite code,
a ticket push as a button card, 接单 by clicking it, 完成 with a photo, and refusals."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func, select

from handlers import binding
from handlers.deps import Deps
from handlers.texts import t
from storage.models import Attachment, ChannelIdentity, OutboxMessage, Ticket, TicketEvent
from tests.chat import Chat
from tests.factories import bind_identity
from tests.fakes.wecom_server import FakeWecomServer, payload, serve_webhook, wecom_settings

if TYPE_CHECKING:
    from tests.factories import World
    from tests.fakes.wecom_server import Served

STAFF = "zhangsan"  # 张师傅's WeCom userid
NUMBER = "R20261127001"


@pytest.fixture
async def wc() -> AsyncIterator[FakeWecomServer]:
    async with FakeWecomServer() as server:
        yield server


@pytest.fixture
async def served(wc: FakeWecomServer, deps: Deps, world: World) -> AsyncIterator[Served]:
    async with serve_webhook(deps, wecom_settings(wc.base_url)) as running:
        yield running


@pytest.fixture
def staff_bound(deps: Deps, world: World) -> None:
    with deps.uow() as uow:
        bind_identity(uow, "wecom", STAFF, deps.clock(), staff_id=world.staff_ids["repair"])
        uow.commit()


@pytest.fixture
def reported(staff_bound: None, owner_chat: Chat, deps: Deps) -> str:
    owner_chat.say("卫生间漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    assert ticket(deps).assignee_staff_id is not None
    return NUMBER


def ticket(deps: Deps) -> Ticket:
    with deps.uow() as uow:
        found = uow.tickets.by_number(NUMBER)
        assert found is not None
        uow.session.expunge_all()
        return found


def outbox(deps: Deps, external_id: str, kind: str | None = None) -> list[OutboxMessage]:
    with deps.uow() as uow:
        stmt = (
            select(OutboxMessage)
            .join(ChannelIdentity, ChannelIdentity.id == OutboxMessage.identity_id)
            .where(ChannelIdentity.external_id == external_id)
            .order_by(OutboxMessage.id)
        )
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        rows = list(uow.session.scalars(stmt))
        uow.session.expunge_all()
        return rows


def counts(deps: Deps) -> dict[str, int]:
    with deps.uow() as uow:
        return {
            model.__name__: int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Ticket, TicketEvent, OutboxMessage, Attachment)
        }


async def say(served: Served, wc: FakeWecomServer, name: str, **fields: object) -> dict[str, Any]:
    """Post one callback, let it finish, and return the one app message it caused."""
    before = len(wc.sent())
    assert await served.wecom.post(payload(name, **fields)) == (200, "")
    await served.webhook.flights.drain()
    sent = wc.sent()[before:]
    assert len(sent) == 1, sent
    return sent[0]


def text_of(message: dict[str, Any]) -> str:
    if message["msgtype"] == "text":
        return str(message["text"]["content"])
    card = message["template_card"]
    parts = [card.get("main_title", {}).get("title", ""), card.get("sub_title_text", "")]
    parts += [f"{p['keyname']}：{p['value']}" for p in card.get("horizontal_content_list", [])]
    return "\n".join(p for p in parts if p)


async def test_staff_bind_with_an_invite_code(
    served: Served, wc: FakeWecomServer, deps: Deps, world: World
) -> None:
    with deps.uow() as uow:
        code = binding.issue_invite(uow, deps.clock(), staff_id=world.staff_ids["repair"])
        uow.commit()
    reply = await say(served, wc, "text", userid="lisi", content=f"绑定 {code}", msg_id=11)
    assert text_of(reply) == t("bind_done_staff", "zh", name="张师傅")
    assert reply["touser"] == "lisi"
    with deps.uow() as uow:
        identity = uow.identities.by_external("wecom", "lisi")
        assert identity is not None and identity.staff_id == world.staff_ids["repair"]


async def test_a_ticket_push_is_a_button_card_and_clicking_accept_takes_the_ticket(
    served: Served, wc: FakeWecomServer, deps: Deps, reported: str
) -> None:
    [push] = outbox(deps, STAFF, "staff_ticket")
    result = await served.webhook.api.deliver(STAFF, json.loads(push.payload), push.kind)
    assert result.status == "sent"
    [card_message] = wc.sent()
    card = card_message["template_card"]
    assert card["card_type"] == "button_interaction"
    assert [b["text"] for b in card["button_list"]] == ["接单", "转派", "完成"]
    assert {"keyname": "单号", "value": NUMBER} in card["horizontal_content_list"]
    accept = card["button_list"][0]["key"]
    assert accept == f'/staff_accept{{"ticket": "{NUMBER}"}}'

    owner_pushes = len(outbox(deps, "wang"))
    reply = await say(served, wc, "template_card_event", event_key=accept, task_id=card["task_id"])
    assert ticket(deps).status == "in_progress"
    assert "已接单 R20261127001" in text_of(reply)
    assert [b["text"] for b in reply["template_card"]["button_list"]] == ["完成", "转派"]
    new_owner_pushes = outbox(deps, "wang")[owner_pushes:]
    assert [p.kind for p in new_owner_pushes] == ["ticket_update"]
    assert "师傅已接单" in json.loads(new_owner_pushes[0].payload)["text"]


async def test_done_with_a_photo_resolves_and_keeps_the_photo(
    served: Served, wc: FakeWecomServer, deps: Deps, reported: str
) -> None:
    await say(served, wc, "text", content=f"接单 {NUMBER}", msg_id=21)
    wc.media["PHOTO_1"] = (b"\xff\xd8\xff\xe0 new tap", "image/jpeg")
    kept = await say(served, wc, "image", media_id="PHOTO_1", msg_id=22)
    assert text_of(kept) == t("staff_photo_kept", "zh")
    done = await say(served, wc, "text", content=f"完成 {NUMBER} 已更换水龙头", msg_id=23)
    assert "已标记完成" in text_of(done) and "已附照片1张" in text_of(done)
    resolved = ticket(deps)
    assert resolved.status == "resolved"
    with deps.uow() as uow:
        [attachment] = uow.session.scalars(select(Attachment)).all()
        assert attachment.ticket_id == resolved.id
        assert Path(attachment.ref).read_bytes() == b"\xff\xd8\xff\xe0 new tap"
        note = uow.session.scalars(select(TicketEvent.note).order_by(TicketEvent.id.desc())).first()
    assert note == "已更换水龙头"


async def test_my_tickets_lists_them(
    served: Served, wc: FakeWecomServer, reported: str
) -> None:
    reply = await say(served, wc, "text", content="我的工单", msg_id=31)
    assert NUMBER in json.dumps(reply, ensure_ascii=False)


async def test_a_member_who_is_not_staff_clicking_a_staff_button_is_refused(
    served: Served, wc: FakeWecomServer, deps: Deps, reported: str
) -> None:
    before = counts(deps)
    key = f'/staff_accept{{"ticket": "{NUMBER}"}}'
    reply = await say(served, wc, "template_card_event", userid="stranger", event_key=key)
    assert text_of(reply) == t("access_staff_only", "zh")
    assert ticket(deps).status == "assigned"
    assert counts(deps) == before


async def test_another_companys_staff_cannot_act_on_the_ticket(
    served: Served, wc: FakeWecomServer, deps: Deps, reported: str
) -> None:
    from tests.factories import add_other_company

    with deps.uow() as uow:
        other = add_other_company(uow)
        bind_identity(uow, "wecom", "sun", deps.clock(), staff_id=other["staff_id"])
        uow.commit()
    before = counts(deps)
    reply = await say(served, wc, "text", userid="sun", content=f"接单 {NUMBER}", msg_id=41)
    assert text_of(reply) == t("staff_other_company", "zh")
    assert ticket(deps).status == "assigned" and counts(deps) == before


async def test_the_same_click_delivered_twice_acts_once(
    served: Served, wc: FakeWecomServer, deps: Deps, reported: str
) -> None:
    key = f'/staff_accept{{"ticket": "{NUMBER}"}}'
    await say(served, wc, "template_card_event", event_key=key, create_time=1795744900)
    owner_pushes = len(outbox(deps, "wang"))
    assert await served.wecom.post(
        payload("template_card_event", event_key=key, create_time=1795744900)
    ) == (200, "")
    await served.webhook.flights.drain()
    assert len(wc.sent()) == 1 and len(outbox(deps, "wang")) == owner_pushes


async def test_a_slow_photo_still_reaches_the_done_sent_right_after_it(
    wc: FakeWecomServer, deps: Deps, reported: str
) -> None:
    wc.media["PHOTO_2"] = (b"\xff\xd8\xff\xe0 after", "image/jpeg")
    wc.held.add("/cgi-bin/media/get")  # the download outlasts the deadline of both callbacks
    async with serve_webhook(deps, wecom_settings(wc.base_url, reply_deadline=0.05)) as served:
        await served.wecom.post(payload("image", media_id="PHOTO_2", msg_id=51))
        await served.wecom.post(payload("text", content=f"完成 {NUMBER}", msg_id=52))
        await wc.wait_for("/cgi-bin/media/get")
        wc.release()
        await served.webhook.flights.drain()
    assert ticket(deps).status == "resolved"
    with deps.uow() as uow:
        assert uow.session.scalars(select(Attachment.ticket_id)).one() == ticket(deps).id
    assert "已附照片1张" in text_of(wc.sent()[-1])
