"""Greetings, help menu, thanks, goodbye, yes/no outside a flow, out-of-scope, fallback, English."""

from __future__ import annotations

import handlers.smalltalk  # noqa: F401 - registers every text module of this capability set
from handlers import bills, binding, info  # noqa: F401 - their texts too
from handlers.texts import TEXTS
from tests.chat import Chat


def test_greet_names_the_bound_owner(owner_chat: Chat) -> None:
    replies = owner_chat.say("你好", intent="greet")
    assert replies[0].text.startswith("王建国，早上好")  # the fake clock says 10:00
    payloads = [b.payload for b in replies[0].buttons]
    assert payloads[:3] == ["/check_bill", "/pay_bill", "/report_repair"]


def test_greet_unbound_offers_binding(chat: Chat) -> None:
    replies = chat.say("在吗", intent="greet")
    assert "绑定房屋后" in replies[0].text and "王建国" not in replies[0].text
    assert replies[0].buttons[0].payload == "/bind_account"


def test_help_lists_the_capabilities_as_buttons(owner_chat: Chat, chat: Chat) -> None:
    replies = owner_chat.say("你能干啥", intent="help")
    assert "查账单" in replies[0].text and "维修基金" in replies[0].text
    assert "/check_bill" in {b.payload for b in replies[0].buttons}
    assert "需要先绑定房屋" in chat.text(chat.say("菜单", intent="help"))


def test_thanks_goodbye_affirm_deny(owner_chat: Chat) -> None:
    assert "不客气" in owner_chat.text(owner_chat.say("谢谢", intent="thanks"))
    assert "再见" in owner_chat.text(owner_chat.say("拜拜", intent="goodbye"))
    assert "还有什么可以帮您" in owner_chat.text(owner_chat.say("好的", intent="affirm"))
    assert "没问题" in owner_chat.text(owner_chat.say("算了", intent="deny"))


def test_out_of_scope_is_polite_and_says_what_it_can_do(chat: Chat) -> None:
    replies = chat.say("明天天气怎么样", intent="out_of_scope")
    assert "帮不上忙" in replies[0].text and "查账单" in replies[0].text
    assert replies[0].buttons


def test_fallback_shows_the_menu(owner_chat: Chat) -> None:
    replies = owner_chat.say("嗯嗯嗯", intent="no_such_intent")
    assert "没太明白" in replies[0].text
    assert replies[0].buttons[0].payload == "/check_bill"


def test_english_replies(owner_chat: Chat) -> None:
    assert "Good morning, 王建国" in owner_chat.text(owner_chat.say("hello", intent="greet"))
    assert "You're welcome" in owner_chat.text(owner_chat.say("thank you", intent="thanks"))
    assert owner_chat.say("menu", intent="help")[0].buttons[0].title == "Bills"


def test_every_text_of_these_capabilities_has_chinese_and_english() -> None:
    prefixes = ("talk_", "faq_", "bind_", "home_", "access_", "bill_", "pay_", "hist_", "fee_",
                "info_")
    mine = {k: v for k, v in TEXTS.items() if k.startswith(prefixes)}
    assert len(mine) > 100
    missing = [k for k, v in mine.items() if not v.get("zh") or not v.get("en")]
    assert missing == []


def test_nlu_smalltalk(owner_chat: Chat) -> None:
    assert "王建国" in owner_chat.text(owner_chat.say("你好"))
    assert "帮不上忙" in owner_chat.text(owner_chat.say("讲个笑话"))
    assert "查账单" in owner_chat.text(owner_chat.say("你能干啥"))


def test_a_number_with_nothing_on_offer_shows_the_menu(owner_chat) -> None:
    """An owner typing "1" after buttons expired gets the menu, not a goodbye."""
    replies = owner_chat.say("1")
    assert any(r.buttons for r in replies)
    assert "再见" not in owner_chat.text(replies)
