"""Home record, contract, facilities, service standard, maintenance fund, policies: with sources."""

from __future__ import annotations

from datetime import date

from storage.models import Home
from tests.chat import Chat
from tests.factories import World


def test_house_info_without_a_start_date(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("我家面积多少", intent="query_house_info"))
    assert "望京花园 3-2-501" in text and "建筑面积：89.50㎡" in text
    assert "产权年限：70年（起始日期未登记" in text
    assert "登记业主1人，其他住户0人" in text
    assert "来源：京华物业服务有限公司房屋档案" in text


def test_house_info_counts_the_years_left(owner_chat: Chat, deps, world: World) -> None:
    with deps.uow() as uow:
        uow.session.get(Home, world.home_ids["3-2-501"]).property_start = date(2010, 1, 1)
        uow.commit()
    text = owner_chat.text(owner_chat.say("产权还剩几年", intent="query_house_info"))
    assert "自2010-01-01起，至2080-01-01止，还剩约53年1个月" in text


def test_contract_summary_lists_the_main_clauses(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("物业合同", intent="query_contract"))
    assert "《望京花园物业服务合同》" in text
    assert "合同期：2024-01-01 至 2026-12-31（执行中）" in text
    assert "物业费 3.00元/㎡·月" in text and "物业服务企业：京华物业服务有限公司" in text
    assert "主要条款" in text and "共8条" in text
    assert "来源：《望京花园物业服务合同》" in text


def test_contract_quotes_the_clauses_the_question_is_about(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("物业合同里装修是怎么规定的", intent="query_contract"))
    assert "与您问题相关的条款" in text
    assert "「业主装修前应到物业服务中心办理装修登记" in text
    assert "宠物" not in text and "共8条" not in text


def test_facilities_and_service_standard_name_their_source(owner_chat: Chat) -> None:
    facilities = owner_chat.text(owner_chat.say("小区有多少车位", intent="query_facilities"))
    assert "机动车停车位：420个" in facilities and "绿地面积：18,500㎡" in facilities
    assert "电梯：12部" in facilities
    assert "来源：京华物业服务有限公司公示的望京花园小区信息" in facilities
    standard = owner_chat.text(owner_chat.say("保安几点巡逻", intent="query_service_standard"))
    assert "秩序维护巡逻：每2小时一次" in standard and "垃圾清运：每日7:00、19:00" in standard
    assert "服务中心前台：8:00-20:00" in standard and "010-64009999" in standard


def test_facility_question_the_faq_knows_gets_that_answer_too(owner_chat: Chat) -> None:
    replies = owner_chat.say("小区有游泳池吗", intent="query_facilities")
    assert len(replies) == 2
    assert "没有游泳池" in replies[1].text and "来源：望京花园物业服务中心" in replies[1].text


def test_maintenance_fund_balance_and_latest_expenses(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("维修基金还剩多少", intent="query_maintenance_fund"))
    assert "当前余额：3,007,300.00元" in text
    assert "累计缴存3,200,000.00元，利息45,600.00元，已使用238,300.00元" in text
    assert text.index("12号楼屋面防水维修") < text.index("3号楼电梯更换主机及控制柜")
    assert "业主大会表决通过" in text
    assert "来源：望京花园专项维修资金账目" in text


def test_maintenance_fund_filtered_by_keyword(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("维修基金电梯花了多少", intent="query_maintenance_fund"))
    assert "与您问题相关的使用记录" in text
    assert "2025-08-15 3号楼电梯更换主机及控制柜：186,000.00元" in text
    assert "屋面" not in text


def test_policy_needs_no_binding_and_names_issuer_and_link(chat: Chat) -> None:
    text = chat.text(chat.say("维修资金使用有什么规定", intent="query_policy"))
    assert "《北京市住宅专项维修资金管理办法》" in text
    assert "北京市住房和城乡建设委员会，2021-06-01发布" in text
    assert "解读：维修资金专用于" in text and "原文：http://zjw.beijing.gov.cn/" in text
    assert "来源：北京市住房和城乡建设委员会" in text
    assert "物业服务收费" not in text


def test_policy_without_a_match_lists_what_is_known(chat: Chat) -> None:
    text = chat.text(chat.say("政策", intent="query_policy"))
    assert "我整理了以下物业相关政策" in text
    assert "· 《北京市物业服务收费政策解读》" in text


def test_community_data_needs_a_bound_home(chat: Chat) -> None:
    for intent in ("query_facilities", "query_contract", "query_maintenance_fund", "query_house_info"):
        text = chat.text(chat.say("小区情况", intent=intent))
        assert "还没有绑定房屋" in text and "420" not in text


def test_another_households_record_is_forbidden(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("502面积多大", intent="query_house_info",
                                          entities={"unit": "3-2-502"}))
    assert "只能查看和办理自己房屋" in text and "120" not in text


def test_english_facilities(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("how many parking spaces", intent="query_facilities"))
    assert "parking spaces: 420" in text and "(Source:" in text


def test_nlu_info_questions(owner_chat: Chat, chat: Chat) -> None:
    assert "当前余额：3,007,300.00元" in owner_chat.text(owner_chat.say("维修基金还剩多少"))
    assert "机动车停车位：420个" in owner_chat.text(owner_chat.say("小区有多少车位"))
    assert "产权年限：70年" in owner_chat.text(owner_chat.say("产权还剩几年"))
    assert "《北京市住宅专项维修资金管理办法》" in chat.text(chat.say("维修基金使用规定"))
