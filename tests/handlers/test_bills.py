"""Bills, late fees, the pay flow, settlement and payment history, through the chat harness."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from handlers import billing_rules
from handlers.errors import Invalid
from handlers.payments import settle_payment
from storage.models import AuditLog, Bill, Payment, Refund, Ticket
from tests.chat import Chat
from tests.factories import World


def _reference(replies: list) -> str:
    payload = next(b.payload for r in replies for b in r.buttons if b.payload.startswith("/confirm_payment"))
    return json.loads(payload.removeprefix("/confirm_payment"))["reference"]


def _pay_everything(chat: Chat) -> str:
    chat.say("交物业费", intent="pay_bill")
    return _reference(chat.press('/pay_bill{"confirm": "1"}'))


def test_check_bill_lists_unpaid_bills_total_and_late_fees(owner_chat: Chat) -> None:
    replies = owner_chat.say("我家物业费还欠多少", intent="check_bill")
    text = owner_chat.text(replies)
    assert "3-2-501 待缴费用" in text
    assert "物业费 2026年10月：268.50元（已逾期27天，滞纳金2.17元）" in text
    assert "水费 2026年10月：45.20元（已逾期12天，滞纳金0.16元）" in text
    assert "物业费 2026年11月：268.50元（11月30日前缴纳）" in text
    assert "合计：582.20元" in text
    assert "滞纳金合计2.33元" in text
    assert "每日万分之3" in text and "《望京花园物业服务合同》" in text
    assert "来源：京华物业服务有限公司收费系统" in text
    assert "2026年9月" not in text  # September is paid
    payloads = [b.payload for b in replies[0].buttons]
    assert payloads == ["/pay_bill", "/payment_history"]


def test_check_bill_filters_by_item_and_period(owner_chat: Chat) -> None:
    fee = owner_chat.text(owner_chat.say("物业费", intent="check_bill",
                                         entities={"bill_item": "property_fee"}))
    assert "合计：537.00元" in fee and "水费" not in fee
    october = owner_chat.say("上个月的", intent="check_bill", entities={"period": "2026-10"})
    assert "合计：313.70元" in owner_chat.text(october)
    assert october[0].buttons[0].payload == '/pay_bill{"period": "2026-10"}'


def test_late_fee_is_rounded_half_up_to_the_fen() -> None:
    october = Bill(amount=Decimal("268.50"), late_fee_rate=Decimal("0.0003"),
                   due_date=date(2026, 10, 31), status="unpaid")
    assert billing_rules.late_fee(october, date(2026, 11, 27)) == Decimal("2.17")
    # 250.00 × 0.0003 × 7 = 0.525: half-up gives 0.53 (banker's rounding would give 0.52).
    half = Bill(amount=Decimal("250.00"), late_fee_rate=Decimal("0.0003"),
                due_date=date(2026, 11, 20), status="unpaid")
    assert billing_rules.late_fee(half, date(2026, 11, 27)) == Decimal("0.53")
    assert billing_rules.late_fee(half, date(2026, 11, 20)) == Decimal("0.00")


def test_nothing_owed_for_the_filter_names_the_next_bill(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("11月水费", intent="check_bill",
                                          entities={"bill_item": "water", "period": "2026-11"}))
    assert "没有待缴的2026年11月 水费" in text
    assert "最近一笔待缴：物业费 2026年10月 268.50元" in text


def test_unbound_user_gets_not_bound_and_no_data(chat: Chat) -> None:
    text = chat.text(chat.say("我家物业费还欠多少", intent="check_bill"))
    assert "还没有绑定房屋" in text
    assert "268.50" not in text and "合计" not in text and "逾期" not in text


@pytest.mark.parametrize("unit", ["3-2-502", "9-9-909"])
def test_another_households_unit_is_forbidden_and_reveals_nothing(owner_chat: Chat, unit: str) -> None:
    text = owner_chat.text(owner_chat.say(f"{unit}欠多少钱", intent="check_bill",
                                          entities={"unit": unit}))
    assert "只能查看和办理自己房屋" in text
    assert "360.00" not in text and "268.50" not in text


def test_owner_may_name_their_other_home(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("12栋1102欠费吗", intent="check_bill",
                                          entities={"unit": "12-1102"}))
    assert "12-1102 目前没有待缴费用" in text


def test_pay_flow_marks_bills_paid_and_shows_them_in_history(owner_chat: Chat, deps, world: World) -> None:
    prompt = owner_chat.say("交费", intent="pay_bill")
    assert "合计：582.20元" in owner_chat.text(prompt)
    assert [b.payload for b in prompt[0].buttons] == ['/pay_bill{"confirm": "1"}', "/deny"]
    link = owner_chat.press('/pay_bill{"confirm": "1"}')
    reference = _reference(link)
    assert f"http://127.0.0.1:8080/pay/{reference}" in owner_chat.text(link)
    receipt = owner_chat.text(owner_chat.press(f'/confirm_payment{{"reference": "{reference}"}}'))
    assert "缴费成功" in receipt and "合计：582.20元" in receipt and reference in receipt
    assert "目前没有待缴费用" in owner_chat.text(owner_chat.say("还欠钱吗", intent="check_bill"))
    history = owner_chat.text(owner_chat.say("缴费记录", intent="payment_history"))
    assert "· 2026-11-27 物业费 2026年11月：268.50元" in history
    assert "· 2026-09-20 物业费 2026年9月：268.50元" in history
    assert "合计：850.70元（共4笔）" in history
    assert history.index("2026-11-27") < history.index("2026-09-20")
    with deps.uow() as uow:
        payment = uow.billing.payment(reference)
        assert payment.status == "succeeded" and payment.amount == Decimal("582.20")
        assert uow.billing.unpaid_bills(world.home_ids["3-2-501"]) == []


def test_typed_number_confirms_and_cancel_leaves_bills_unpaid(owner_chat: Chat, deps, world: World) -> None:
    owner_chat.say("交水费", intent="pay_bill", entities={"bill_item": "water"})
    link = owner_chat.say("1")  # a number typed in place of the first button
    assert "订单已生成" in owner_chat.text(link) and "45.20元" in owner_chat.text(link)
    owner_chat.say("交物业费", intent="pay_bill", entities={"bill_item": "property_fee"})
    assert "没问题" in owner_chat.text(owner_chat.press("/deny"))
    with deps.uow() as uow:
        assert len(uow.billing.unpaid_bills(world.home_ids["3-2-501"])) == 3


def test_settling_twice_changes_nothing(owner_chat: Chat, deps, clock) -> None:
    reference = _pay_everything(owner_chat)
    with deps.uow() as uow:
        first = settle_payment(uow, reference, clock.now, "provider-1", Decimal("582.20"))
        uow.commit()
        paid_at = first.paid_at
    clock.advance(hours=1)
    with deps.uow() as uow:
        again = settle_payment(uow, reference, clock.now, "provider-2")
        uow.commit()
        assert again.paid_at == paid_at and again.provider_ref == "provider-1"
        bills = uow.session.scalars(select(Bill).where(Bill.paid_at == paid_at)).all()
        assert len(bills) == 3
        settled = uow.session.scalars(select(AuditLog).where(AuditLog.action == "payment_settled")).all()
        assert len(settled) == 1
        assert uow.session.scalars(select(Refund)).all() == []


def test_a_bill_paid_in_the_meantime_is_not_paid_twice(owner_chat: Chat, deps, clock, world: World) -> None:
    reference = _pay_everything(owner_chat)
    at_desk = datetime.fromisoformat("2026-11-27T09:00:00+08:00")
    with deps.uow() as uow:
        water = uow.billing.unpaid_bills(world.home_ids["3-2-501"], item="water")[0]
        water.status, water.paid_at = "paid", at_desk
        uow.commit()
    receipt = owner_chat.text(owner_chat.press(f'/confirm_payment{{"reference": "{reference}"}}'))
    assert "45.20元对应的账单此前已缴清" in receipt
    with deps.uow() as uow:
        refund = uow.session.scalars(select(Refund)).one()
        assert refund.amount == Decimal("45.20")
        water = uow.billing.bills(world.home_ids["3-2-501"], item="water")[0]
        assert water.paid_at == at_desk


def test_settle_refuses_a_different_amount(owner_chat: Chat, deps, clock) -> None:
    reference = _pay_everything(owner_chat)
    with deps.uow() as uow, pytest.raises(Invalid):
        settle_payment(uow, reference, clock.now, "provider-1", Decimal("1.00"))


def test_confirming_somebody_elses_payment_is_not_found(owner_chat: Chat, deps, world: World, clock) -> None:
    with deps.uow() as uow:
        uow.billing.add_payment(Payment(
            reference="WYOTHER", home_id=world.home_ids["3-2-502"], amount=Decimal("360.00"),
            bill_ids="5", status="pending", created_at=clock.now))
        uow.commit()
    text = owner_chat.text(owner_chat.press('/confirm_payment{"reference": "WYOTHER"}'))
    assert "没有找到" in text and "360.00" not in text
    with deps.uow() as uow:
        assert uow.billing.payment("WYOTHER").status == "pending"


def test_payment_history_by_period_and_capped(owner_chat: Chat, deps, world: World) -> None:
    none = owner_chat.text(owner_chat.say("去年交了多少", intent="payment_history",
                                          entities={"period": "2025"}))
    assert "3-2-501（2025年）暂无缴费记录" in none
    home_id = world.home_ids["3-2-501"]
    with deps.uow() as uow:
        for month in range(1, 16):
            year, m = 2024 + (month - 1) // 12, (month - 1) % 12 + 1
            uow.session.add(Bill(home_id=home_id, item="parking", period=f"{year}-{m:02d}",
                                 amount=Decimal("100.00"), due_date=date(year, m, 28),
                                 status="paid",
                                 paid_at=datetime(year, m, 10, 9, tzinfo=owner_chat.deps.settings.timezone)))
        uow.commit()
    text = owner_chat.text(owner_chat.say("缴费记录", intent="payment_history"))
    assert text.count("\n· ") == 12
    assert "另有4条更早的记录" in text and "合计：1,768.50元（共16笔）" in text
    year = owner_chat.text(owner_chat.say("2024年交的", intent="payment_history",
                                          entities={"period": "2024"}))
    assert "合计：1,200.00元（共12笔）" in year


def test_fee_question_explains_and_opens_a_finance_ticket_on_request(owner_chat: Chat, deps) -> None:
    replies = owner_chat.say("物业费怎么算的", intent="fee_question")
    text = owner_chat.text(replies)
    assert "89.50㎡ × 3.00元/㎡·月 = 268.50元/月" in text
    assert "《望京花园物业服务合同》" in text and "每日万分之3" in text
    assert "逾期账单的滞纳金合计2.33元" in text
    assert replies[0].buttons[0].payload == '/fee_question{"ticket": "1"}'
    created = owner_chat.text(owner_chat.press('/fee_question{"ticket": "1"}'))
    assert "已提交给财务核实，工单号 F20261127" in created
    with deps.uow() as uow:
        ticket = uow.session.scalars(select(Ticket)).one()
        assert ticket.kind == "fee_question" and "物业费怎么算的" in ticket.description


def test_a_disputed_charge_is_offered_to_finance_and_sent_only_on_yes(owner_chat: Chat, deps) -> None:
    text = owner_chat.text(owner_chat.say("这个月物业费多收了吧", intent="fee_question"))
    assert "要提交吗" in text and "已提交给财务核实" not in text
    with deps.uow() as uow:
        assert uow.session.scalars(select(Ticket)).all() == []
    assert "已提交给财务核实" in owner_chat.text(owner_chat.say("好的"))
    with deps.uow() as uow:
        ticket = uow.session.scalars(select(Ticket)).one()
        assert ticket.kind == "fee_question" and "多收了吧" in ticket.description


def test_english_bill_reply(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("how much do I owe", intent="check_bill"))
    assert "Unpaid bills of 3-2-501" in text
    assert "Property fee, Oct 2026: ¥268.50 (overdue 27 days, late fee so far ¥2.17)" in text
    assert "Total: ¥582.20" in text and "0.03% per day" in text


# -- through the real NLU ---------------------------------------------------------------------


def test_nlu_check_pay_and_history_dialogue(owner_chat: Chat, deps, world: World) -> None:
    assert "合计：537.00元" in owner_chat.text(owner_chat.say("我家物业费还欠多少"))
    assert "合计：537.00元" in owner_chat.text(owner_chat.say("我要交物业费"))
    link = owner_chat.say("确认")
    receipt = owner_chat.text(owner_chat.press(link[0].buttons[0].payload))
    assert "缴费成功" in receipt and "合计：537.00元" in receipt
    assert "45.20元" in owner_chat.text(owner_chat.say("还欠多少钱"))
    assert "（2025年）暂无缴费记录" in owner_chat.text(owner_chat.say("去年交了多少"))


def test_nlu_fee_question_then_yes_opens_a_ticket(owner_chat: Chat, deps) -> None:
    assert "每日万分之3" in owner_chat.text(owner_chat.say("滞纳金怎么算的"))
    assert "已提交给财务核实" in owner_chat.text(owner_chat.say("好的"))
    with deps.uow() as uow:
        assert "滞纳金怎么算的" in uow.session.scalars(select(Ticket)).one().description


def test_nlu_english_bill(owner_chat: Chat) -> None:
    assert "Total: ¥582.20" in owner_chat.text(owner_chat.say("how much do I owe"))

