"""Binding by invite code or home + registered phone, rate limiting, invites, choosing a home."""

from __future__ import annotations

import re

from sqlalchemy import select

from handlers.binding import CODE_ALPHABET, issue_invite, issue_invites_for_community
from handlers.office.binding_requests import approve_request
from storage.models import AuditLog, ChannelIdentity, InviteCode
from tests.chat import Chat
from tests.factories import World

WANG = "13812345678"


def _identity(deps, user: str, channel: str = "web") -> ChannelIdentity:
    with deps.uow() as uow:
        identity = uow.identities.by_external(channel, user)
        uow.session.expunge(identity)  # readable after the unit of work rolls back
        return identity


def _invite(deps, clock, **target: int) -> str:
    with deps.uow() as uow:
        code = issue_invite(uow, clock.now, ttl_days=90, **target)
        uow.commit()
    return code


def test_invite_code_binds_to_the_homes_registered_owner(chat: Chat, deps, clock, world: World) -> None:
    code = _invite(deps, clock, home_id=world.home_ids["3-2-501"])
    text = chat.text(chat.say(f"绑定 {code}", intent="bind_account"))
    assert "绑定成功" in text and "王建国" in text and "望京花园 3-2-501" in text
    identity = _identity(deps, chat.user)
    assert identity.owner_id == world.owner_ids[WANG]
    assert identity.home_id == world.home_ids["3-2-501"] and identity.verified
    assert "268.50" in chat.text(chat.say("欠多少", intent="check_bill"))


def test_invite_code_is_single_use(chat: Chat, deps, clock, world: World) -> None:
    code = _invite(deps, clock, home_id=world.home_ids["3-2-501"])
    chat.say(f"绑定 {code}", intent="bind_account")
    other = Chat(deps, user="someone-else")
    text = other.text(other.say(f"绑定 {code.lower()}", intent="bind_account"))
    assert "无效、已使用或已过期" in text
    assert _identity(deps, "someone-else").owner_id is None


def test_invite_code_expires(chat: Chat, deps, clock, world: World) -> None:
    code = _invite(deps, clock, home_id=world.home_ids["3-2-501"])
    clock.advance(days=91)
    assert "已过期" in chat.text(chat.say(f"绑定 {code}", intent="bind_account"))
    assert _identity(deps, chat.user).owner_id is None


def test_telegram_start_and_a_bare_code_bind(deps, clock, world: World) -> None:
    telegram = Chat(deps, user="tg-1", channel="telegram")
    code = _invite(deps, clock, home_id=world.home_ids["3-2-502"])
    assert "李秀英" in telegram.text(telegram.press(f"/start {code}"))
    bare = Chat(deps, user="bare")
    code = _invite(deps, clock, home_id=world.home_ids["12-1102"])
    # A code alone is no known intent: the fallback recognises it.
    assert "12-1102" in bare.text(bare.say(code, intent="no_such_intent"))


def test_staff_invite_binds_a_staff_account(chat: Chat, deps, clock, world: World) -> None:
    code = _invite(deps, clock, staff_id=world.staff_ids["finance"])
    # A code alone says nothing about the language: the reply is Chinese, the default.
    assert "工作人员账号已开通" in chat.text(chat.say(f"/start {code}", intent="bind_account"))
    assert _identity(deps, chat.user).staff_id == world.staff_ids["finance"]


def test_home_and_phone_bind_and_the_audit_log_masks_the_phone(chat: Chat, deps, world: World) -> None:
    text = chat.text(chat.say(f"绑定3号楼2单元501 {WANG}", intent="bind_account",
                              entities={"unit": "3-2-501", "phone": WANG}))
    assert "已收到您的绑定申请" in text and "王建国" not in text  # the office approves it
    with deps.uow() as uow:
        approve_request(uow, uow.safety.requests()[0].id, "cli", deps.clock())
        uow.commit()
    with deps.uow() as uow:
        row = uow.session.scalars(select(AuditLog).where(AuditLog.action == "binding_requested")).one()
        assert "138****5678" in row.detail and WANG not in row.detail
        row = uow.session.scalars(select(AuditLog).where(AuditLog.action == "bind")).one()
        assert '"method": "request"' in row.detail
        assert row.target == f"home:{world.home_ids['3-2-501']}"


def test_binding_asks_for_what_is_missing(chat: Chat, deps, world: World) -> None:
    assert "邀请码" in chat.text(chat.say("认证业主", intent="bind_account"))
    assert "手机号" in chat.text(chat.say("3-2-501", intent="bind_account",
                                         entities={"unit": "3-2-501"}))
    assert "完整的11位" in chat.text(chat.say("尾号5678", intent="bind_account",
                                            entities={"phone": "5678"}))
    assert "已收到您的绑定申请" in chat.text(chat.say(WANG, intent="bind_account", entities={"phone": WANG}))


def test_binding_flow_takes_plain_messages(chat: Chat, deps, world: World) -> None:
    chat.say("绑定房屋", intent="bind_account")
    assert "手机号" in chat.text(chat.say("3号楼2单元501"))  # through the real NLU
    assert "已收到您的绑定申请" in chat.text(chat.say(WANG, intent="bind_account", entities={"phone": WANG}))
    with deps.uow() as uow:
        approve_request(uow, uow.safety.requests()[0].id, "cli", deps.clock())
        uow.commit()
    assert _identity(deps, chat.user).home_id == world.home_ids["3-2-501"]


def test_wrong_phone_reveals_nothing_and_five_failures_lock(chat: Chat, deps, clock, world: World) -> None:
    wrong = chat.text(chat.say("绑定", intent="bind_account",
                               entities={"unit": "3-2-502", "phone": WANG}))
    missing = chat.text(chat.say("绑定", intent="bind_account",
                                 entities={"unit": "99-9-909", "phone": WANG}))
    # Home + phone is a request now: the same words whether the register matches or not.
    assert re.sub(r"[\d-]+", "", wrong) == re.sub(r"[\d-]+", "", missing) and "已收到您的绑定申请" in wrong
    assert "李秀英" not in wrong and "360" not in wrong and _identity(deps, chat.user).owner_id is None
    for code in ("ABCD2345", "ABCD2346", "ABCD2347", "ABCD2348", "ABCD2349"):
        chat.say(f"绑定 {code}", intent="bind_account")  # wrong codes lock the account
    locked = chat.text(chat.say("绑定", intent="bind_account", entities={"unit": "3-2-501", "phone": WANG}))
    assert "失败次数过多" in locked and _identity(deps, chat.user).owner_id is None
    clock.advance(minutes=61)
    ok = chat.text(chat.say("绑定", intent="bind_account", entities={"unit": "3-2-501", "phone": WANG}))
    assert "已收到您的绑定申请" in ok


def test_already_bound_says_so(owner_chat: Chat) -> None:
    replies = owner_chat.say("绑定", intent="bind_account")
    assert "已绑定 望京花园 3-2-501（王建国）" in owner_chat.text(replies)
    assert replies[0].buttons[0].payload == "/select_home"


def test_select_home_switches_only_among_own_homes(owner_chat: Chat, deps, world: World) -> None:
    menu = owner_chat.press("/select_home")
    assert [b.title for b in menu[0].buttons] == ["望京花园 3-2-501", "望京花园 12-1102"]
    other = world.home_ids["12-1102"]
    switched = owner_chat.press(f'/select_home{{"home_id": "{other}"}}')
    assert "已切换到 望京花园 12-1102" in owner_chat.text(switched)
    assert "12-1102 目前没有待缴费用" in owner_chat.text(owner_chat.say("欠费", intent="check_bill"))
    refused = owner_chat.press(f'/select_home{{"home_id": "{world.home_ids["3-2-502"]}"}}')
    assert "只能查看和办理自己房屋" in owner_chat.text(refused)
    assert _identity(deps, owner_chat.user).home_id == other


def test_issue_invites_for_community_expires_older_codes(deps, clock, world: World) -> None:
    with deps.uow() as uow:
        first = dict(issue_invites_for_community(uow, "望京花园", clock.now))
        second = dict(issue_invites_for_community(uow, "望京花园", clock.now))
        uow.commit()
    assert set(first) == {"3-2-501", "3-2-502", "12-1102"}
    for code in [*first.values(), *second.values()]:
        assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("0O1I")
    chat = Chat(deps, user="late")
    assert "无效" in chat.text(chat.say(f"绑定 {first['3-2-501']}", intent="bind_account"))
    assert "绑定成功" in chat.text(chat.say(f"绑定 {second['3-2-501']}", intent="bind_account"))
    with deps.uow() as uow:
        used = uow.session.scalars(select(InviteCode).where(InviteCode.used_at.is_not(None))).one()
        assert used.code == second["3-2-501"]


def test_english_binding_prompt(chat: Chat) -> None:
    text = chat.text(chat.say("link my home", intent="bind_account"))
    assert "invite code" in text


def test_nlu_bind_in_one_message(chat: Chat, deps, world: World) -> None:
    assert "已收到您的绑定申请" in chat.text(chat.say("绑定3号楼2单元501 13812345678"))
    assert _identity(deps, chat.user).owner_id is None
    with deps.uow() as uow:
        approve_request(uow, uow.safety.requests()[0].id, "cli", deps.clock())
        uow.commit()
    assert _identity(deps, chat.user).owner_id == world.owner_ids[WANG]
