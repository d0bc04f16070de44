"""Notices for the owner's own building, and per-chat notification settings."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from handlers.deps import Deps
from storage.models import Building, Notice
from tests.chat import Chat
from tests.factories import World

T0 = datetime.fromisoformat("2026-11-27T10:00:00+08:00")


def _notice(world: World, kind: str, title: str, start: timedelta, hours: int = 8, **extra: object) -> Notice:
    fields: dict[str, object] = {"published_at": T0 - timedelta(days=1), **extra}
    return Notice(community_id=world.community_id, kind=kind, title=title, body=f"{title}，请提前储水。",
                  starts_at=T0 + start, ends_at=T0 + start + timedelta(hours=hours), **fields)


@pytest.fixture
def notices(deps: Deps, world: World) -> None:
    with deps.uow() as uow:
        b3, b12 = (uow.session.query(Building).filter_by(name=n).one() for n in ("3", "12"))
        uow.session.add_all([
            _notice(world, "water_outage", "3号楼停水", timedelta(days=1), scope="building",
                    building_id=b3.id),
            _notice(world, "power_outage", "小区停电检修", timedelta(hours=-2)),
            _notice(world, "water_outage", "12号楼停水", timedelta(hours=3), scope="building",
                    building_id=b12.id),
            _notice(world, "elevator", "3号楼电梯保养", timedelta(hours=-5), hours=3, scope="building",
                    building_id=b3.id, restored_at=T0 - timedelta(hours=3)),
            _notice(world, "general", "上月的旧通知", timedelta(days=-30)),
            _notice(world, "activity", "尚未发布的活动", timedelta(days=3),
                    published_at=T0 + timedelta(days=1)),
            _notice(world, "general", "3-2-502 的入户通知", timedelta(hours=1), scope="home",
                    home_id=world.home_ids["3-2-502"]),
        ])
        uow.commit()


def test_notices_of_my_building_and_community_soonest_first(owner_chat: Chat, notices: None) -> None:
    text = owner_chat.text(owner_chat.say("最近有什么通知", intent="query_notice"))
    assert "3-2-501 近期通知（3条）" in text
    assert text.index("3号楼电梯保养") < text.index("小区停电检修") < text.index("3号楼停水")
    assert "【停电】小区停电检修\n时间：11月27日 08:00 – 11月27日 16:00（进行中）" in text
    assert "【停水】3号楼停水\n时间：11月28日 10:00 – 11月28日 18:00（即将开始）" in text
    assert "已于 11月27日 07:00 恢复" in text
    for other in ("12号楼停水", "上月的旧通知", "尚未发布的活动", "3-2-502"):
        assert other not in text


def test_asking_about_water_names_only_water(owner_chat: Chat, notices: None) -> None:
    text = owner_chat.text(owner_chat.say("最近停水吗", intent="query_notice"))
    assert "3号楼停水" in text and "小区停电检修" not in text


def test_none_of_that_kind_says_so_and_lists_the_others(owner_chat: Chat, notices: None) -> None:
    text = owner_chat.text(owner_chat.say("最近停气吗", intent="query_notice"))
    assert "近期没有涉及 3-2-501 的停气安排" in text and "其他近期通知" in text


def test_no_notices_at_all(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("什么时候来电", intent="query_notice"))
    assert text == "近期没有涉及 3-2-501 的停电安排。"


def test_unbound_accounts_see_no_notices(chat: Chat, notices: None) -> None:
    assert "还没有绑定房屋" in chat.text(chat.say("最近停水吗", intent="query_notice"))


def _prefs(deps: Deps) -> tuple[bool, bool, bool]:
    with deps.uow() as uow:
        i = uow.identities.by_external("web", "wang")
        return i.notify_bills, i.notify_notices, i.notify_tickets


def test_stop_pushes_without_naming_kinds_asks_which(owner_chat: Chat, deps: Deps) -> None:
    replies = owner_chat.say("别再给我推通知了", intent="notification_settings")
    assert "您想关闭哪类推送" in owner_chat.text(replies)
    assert _prefs(deps) == (True, True, True)  # repair updates are not silenced by a guess
    assert replies[0].buttons[-1].payload == '/notification_settings{"set": "all_off"}'


def test_stop_all_pushes_but_safety_notices_may_still_come(owner_chat: Chat, deps: Deps) -> None:
    replies = owner_chat.say("所有通知都别推了", intent="notification_settings")
    text = owner_chat.text(replies)
    assert "已关闭全部推送" in text and "涉及安全的通知" in text
    assert "· 账单提醒：关" in text
    assert _prefs(deps) == (False, False, False)
    assert replies[0].buttons[-1].payload == '/notification_settings{"set": "all_on"}'
    owner_chat.press(replies[0].buttons[0].payload)  # 开启账单提醒
    assert _prefs(deps) == (True, False, False)


def test_show_and_toggle_one_kind(owner_chat: Chat, deps: Deps) -> None:
    replies = owner_chat.say("通知设置", intent="notification_settings")
    assert "当前推送设置" in owner_chat.text(replies) and _prefs(deps) == (True, True, True)
    assert [b.title for b in replies[0].buttons] == [
        "关闭账单提醒", "关闭停水停电等公告", "关闭工单进度", "全部关闭"]
    owner_chat.say("关闭账单提醒", intent="notification_settings")
    assert _prefs(deps) == (False, True, True)
    owner_chat.say("打开通知", intent="notification_settings")
    assert _prefs(deps) == (True, True, True)


def test_dialogue_through_the_real_nlu(owner_chat: Chat, notices: None, deps: Deps) -> None:
    assert "3号楼停水" in owner_chat.text(owner_chat.say("最近停水吗"))
    assert "您想关闭哪类推送" in owner_chat.text(owner_chat.say("别再给我推通知了"))
    owner_chat.say("全部关闭")  # the button's title, typed
    assert _prefs(deps) == (False, False, False)
