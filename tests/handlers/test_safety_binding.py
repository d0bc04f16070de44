"""Issue 7, safety: no silent re-binding; binding by home + phone is a request the office decides.

Dialogue tests through the real NLU and dispatch (no forced intents).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from handlers.deps import Deps
from handlers.errors import Invalid, NotFound
from handlers.office import binding_requests as office
from storage.models import BindingRequest, ChannelIdentity, OutboxMessage
from tests.chat import Chat
from tests.factories import World


def _identity(deps: Deps, user: str) -> ChannelIdentity:
    with deps.uow() as uow:
        found = uow.identities.by_external("web", user)
        assert found is not None
        uow.session.expunge(found)
        return found


def _pushes(deps: Deps, identity_id: int) -> list[str]:
    with deps.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.identity_id == identity_id))
        return [json.loads(r.payload)["text"] for r in rows]


def test_bound_owner_naming_mothers_home_and_phone_is_not_rebound(owner_chat: Chat, deps: Deps) -> None:
    text = owner_chat.text(owner_chat.say("我帮我妈查一下，她住3-2-502，手机13900001111"))
    assert "本聊天已绑定 望京花园 3-2-501" in text and "添加家人" in text
    assert "绑定成功" not in text and "李秀英" not in text
    bills = owner_chat.text(owner_chat.say("物业费还欠多少"))
    assert "3-2-501" in bills and "360.00" not in bills  # still his own home, not hers
    identity = _identity(deps, "wang")
    assert identity.home_id is not None
    with deps.uow() as uow:
        assert uow.safety.requests(None) == []  # nothing was even requested


def test_bound_owner_typing_bind_with_another_home_is_refused(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("绑定3号楼2单元502 13900001111"))
    assert "本聊天已绑定" in text and "3-2-501" in text
    other = owner_chat.text(owner_chat.say("3-2-502的物业费多少"))
    assert "360.00" not in other


def test_bound_owner_naming_his_own_second_home_switches_focus(owner_chat: Chat) -> None:
    text = owner_chat.text(owner_chat.say("绑定12栋1102 13812345678"))
    assert "已切换到 望京花园 12-1102" in text


def test_home_and_phone_become_a_request_that_the_office_approves(
    chat: Chat, deps: Deps, world: World
) -> None:
    text = chat.text(chat.say("绑定3号楼2单元502 13900001111"))
    assert "已收到您的绑定申请" in text and "139****1111" in text and "物业服务中心核实" in text
    assert "李秀英" not in text
    refused = chat.text(chat.say("物业费还欠多少"))
    assert "360.00" not in refused and "绑定" in refused  # not bound yet
    again = chat.text(chat.say("绑定3号楼2单元502 13900001111"))
    assert "正在等待物业服务中心核实" in again
    with deps.uow() as uow:
        views = office.list_requests(uow)
        assert [(v.unit_label, v.phone, v.matches_register, v.owner_name) for v in views] == [
            ("3-2-502", "139****1111", True, "李秀英")]
        office.approve_request(uow, views[0].id, "cli", deps.clock())
        uow.commit()
    identity = _identity(deps, chat.user)
    assert identity.owner_id == world.owner_ids["13900001111"] and identity.verified
    assert any("物业已核实您的绑定申请" in p for p in _pushes(deps, identity.id))
    assert "360.00" in chat.text(chat.say("物业费还欠多少"))


def test_a_request_that_does_not_match_gets_the_same_answer_and_cannot_be_approved(
    chat: Chat, deps: Deps
) -> None:
    text = chat.text(chat.say("绑定3号楼2单元502 13911112222"))
    assert "已收到您的绑定申请" in text  # same words: the reply helps nobody guess
    with deps.uow() as uow:
        (view,) = office.list_requests(uow)
        assert not view.matches_register
        with pytest.raises(Invalid):
            office.approve_request(uow, view.id, "cli", deps.clock())
        office.reject_request(uow, view.id, "cli", deps.clock(), note="手机号与登记不符")
        uow.commit()
        with pytest.raises(Invalid):
            office.reject_request(uow, view.id, "cli", deps.clock())
        with pytest.raises(NotFound):
            office.approve_request(uow, 999, "cli", deps.clock())
    identity = _identity(deps, chat.user)
    assert identity.owner_id is None
    pushes = _pushes(deps, identity.id)
    assert any("未通过物业核实（手机号与登记不符）" in p and "010-64001234" in p for p in pushes)


def test_requests_are_scoped_to_the_company(chat: Chat, deps: Deps, world: World) -> None:
    chat.say("绑定3号楼2单元502 13900001111")
    with deps.uow() as uow:
        assert office.list_requests(uow, company_id=world.company_id)
        assert office.list_requests(uow, company_id=world.company_id + 100) == []
        request_id = uow.safety.requests()[0].id
        with pytest.raises(NotFound):
            office.approve_request(uow, request_id, "staff:1", deps.clock(), company_id=world.company_id + 100)


def test_at_most_three_requests_a_day(chat: Chat, deps: Deps) -> None:
    for room in ("501", "502", "503"):
        assert "已收到" in chat.text(chat.say(f"绑定3号楼2单元{room} 13911112222"))
    assert "今天的绑定申请已经够多了" in chat.text(chat.say("绑定3号楼2单元504 13911112222"))
    with deps.uow() as uow:
        assert len(uow.session.scalars(select(BindingRequest)).all()) == 3


def test_office_invite_code_for_another_owner_does_not_switch_a_bound_chat(
    owner_chat: Chat, deps: Deps, world: World
) -> None:
    from handlers.binding import issue_invite

    with deps.uow() as uow:
        code = issue_invite(uow, deps.clock(), home_id=world.home_ids["3-2-502"])
        uow.commit()
    text = owner_chat.text(owner_chat.say(f"绑定 {code}"))
    assert "本聊天已绑定" in text
    assert _identity(deps, "wang").owner_id == world.owner_ids["13812345678"]
    with deps.uow() as uow:
        assert uow.identities.invite(code).used_at is None  # still usable by its owner
