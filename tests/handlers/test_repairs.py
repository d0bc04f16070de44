"""Repairs through the chat harness: slot filling, photos, confirmation, emergencies, the cap."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from handlers.deps import Deps
from handlers.tickets_core import TicketDraft, open_ticket
from storage.models import Attachment, OutboxMessage, Ticket, TicketEvent
from tests.chat import Chat, FakeClock
from tests.factories import World, bind_identity

SHANGHAI_10AM = datetime.fromisoformat("2026-11-27T10:00:00+08:00")


def _tickets(deps: Deps) -> list[Ticket]:
    with deps.uow() as uow:
        found = list(uow.session.scalars(select(Ticket).order_by(Ticket.id)))
        uow.session.expunge_all()  # keep the loaded values after the unit of work rolls back
        return found


def _events(deps: Deps, ticket_id: int) -> list[str]:
    with deps.uow() as uow:
        stmt = select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket_id)
        return list(uow.session.scalars(stmt.order_by(TicketEvent.id)))


def _payloads(replies: list) -> list[str]:
    return [b.payload for r in replies for b in r.buttons]


@pytest.fixture
def zhang(deps: Deps, world: World, clock: FakeClock) -> Chat:
    """张师傅's WeCom account (repair: plumbing, electrical)."""
    with deps.uow() as uow:
        bind_identity(uow, "wecom", "zhang", clock(), staff_id=world.staff_ids["repair"])
        uow.commit()
    return Chat(deps, user="zhang", channel="wecom")


def test_a_clear_report_goes_straight_to_the_confirmation(owner_chat: Chat, deps: Deps) -> None:
    replies = owner_chat.say("卫生间漏水很严重", intent="report_repair")
    text = owner_chat.text(replies)
    assert "类别：水管/漏水" in text and "位置：3-2-501 家中" in text
    assert "紧急程度：加急" in text and "描述：卫生间漏水很严重" in text
    assert _payloads(replies) == ["repair:confirm", "repair:cancel"]
    assert _tickets(deps) == []  # nothing is written before the owner confirms

    done = owner_chat.text(owner_chat.press("repair:confirm"))
    assert "单号 R20261127001（报修·水管/漏水）" in done
    assert "张师傅 137****0001" in done
    assert "11月27日 14:00 前" in done  # high urgency: 4 hours
    [ticket] = _tickets(deps)
    assert (ticket.status, ticket.urgency, ticket.category, ticket.location) == (
        "assigned", "high", "plumbing", "home")
    assert ticket.sla_due_at == SHANGHAI_10AM + timedelta(hours=4)
    assert _events(deps, ticket.id) == ["created", "assigned"]


def test_only_what_is_missing_is_asked(owner_chat: Chat, deps: Deps) -> None:
    first = owner_chat.say("我要报修", intent="report_repair")
    assert "请描述一下哪里坏了" in owner_chat.text(first)
    assert first[0].buttons == ()
    second = owner_chat.say("水管爆了")
    assert "在您家里，还是小区公共区域" in owner_chat.text(second)  # category was understood
    assert _payloads(second) == ["repair:loc:home", "repair:loc:public"]
    third = owner_chat.press("repair:loc:home")
    assert "类别：水管/漏水" in owner_chat.text(third) and "紧急程度：加急" in owner_chat.text(third)
    owner_chat.say("确认")
    assert [t.description for t in _tickets(deps)] == ["水管爆了"]


@pytest.mark.parametrize(
    ("words", "category", "place"),
    [
        ("楼道灯不亮了", "电路/电器", "公共区域（楼道）"),
        ("电梯坏了", "电梯", "公共区域（电梯）"),
        ("我家厨房插座没电", "电路/电器", "3-2-501 家中"),
    ],
    ids=["楼道灯不亮了", "电梯坏了", "我家厨房插座没电"],
)
def test_category_and_place_are_inferred(owner_chat: Chat, words: str, category: str, place: str) -> None:
    text = owner_chat.text(owner_chat.say(words, intent="report_repair"))
    assert f"类别：{category}" in text and f"位置：{place}" in text


def test_an_unplaceable_problem_asks_for_its_category(owner_chat: Chat, deps: Deps) -> None:
    replies = owner_chat.say("家里衣柜合页掉了", intent="report_repair")
    assert "属于哪一类问题" in owner_chat.text(replies)
    assert "repair:cat:door_window" in _payloads(replies)
    confirm = owner_chat.press("repair:cat:other")
    assert "类别：其他" in owner_chat.text(confirm)
    owner_chat.press("repair:confirm")
    assert _tickets(deps)[0].category == "other"


def test_typed_number_picks_the_offered_button(owner_chat: Chat, deps: Deps) -> None:
    owner_chat.say("水管漏水", intent="report_repair")
    owner_chat.say("2")  # 2 = 公共区域
    owner_chat.say("1")  # 1 = 确认提交
    [ticket] = _tickets(deps)
    assert ticket.location == "public"


def test_cancel_leaves_no_ticket(owner_chat: Chat, deps: Deps) -> None:
    owner_chat.say("马桶堵了", intent="report_repair")
    assert "已取消" in owner_chat.text(owner_chat.press("repair:cancel"))
    assert "已取消" not in owner_chat.text(owner_chat.say("马桶堵了", intent="report_repair"))
    assert "已取消" in owner_chat.text(owner_chat.say("算了"))
    assert _tickets(deps) == []


def test_a_photo_first_is_kept_then_attached(owner_chat: Chat, deps: Deps) -> None:
    kept = owner_chat.text(owner_chat.photo("media/leak.jpg"))
    assert "照片已收到并保存" in kept and "是什么坏了" in kept
    confirm = owner_chat.text(owner_chat.say("阳台窗户关不上"))
    assert "类别：门窗/门锁" in confirm and "3-2-501 家中" in confirm
    owner_chat.photo("media/window2.jpg")  # inside the flow: attached, the question repeated
    done = owner_chat.text(owner_chat.press("repair:confirm"))
    assert "已附照片2张" in done
    with deps.uow() as uow:
        refs = [a.ref for a in uow.session.scalars(select(Attachment).order_by(Attachment.id))]
        linked = {a.ticket_id for a in uow.session.scalars(select(Attachment))}
    assert refs == ["media/leak.jpg", "media/window2.jpg"]
    assert linked == {_tickets(deps)[0].id}


def test_a_photo_from_an_unbound_account_is_kept(chat: Chat, deps: Deps) -> None:
    assert "请先绑定房屋" in chat.text(chat.photo("media/x.jpg"))
    with deps.uow() as uow:
        assert uow.session.scalars(select(Attachment.ticket_id)).one() is None


def test_gas_smell_gets_the_emergency_phone_and_an_urgent_ticket_at_once(
    owner_chat: Chat, deps: Deps, world: World, clock: FakeClock
) -> None:
    with deps.uow() as uow:
        bind_identity(uow, "wecom", "zhao", clock(), staff_id=world.staff_ids["manager"])
        uow.commit()
    replies = owner_chat.say("厨房闻到煤气味了", intent="report_repair")
    text = owner_chat.text(replies)
    assert "010-64009999" in text and "96777" in text and "不要开关任何电器" in text
    assert "R20261127001" in text and replies[0].buttons == ()
    [ticket] = _tickets(deps)
    assert (ticket.urgency, ticket.category, ticket.status) == ("emergency", "gas", "new")
    assert ticket.sla_due_at == SHANGHAI_10AM + timedelta(minutes=30)
    with deps.uow() as uow:  # nobody handles gas: the manager gets it, marked urgent
        [push] = uow.session.scalars(select(OutboxMessage)).all()
        uow.session.expunge_all()
    assert push.kind == "staff_ticket" and "紧急工单" in push.payload


def test_emergencies_are_caught_whatever_the_intent_or_flow(owner_chat: Chat, deps: Deps) -> None:
    lift = owner_chat.text(owner_chat.say("有人被困在电梯里了", intent="complaint"))
    assert "不要扒门" in lift and "010-64009999" in lift
    owner_chat.say("我要报修", intent="report_repair")
    sparks = owner_chat.text(owner_chat.say("插座冒火花了"))  # mid-flow, through dispatch
    assert "119" in sparks and "拉下电闸" in sparks
    kinds = [(t.category, t.location, t.urgency) for t in _tickets(deps)]
    assert kinds == [("elevator", "public", "emergency"), ("electrical", "home", "emergency")]
    assert "不需要" not in owner_chat.text(owner_chat.say("没有燃气味了", intent="report_repair"))
    assert len(_tickets(deps)) == 2  # a negated smell is not an emergency


def test_an_unbound_emergency_still_gets_safety_advice(chat: Chat, deps: Deps) -> None:
    text = chat.text(chat.say("闻到燃气味", intent="report_repair"))
    # Issue 7: the advice, a ticket for the only community, and the place asked in the same reply.
    assert "96777" in text and "请告诉我具体位置" in text
    assert [t.owner_id for t in _tickets(deps)] == [None]


def test_unbound_owner_cannot_report(chat: Chat, deps: Deps) -> None:
    assert "还没有绑定房屋" in chat.text(chat.say("卫生间漏水", intent="report_repair"))


def test_the_daily_cap_refuses_clearly_and_writes_nothing(
    deps: Deps, world: World, clock: FakeClock
) -> None:
    capped = dataclasses.replace(deps, settings=dataclasses.replace(deps.settings, max_tickets_per_day=2))
    owner = Chat(capped, user="wang")
    owner.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    for words in ("卫生间漏水", "厨房水龙头滴水"):
        owner.say(words, intent="report_repair")
        owner.press("repair:confirm")
    refused = owner.text(owner.say("客厅插座坏了", intent="report_repair"))
    assert "今天已提交了2个工单" in refused
    assert len(_tickets(capped)) == 2
    assert "96777" in owner.text(owner.say("闻到煤气味", intent="report_repair"))
    assert len(_tickets(capped)) == 3  # an emergency is never refused
    clock.advance(hours=14)  # the next day (00:00 Beijing time)
    assert "请确认报修信息" in owner.text(owner.say("客厅插座坏了", intent="report_repair"))


def test_numbers_follow_kind_day_and_what_is_already_taken(deps: Deps, world: World) -> None:
    now = SHANGHAI_10AM
    with deps.uow() as uow:
        uow.session.add(Ticket(number="R20261127005", kind="repair", community_id=world.community_id,
                               created_at=now, updated_at=now))
        uow.flush()
        numbers = [
            open_ticket(uow, TicketDraft(kind=kind, community_id=world.community_id,
                                         description="x"), now=when, actor="system",
                        settings=deps.settings).number
            for kind, when in [("repair", now), ("repair", now), ("complaint", now),
                               ("repair", now + timedelta(hours=14))]
        ]
        uow.commit()
    assert numbers == ["R20261127006", "R20261127007", "C20261127001", "R20261128001"]


def test_something_broken_again_offers_to_reopen(owner_chat: Chat, zhang: Chat, deps: Deps) -> None:
    owner_chat.say("卫生间漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    zhang.say("完成 R20261127001 换了密封圈")
    replies = owner_chat.say("卫生间又漏水了", intent="report_repair")
    assert "是同一个问题没修好吗" in owner_chat.text(replies)
    assert _payloads(replies) == ['/reopen_ticket{"ticket_id": "R20261127001"}', "repair:new"]
    assert "请确认报修信息" in owner_chat.text(owner_chat.press("repair:new"))


def test_dialogue_through_the_real_nlu(owner_chat: Chat, deps: Deps) -> None:
    assert "请确认报修信息" in owner_chat.text(owner_chat.say("卫生间漏水"))
    assert "R20261127001" in owner_chat.text(owner_chat.say("确认"))
    assert "请描述一下哪里坏了" in owner_chat.text(owner_chat.say("我要报修"))
    assert "公共区域" in owner_chat.text(owner_chat.say("水管爆了"))
    assert "位置：公共区域" in owner_chat.text(owner_chat.say("2"))  # typed instead of pressed
    assert "已取消" in owner_chat.text(owner_chat.say("算了"))
    assert "96777" in owner_chat.text(owner_chat.say("闻到煤气味"))
    assert "不要扒门" in owner_chat.text(owner_chat.say("有人被困在电梯里"))
    assert [t.urgency for t in _tickets(deps)] == ["normal", "emergency", "emergency"]


def test_english_reports_get_english_replies(owner_chat: Chat, deps: Deps) -> None:
    confirm = owner_chat.text(owner_chat.say("My bathroom pipe is leaking", intent="report_repair"))
    assert "Kind: plumbing" in confirm and "Where: inside 3-2-501" in confirm
    done = owner_chat.text(owner_chat.press("repair:confirm"))
    assert "Repair filed: ticket R20261127001" in done
    assert "Call the property's 24-hour emergency line 010-64009999" in owner_chat.text(
        owner_chat.say("I smell gas in the kitchen", intent="report_repair"))
    assert "Emergency" not in owner_chat.text(
        owner_chat.say("The hallway light is sparkling clean now", intent="report_repair"))
    assert len(_tickets(deps)) == 2  # "sparkling" is not a spark


def test_every_text_of_these_capabilities_has_chinese_and_english() -> None:
    from handlers.texts import notices, repairs, staff, tickets

    for module in (notices, repairs, staff, tickets):
        for key, entry in module.TEXTS.items():
            assert entry.get("zh") and entry.get("en"), key


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("电梯里有人被困了", "lift"),
        ("电梯里有人被困", "lift"),
        ("被困电梯了快来人", "lift"),
        ("我被关在电梯里了", "lift"),
        ("闻到煤气味", "gas"),
        ("插座冒火花", "fire"),
        ("电梯坏了", ""),
        ("没有燃气味了", ""),
    ],
    ids=lambda v: str(v),
)
def test_emergency_phrasings(text: str, kind: str) -> None:
    from handlers.repair_slots import emergency_of

    assert emergency_of(text) == kind
