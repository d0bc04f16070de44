"""handlers.dispatch directly: payload parsing, routing order, flows, errors, shared state."""

from __future__ import annotations

from handlers import dispatch
from handlers.deps import Deps
from handlers.messages import Incoming
from handlers.owners.interrupts import holds
from tests.chat import Chat
from tests.factories import World


def _identity_id(deps: Deps) -> int:
    with deps.uow() as uow:
        return int(uow.identities.by_external("web", "wang").id)  # type: ignore[union-attr]


def test_parse_payload_reads_intent_and_entities() -> None:
    parsed = dispatch.parse_payload('/check_bill{"bill_item": "water", "period": "2026-10"}', "x")
    assert parsed["intent"] == {"name": "check_bill", "confidence": 1.0}
    assert parsed["entities"] == [{"entity": "bill_item", "value": "water"},
                                  {"entity": "period", "value": "2026-10"}]
    assert dispatch.parse_payload("/help{not json")["entities"] == []


def test_too_long_text_is_refused_without_touching_storage(deps: Deps, world: World) -> None:
    outcome = dispatch.handle(Incoming("web", "long", text="长" * 2001), deps)
    assert "2000" in outcome.replies[0].text
    with deps.uow() as uow:
        assert uow.identities.by_external("web", "long") is None


def test_a_number_presses_the_offered_button_and_state_keeps_the_buttons(
        owner_chat: Chat, deps: Deps) -> None:
    owner_chat.say("我要交物业费")
    saved = deps.state.get(f"dialogue:{_identity_id(deps)}")
    assert saved["flow"] == "pay_bill" and len(saved["buttons"]) == 2
    assert "请点击链接完成支付" in owner_chat.text(owner_chat.say("1"))


def test_a_stray_number_outside_any_choice_shows_the_menu(owner_chat: Chat) -> None:
    replies = owner_chat.say("7")
    assert replies[0].buttons and "查账单" in [b.title for b in replies[0].buttons]


def test_cancel_word_leaves_a_flow_and_clears_state(owner_chat: Chat, deps: Deps) -> None:
    owner_chat.say("卫生间漏水了")
    assert "已取消" in owner_chat.text(owner_chat.say("算了"))
    assert deps.state.get(f"dialogue:{_identity_id(deps)}") is None


def test_a_correction_inside_a_flow_is_not_a_cancel(owner_chat: Chat) -> None:
    owner_chat.say("厨房漏水了")
    text = owner_chat.text(owner_chat.say("算了我说错了，是卫生间不是厨房"))
    assert "已取消" not in text and "卫生间漏水了" in text


def test_hold_words() -> None:
    assert all(holds(t) for t in ("等一下，先别交", "先别提交", "wait", "我再想想"))
    assert not any(holds(t) for t in ("确认", "好的", "等级是多少"))


def test_a_bind_code_is_routed_to_binding_from_inside_a_flow(chat: Chat, deps: Deps, world: World) -> None:
    from handlers.binding import issue_invite

    with deps.uow() as uow:
        code = issue_invite(uow, deps.clock(), home_id=world.home_ids["3-2-502"])
        uow.commit()
    chat.say("我要绑定")
    assert "3-2-502" in chat.text(chat.say(code.lower()))


def test_an_error_inside_a_capability_is_a_friendly_reply(chat: Chat) -> None:
    assert "绑定" in chat.text(chat.say("我家物业费还欠多少"))  # NotBound → its text, no traceback
