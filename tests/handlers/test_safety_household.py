"""Issue 7, safety: an owner adds family members and tenants with a one-time code, lists and removes them."""

from __future__ import annotations

import re

from handlers.deps import Deps
from tests.chat import Chat
from tests.factories import World


def _code(text: str) -> str:
    match = re.search(r"邀请码：([A-Z0-9]{8})", text)
    assert match, text
    return match.group(1)


def test_family_member_joins_with_the_owners_code_and_sees_the_home(
    owner_chat: Chat, deps: Deps
) -> None:
    text = owner_chat.text(owner_chat.say("添加家人 妈妈"))
    assert "家人" in text and "3-2-501" in text and "只能用一次" in text and "缴费记录" in text
    mother = Chat(deps, user="mother")
    joined = mother.text(mother.say(f"绑定 {_code(text)}"))
    assert "绑定成功" in joined and "家人" in joined and "3-2-501" in joined
    assert "268.50" in mother.text(mother.say("物业费还欠多少"))
    assert "2026-09-20" in mother.text(mother.say("缴费记录"))
    listing = owner_chat.text(owner_chat.say("我家绑定了哪些人"))
    assert "王建国（业主" in listing and "妈妈（家人" in listing
    # The code was for one person: a second use fails.
    again = Chat(deps, user="stranger")
    assert "无效" in again.text(again.say(f"绑定 {_code(text)}"))


def test_tenant_sees_bills_but_not_the_owners_payment_history(owner_chat: Chat, deps: Deps) -> None:
    text = owner_chat.text(owner_chat.say("添加租户"))
    assert "租户" in text and "看不到业主的缴费记录" in text
    tenant = Chat(deps, user="tenant")
    assert "绑定成功" in tenant.text(tenant.say(_code(text)))  # a bare code binds too
    assert "268.50" in tenant.text(tenant.say("物业费还欠多少"))
    history = tenant.text(tenant.say("缴费记录"))
    assert "看不到业主的缴费记录" in history and "2026-09-20" not in history
    assert "只有登记的业主" in tenant.text(tenant.say("添加租户"))


def test_owner_removes_a_family_member_who_then_sees_nothing(owner_chat: Chat, deps: Deps) -> None:
    mother = Chat(deps, user="mother")
    mother.say(f"绑定 {_code(owner_chat.text(owner_chat.say('添加家人 妈妈')))}")
    removed = owner_chat.text(owner_chat.say("删除家人 妈妈"))
    assert "已把 妈妈 从 3-2-501 移除" in removed
    after = mother.text(mother.say("物业费还欠多少"))
    assert "268.50" not in after and "绑定" in after
    assert "妈妈" not in owner_chat.text(owner_chat.say("我家绑定了哪些人"))


def test_a_son_bound_to_his_home_adds_his_mothers_home_with_her_code(
    owner_chat: Chat, deps: Deps, world: World
) -> None:
    """The "checking for my mother" case: her code, not her phone, adds her home to his chat."""
    li = Chat(deps, user="li")
    li.bind_to(world.home_ids["3-2-502"], world.owner_ids["13900001111"])
    code = _code(li.text(li.say("添加家人 儿子")))
    added = owner_chat.text(owner_chat.say(f"绑定 {code}"))
    assert "已添加房屋 望京花园 3-2-502（家人）" in added
    assert "360.00" in owner_chat.text(owner_chat.say("3-2-502的物业费多少"))
    assert "268.50" in owner_chat.text(owner_chat.say("3-2-501的物业费多少"))


def test_unused_code_can_be_revoked_from_the_list(owner_chat: Chat, deps: Deps) -> None:
    code = _code(owner_chat.text(owner_chat.say("添加租户 小李")))
    replies = owner_chat.say("我家绑定了哪些人")
    assert "未使用的邀请码：小李（租户" in owner_chat.text(replies)
    revoke = [b.payload for r in replies for b in r.buttons if "作废" in b.title]
    assert "已作废" in owner_chat.text(owner_chat.press(revoke[0]))
    late = Chat(deps, user="late")
    assert "无效" in late.text(late.say(f"绑定 {code}"))
