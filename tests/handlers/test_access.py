"""Who sees what: the bound owner, the home in focus, several homes, staff only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.access import ChooseHome, current_home, require_owner, require_staff
from handlers.errors import Forbidden, NotBound
from handlers.messages import Incoming
from handlers.turn import Turn
from storage.models import ChannelIdentity, HomeMember
from tests.chat import Chat
from tests.factories import World


def _turn(uow, deps, identity: ChannelIdentity, entities: dict[str, str] | None = None) -> Turn:
    turn = Turn(Incoming("web", identity.external_id, "x"), identity, uow, deps, deps.clock(), "zh")
    turn.parse = {"intent": {"name": "x", "confidence": 1.0},
                  "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()]}
    return turn


def _identity(uow, clock, owner_id=None, home_id=None, staff_id=None) -> ChannelIdentity:
    identity = uow.identities.get_or_create("web", "probe", clock.now)
    identity.owner_id, identity.home_id, identity.staff_id = owner_id, home_id, staff_id
    return identity


def test_unbound_identity_is_not_an_owner(deps, clock, world: World) -> None:
    with deps.uow() as uow:
        turn = _turn(uow, deps, _identity(uow, clock))
        with pytest.raises(NotBound):
            require_owner(turn)
        with pytest.raises(NotBound):
            current_home(turn)


def test_several_homes_without_focus_ask_to_choose(owner_chat: Chat, deps, clock, world: World) -> None:
    wang = world.owner_ids["13812345678"]
    with deps.uow() as uow:
        turn = _turn(uow, deps, _identity(uow, clock, owner_id=wang))
        with pytest.raises(ChooseHome) as err:
            current_home(turn)
        assert err.value.params["homes"] == "3-2-501、12-1102"
        named = _turn(uow, deps, turn.identity, {"unit": "12-1102"})
        assert current_home(named).id == world.home_ids["12-1102"]
        with pytest.raises(Forbidden):
            current_home(_turn(uow, deps, turn.identity, {"unit": "3-2-502"}))


def test_choose_home_reply_through_the_chat(owner_chat: Chat, deps, world: World) -> None:
    with deps.uow() as uow:
        identity = uow.identities.by_external("web", owner_chat.user)
        identity.home_id = None
        uow.commit()
    text = owner_chat.text(owner_chat.say("欠多少", intent="check_bill"))
    assert "您名下有多套房屋（3-2-501、12-1102）" in text and "268.50" not in text


def test_single_home_becomes_the_focus(deps, clock, world: World) -> None:
    li = world.owner_ids["13900001111"]
    with deps.uow() as uow:
        turn = _turn(uow, deps, _identity(uow, clock, owner_id=li))
        assert current_home(turn).label == "3-2-502"
        assert turn.identity.home_id == world.home_ids["3-2-502"]


def test_a_focus_on_a_home_no_longer_theirs_is_ignored(deps, clock, world: World) -> None:
    li = world.owner_ids["13900001111"]
    with deps.uow() as uow:
        # Li once had 3-2-501 in focus (say, before a sale): it must not show her its bills.
        turn = _turn(uow, deps, _identity(uow, clock, owner_id=li, home_id=world.home_ids["3-2-501"]))
        assert current_home(turn).label == "3-2-502"


def test_removed_membership_means_not_bound(owner_chat: Chat, deps, world: World) -> None:
    with deps.uow() as uow:
        for member in uow.session.scalars(select(HomeMember).where(
                HomeMember.owner_id == world.owner_ids["13812345678"])):
            uow.session.delete(member)
        uow.commit()
    assert "还没有绑定房屋" in owner_chat.text(owner_chat.say("欠多少", intent="check_bill"))


def test_staff_only(deps, clock, world: World) -> None:
    with deps.uow() as uow:
        owner_turn = _turn(uow, deps, _identity(uow, clock, owner_id=world.owner_ids["13812345678"]))
        with pytest.raises(Forbidden) as err:
            require_staff(owner_turn)
        assert err.value.text_key == "access_staff_only"
        staff_turn = _turn(uow, deps, _identity(uow, clock, staff_id=world.staff_ids["finance"]))
        assert require_staff(staff_turn).name == "钱会计"
