"""FAQ matching (keywords and character bigrams) and the answers it gives, with their source."""

from __future__ import annotations

import pytest

from handlers import faq
from tests.chat import Chat
from tests.factories import World


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("装修要办啥手续", "装修需要办理什么手续"),
        ("我家门卡丢了咋办", "门禁卡丢了怎么补办"),
        ("小区里有没有游泳池啊", "小区有游泳池吗"),
    ],
)
def test_best_match_finds_the_entry(deps, world: World, text: str, question: str) -> None:
    with deps.uow() as uow:
        match = faq.best_match(uow, world.community_id, text)
        assert match is not None and match[0].question == question
        assert match[1] >= faq.THRESHOLD


@pytest.mark.parametrize("text", ["今天天气怎么样", "讲个笑话", "hello"])
def test_unrelated_questions_match_nothing(deps, world: World, text: str) -> None:
    with deps.uow() as uow:
        assert faq.best_match(uow, world.community_id, text) is None


def test_community_entries_stay_within_their_community(deps, world: World) -> None:
    with deps.uow() as uow:
        assert faq.best_match(uow, None, "装修需要办理什么手续") is None
        assert faq.best_match(uow, None, "门禁卡丢了怎么补办") is not None


def test_stop_words_make_no_bigrams() -> None:
    assert faq.tokens("合同里装修是怎么规定的", ignore=("合同", "规定")) == {"里装", "装修"}


def test_fallback_answers_from_the_faq_with_its_source(owner_chat: Chat) -> None:
    replies = owner_chat.say("门禁卡丢了怎么办", intent="no_such_intent")
    assert "工本费20元" in replies[0].text and "来源：京华物业《业主手册》" in replies[0].text
    assert replies[0].buttons[0].payload == "/human_handoff"


def test_unbound_fallback_gets_only_general_answers(chat: Chat, owner_chat: Chat) -> None:
    assert "补办门禁卡" in chat.text(chat.say("门禁卡丢了怎么办", intent="no_such_intent"))
    unbound = chat.text(chat.say("装修需要办理什么手续", intent="no_such_intent"))
    assert "没太明白" in unbound and "装修登记" not in unbound
    bound = owner_chat.text(owner_chat.say("装修需要办理什么手续", intent="no_such_intent"))
    assert "装修登记" in bound and "来源：望京花园《装修管理规定》" in bound


def test_out_of_scope_answers_only_a_sure_match(owner_chat: Chat) -> None:
    sure = owner_chat.text(owner_chat.say("门禁卡丢了", intent="out_of_scope"))
    assert "补办门禁卡" in sure
    joke = owner_chat.text(owner_chat.say("讲个笑话", intent="out_of_scope"))
    assert "帮不上忙" in joke
