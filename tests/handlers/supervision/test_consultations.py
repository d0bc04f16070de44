"""Consultations: pushed with choices, answered in the chat (one per account, changeable
until closed), results by community and company, scope kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.deps import Deps
from handlers.errors import Invalid, NotFound
from handlers.supervision import consultations
from handlers.supervision.scope import RegulatorScope
from storage.models import OutboxMessage
from tests.chat import Chat, FakeClock
from tests.factories import World, bind_identity
from tests.handlers.supervision.helpers import at

CHAOYANG = RegulatorScope("朝阳区")


def test_answers_by_button_and_text_one_per_account_until_closed(
    sdeps: Deps, sworld: World, clock: FakeClock,
) -> None:
    wang = Chat(sdeps, user="wang")
    wang.bind_to(sworld.home_ids["3-2-501"], sworld.owner_ids["13812345678"])
    zhaoli = Chat(sdeps, user="zhaoli")
    zhaoli.bind_to(sworld.other["home_id"], sworld.other["owner_id"])
    manager = Chat(sdeps, user="mgr")
    with sdeps.uow() as uow:
        bind_identity(uow, "web", "mgr", clock.now, staff_id=sworld.staff_ids["manager"])
        bind_identity(uow, "wechat", "oWang", clock.now, owner_id=sworld.owner_ids["13812345678"])
        found, pushed = consultations.open_consultation(
            uow, CHAOYANG, "维修资金续筹标准是否调整为每平方米2元？", ["同意", "不同意", "无所谓"],
            at("2026-12-10 18:00"), clock.now)
        uow.commit()
        qid = found.id
        kinds = [m.channel for m in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "consultation"))]
    assert pushed == 3 and sorted(kinds) == ["web", "web", "web"]  # not the WeChat account

    assert "同意" in wang.text(wang.press(f'/consultation_answer{{"consultation": "{qid}", "choice": "1"}}'))
    changed = wang.text(wang.say(f"意见 Q{qid} 2 费用太高，先公示上次的使用情况"))
    assert "已修改" in changed and "不同意" in changed
    zhaoli.say(f"意见 Q{qid} 2")
    manager.say(f"意见 Q{qid} 1 支持")
    assert "没有这个选项" in wang.text(wang.say(f"意见 Q{qid} 7"))
    clock.now = at("2026-12-10 18:00")
    assert "已截止" in wang.text(wang.say(f"意见 Q{qid} 1"))

    with sdeps.uow() as uow:
        result = consultations.results(uow, CHAOYANG, qid, clock.now)
        with pytest.raises(NotFound):  # another district's regulator cannot read it
            consultations.results(uow, RegulatorScope("海淀区"), qid, clock.now)
    assert result["status"] == "closed" and result["total"] == [1, 2, 0]
    assert {c["name"]: c["counts"] for c in result["by_community"]} == {
        "望京花园": [0, 1, 0], "朝阳新城": [0, 1, 0]}
    assert {c["name"]: c["counts"] for c in result["by_company"]} == {
        "京华物业服务有限公司": [1, 1, 0], "安居物业管理有限公司": [0, 1, 0]}
    assert {"choice": 2, "role": "owner", "comment": "费用太高，先公示上次的使用情况"} in result["comments"]


def test_accounts_outside_the_scope_cannot_answer(sdeps: Deps, sworld: World, clock: FakeClock) -> None:
    wang = Chat(sdeps, user="wang")
    wang.bind_to(sworld.home_ids["3-2-501"], sworld.owner_ids["13812345678"])
    with sdeps.uow() as uow:
        found, _ = consultations.open_consultation(uow, RegulatorScope("海淀区"), "问题", ["是", "否"],
                                                   at("2026-12-10 18:00"), clock.now)
        uow.commit()
        qid = found.id
    assert "没有找到征求意见" in wang.text(wang.say(f"意见 Q{qid} 1"))


def test_a_consultation_needs_two_choices_and_a_future_close(sdeps: Deps, sworld: World, clock: FakeClock) -> None:
    with sdeps.uow() as uow:
        with pytest.raises(Invalid):
            consultations.open_consultation(uow, CHAOYANG, "问题", ["只有一个"], at("2026-12-10 18:00"), clock.now)
        with pytest.raises(Invalid):
            consultations.open_consultation(uow, CHAOYANG, "问题", ["是", "否"], clock.now, clock.now)
