"""Defects found by talking to the bot as owners and staff do; one test per defect.

Most go through the real NLU (no forced intent): the defect was in how a real message travels.
"""

from __future__ import annotations

import dataclasses
import json

from sqlalchemy import select

from handlers.deps import Deps
from handlers.notify import staff_card
from handlers.repair_slots import infer_repair
from nlu.normalize import fix_typos
from storage.models import Bill, ChannelIdentity, OutboxMessage, Ticket, TicketEvent
from tests.chat import Chat, FakeClock
from tests.factories import World, add_other_company, add_staff, bind_identity


def _tickets(deps: Deps) -> list[Ticket]:
    with deps.uow() as uow:
        found = list(uow.session.scalars(select(Ticket).order_by(Ticket.id)))
        uow.session.expunge_all()
        return found


def _payloads(replies: list) -> list[str]:
    return [b.payload for r in replies for b in r.buttons]


# -- paying ---------------------------------------------------------------------------------


def test_paid_typed_after_the_link_settles_the_order(
    owner_chat: Chat, deps: Deps, world: World
) -> None:
    owner_chat.say("我要交物业费")
    assert "请点击链接完成支付" in owner_chat.text(owner_chat.say("1"))
    receipt = owner_chat.text(owner_chat.say("付好了"))  # typed, not the "我已支付" button
    assert "缴费成功" in receipt and "合计：537.00元" in receipt
    with deps.uow() as uow:
        fees = uow.session.scalars(select(Bill.status).where(
            Bill.item == "property_fee", Bill.home_id == world.home_ids["3-2-501"])).all()
    assert set(fees) == {"paid"}


def test_naming_an_item_in_the_pay_flow_narrows_what_is_paid(owner_chat: Chat) -> None:
    assert "合计：582.20元" in owner_chat.text(owner_chat.say("缴费", intent="pay_bill"))
    narrowed = owner_chat.text(owner_chat.say("只交水费"))
    assert "水费 2026年10月：45.20元" in narrowed and "物业费" not in narrowed
    assert "合计：45.20元" in narrowed


def test_asking_whether_a_bill_was_paid_says_it_is_still_unpaid(owner_chat: Chat) -> None:
    replies = owner_chat.say("10月份水费交了吗", intent="payment_history",
                             entities={"bill_item": "water", "period": "2026-10"})
    assert "3-2-501 的2026年10月 水费还没有缴纳，待缴合计45.20元" in owner_chat.text(replies)
    assert _payloads(replies) == ['/pay_bill{"bill_item": "water", "period": "2026-10"}']


def test_history_of_an_item_mentions_what_of_it_is_still_unpaid(owner_chat: Chat) -> None:
    replies = owner_chat.say("物业费交了没", intent="payment_history",
                             entities={"bill_item": "property_fee"})
    text = owner_chat.text(replies)
    assert "2026-09-20 物业费 2026年9月：268.50元" in text
    assert "另有2笔物业费还没有缴纳，合计537.00元" in text
    assert _payloads(replies) == ['/pay_bill{"bill_item": "property_fee"}']
    assert "还没有缴纳" not in owner_chat.text(owner_chat.say("缴费记录", intent="payment_history"))


def test_an_overdue_next_bill_is_not_given_a_deadline_in_the_past(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("9月物业费", intent="check_bill",
                                          entities={"bill_item": "property_fee", "period": "2026-09"}))
    assert "最近一笔待缴：物业费 2026年10月 268.50元，已逾期27天" in text
    assert "10月31日前" not in text


def test_the_amount_of_a_paid_bill_asked_for_is_given(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("9月物业费多少", intent="check_bill",
                                          entities={"bill_item": "property_fee", "period": "2026-09"}))
    assert "· 物业费 2026年9月：268.50元，已于2026-09-20缴清" in text


# -- repairs --------------------------------------------------------------------------------


def test_saying_how_urgent_it_is_does_not_cancel_the_report(owner_chat: Chat, deps: Deps) -> None:
    owner_chat.say("厨房水龙头一直滴水")
    summary = owner_chat.text(owner_chat.say("不急 有空来就行"))
    assert "紧急程度：不急" in summary and "描述：厨房水龙头一直滴水\n" in summary + "\n"
    owner_chat.say("确认")
    [ticket] = _tickets(deps)
    assert ticket.urgency == "low"


def test_traditional_chinese_fills_the_slots_and_raises_emergencies(owner_chat: Chat) -> None:
    summary = owner_chat.text(owner_chat.say("電梯壞了"))
    assert "类别：电梯" in summary and "位置：公共区域" in summary
    assert "不要扒门" in owner_chat.text(owner_chat.say("有人困在電梯裡了"))
    assert "010-64009999" in owner_chat.text(owner_chat.say("廚房有煤氣味"))


def test_a_typed_button_title_is_a_press_not_a_description(owner_chat: Chat) -> None:
    owner_chat.say("报修")
    owner_chat.say("有东西坏了")
    owner_chat.say("其他")
    summary = owner_chat.text(owner_chat.say("公共区域"))
    assert "类别：其他" in summary and "位置：公共区域" in summary
    assert "描述：有东西坏了\n" in summary + "\n"


def test_other_gives_way_to_a_clear_category_given_later() -> None:
    slots = infer_repair("卫生间天花板一直渗水", {"category": "other", "description": "漏了"})
    assert slots["category"] == "plumbing"
    assert infer_repair("还是那样", {"category": "other"})["category"] == "other"


def test_broken_again_offers_a_reopen_only_for_the_same_kind(
    owner_chat: Chat, deps: Deps, world: World, clock: FakeClock
) -> None:
    with deps.uow() as uow:
        bind_identity(uow, "wecom", "zhang", clock(), staff_id=world.staff_ids["repair"])
        uow.commit()
    owner_chat.say("卫生间漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    Chat(deps, user="zhang", channel="wecom").say("完成 R20261127001")
    replies = owner_chat.say("电梯又坏了", intent="report_repair")
    assert "是同一个问题没修好吗" not in owner_chat.text(replies)
    assert "类别：电梯" in owner_chat.text(replies)


# -- leaving a flow -------------------------------------------------------------------------


def test_a_short_question_on_another_topic_leaves_the_flow(owner_chat: Chat, deps: Deps) -> None:
    owner_chat.say("建议小区多装几个充电桩")
    answer = owner_chat.text(owner_chat.say("最近停水吗"))
    assert "请确认您的建议" not in answer and "停水" in answer
    assert "请确认" not in owner_chat.text(owner_chat.say("确认"))  # the suggestion was dropped
    assert _tickets(deps) == []


# -- language -------------------------------------------------------------------------------


def test_numbers_and_ok_keep_the_language_of_the_conversation(chat: Chat, owner_chat: Chat) -> None:
    assert "invite code" in chat.text(chat.say("link my home"))
    assert "phone number" in chat.text(chat.say("3-2-501"))  # an English speaker's digits
    assert "request to link" in chat.text(chat.say("13800000000"))
    owner_chat.say("物业费还欠多少")
    assert "好的" in owner_chat.text(owner_chat.say("ok"))  # a Chinese owner's "ok"


def test_emoji_alone_gets_a_friendly_nudge(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("👍"))
    assert "收到" in text and "帮不上忙" not in text


# -- notifications --------------------------------------------------------------------------


def _prefs(deps: Deps) -> tuple[bool, bool, bool]:
    with deps.uow() as uow:
        row = uow.session.scalars(select(ChannelIdentity).filter_by(external_id="wang")).one()
        return row.notify_bills, row.notify_notices, row.notify_tickets


def test_english_on_and_off_for_notifications(owner_chat: Chat, deps: Deps) -> None:
    assert "Which notifications" in owner_chat.text(
        owner_chat.say("turn the notifications off", intent="notification_settings"))
    owner_chat.say("turn all notifications off", intent="notification_settings")
    assert _prefs(deps) == (False, False, False)
    owner_chat.say("turn notifications back on", intent="notification_settings")
    assert _prefs(deps) == (True, True, True)


# -- tickets --------------------------------------------------------------------------------


def test_status_and_cancel_follow_the_kind_the_owner_names(owner_chat: Chat) -> None:
    owner_chat.say("楼上太吵", intent="complaint")
    owner_chat.press("complaint:confirm")
    owner_chat.say("卫生间漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    status = owner_chat.text(owner_chat.say("投诉有结果了吗", intent="ticket_status"))
    assert "C20261127001" in status and "R20261127001" not in status
    confirm = owner_chat.say("撤销投诉", intent="cancel_ticket")
    assert "确定要撤销工单 C20261127001" in owner_chat.text(confirm)
    none = owner_chat.text(owner_chat.say("建议有回复吗", intent="ticket_status"))
    assert "没有处理中的工单" in none and "还没有提交过" not in none


def test_asking_again_for_a_person_passes_the_new_words_on(owner_chat: Chat, deps: Deps) -> None:
    owner_chat.say("转人工", intent="human_handoff")
    again = owner_chat.text(owner_chat.say("是物业费的事", intent="human_handoff"))
    assert again.count("H20261127001") == 1 and "010-64001234" in again
    with deps.uow() as uow:
        notes = uow.session.scalars(select(TicketEvent.note).where(TicketEvent.kind == "note")).all()
    assert notes == ["是物业费的事"]


def test_staff_asking_for_an_unknown_ticket_are_told_in_staff_words(
    deps: Deps, world: World, clock: FakeClock
) -> None:
    with deps.uow() as uow:
        bind_identity(uow, "wecom", "zhang", clock(), staff_id=world.staff_ids["repair"])
        uow.commit()
    zhang = Chat(deps, user="zhang", channel="wecom")
    text = zhang.text(zhang.say("接单 R99999999"))
    assert "没有找到工单 R99999999" in text and "我的工单" in text and "报修进度" not in text


def test_switch_home_shows_the_homes_to_choose(owner_chat: Chat) -> None:
    replies = owner_chat.say("切换房屋")
    assert [b.title for b in replies[0].buttons] == ["望京花园 3-2-501", "望京花园 12-1102"]
    assert "已切换到 望京花园 12-1102" in owner_chat.text(owner_chat.say("2"))


def test_a_dispute_in_traditional_chinese_goes_to_finance_on_yes(owner_chat: Chat, deps: Deps) -> None:
    text = owner_chat.text(owner_chat.say("物業費收錯了 重複收了兩次"))
    assert "提交给财务核实，要提交吗" in text and _tickets(deps) == []
    assert "已提交给财务核实，工单号 F20261127001" in owner_chat.text(owner_chat.say("好的"))
    assert [t.kind for t in _tickets(deps)] == ["fee_question"]


def test_progress_asked_inside_another_flow_is_answered(owner_chat: Chat) -> None:
    owner_chat.say("卫生间漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    owner_chat.say("物业费怎么算的", intent="fee_question")
    assert "【R20261127001】" in owner_chat.text(owner_chat.say("進度"))


# -- staff see whom to call -----------------------------------------------------------------


def _staff_pushes(deps: Deps) -> list[str]:
    with deps.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff_ticket"))
        return [json.loads(r.payload)["text"] for r in rows]


def test_the_assigned_technician_sees_the_owners_full_phone(
    owner_chat: Chat, deps: Deps, world: World, clock: FakeClock
) -> None:
    with deps.uow() as uow:
        bind_identity(uow, "wecom", "zhang", clock(), staff_id=world.staff_ids["repair"])
        uow.commit()
    owner_chat.say("卫生间漏水 急 回电13812345678", intent="report_repair")
    owner_chat.press("repair:confirm")
    [push] = _staff_pushes(deps)
    assert "业主：王** 13812345678" in push and "回电13812345678" in push
    accepted = Chat(deps, user="zhang", channel="wecom").say("接单 R20261127001")
    assert "业主：王** 13812345678" in owner_chat.text(accepted)
    with deps.uow() as uow:  # anybody not of 望京花园's company still sees it masked
        other = add_other_company(uow)
        ticket = uow.tickets.by_number("R20261127001")
        outsider = uow.org.staff(other["staff_id"])
        for viewer in (None, outsider):
            card = staff_card(uow, ticket, "zh", viewer=viewer)
            assert "138****5678" in card and "13812345678" not in card


# -- the daily cap ----------------------------------------------------------------------------


def test_the_daily_cap_refusal_gives_the_phones_to_call(deps: Deps, world: World) -> None:
    capped = dataclasses.replace(deps, settings=dataclasses.replace(deps.settings, max_tickets_per_day=1))
    owner = Chat(capped, user="wang")
    owner.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    owner.say("卫生间漏水", intent="report_repair")
    owner.press("repair:confirm")
    for refused in (owner.say("客厅插座坏了", intent="report_repair"),
                    owner.say("楼上太吵", intent="complaint")):
        text = owner.text(refused)
        assert "已达当日上限" in text and "010-64009999" in text and "010-64001234" in text


# -- community facts before binding ------------------------------------------------------------


def test_unbound_questions_about_the_community_say_why_and_how_to_bind(chat: Chat) -> None:
    for question in ("小区有健身房吗", "停车位多少"):
        text = chat.text(chat.say(question))
        assert "个人信息" not in text and "420" not in text
        assert "只向本小区住户提供，绑定房屋后就能查看" in text and "绑定 3号楼2单元501" in text
    assert "个人信息" in chat.text(chat.say("我家面积多少", intent="query_house_info"))


# -- smoke ------------------------------------------------------------------------------------


def test_smoke_is_a_fire_safety_ticket_for_the_fire_safety_technician(
    owner_chat: Chat, deps: Deps, world: World
) -> None:
    with deps.uow() as uow:
        liu = add_staff(uow, world.company_id, "刘师傅", "13700000007", "repair", "fire_safety")
        uow.commit()
    assert "119" in owner_chat.text(owner_chat.say("楼道里冒烟了"))
    owner_chat.say("报修")
    summary = owner_chat.text(owner_chat.say("家里烟味很大"))
    assert "类别：消防/烟雾" in summary
    assert "消防/烟雾" in owner_chat.text(owner_chat.say("确认"))
    assert [(t.category, t.assignee_staff_id) for t in _tickets(deps)] == [
        ("fire_safety", liu), ("fire_safety", liu),
    ]


# -- pinyin typos -----------------------------------------------------------------------------


def test_pinyin_typos_fill_the_repair_slots(owner_chat: Chat) -> None:
    summary = owner_chat.text(owner_chat.say("电题坏了"))
    assert "类别：电梯" in summary and "位置：公共区域" in summary
    owner_chat.say("取消")
    assert "请描述一下哪里坏了" in owner_chat.text(owner_chat.say("报休"))
    assert "描述：卫生间漏谁\n" in owner_chat.text(owner_chat.say("卫生间漏谁")) + "\n"
    assert fix_typos("报休 电题漏谁") == "报修 电梯漏水"  # same length: offsets still hold


# -- "I have paid" with nothing to pay --------------------------------------------------------


def test_paid_with_no_open_order_says_so_and_offers_the_bills(owner_chat: Chat) -> None:
    replies = owner_chat.say("付好了")
    assert "没有待支付的订单" in owner_chat.text(replies)
    assert _payloads(replies) == ["/check_bill"]
    owner_chat.say("我要交物业费")
    owner_chat.say("1")  # the order and its link
    owner_chat.say("算了")  # the flow is gone, the order still waits
    waiting = owner_chat.say("已支付")
    assert "待支付的订单" in owner_chat.text(waiting) and "537.00" in owner_chat.text(waiting)
    assert "缴费成功" in owner_chat.text(owner_chat.press(_payloads(waiting)[0]))
