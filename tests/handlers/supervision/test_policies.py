"""Policies: pushed to managers and to owners where the channel allows; answers newest first."""

from __future__ import annotations

import json

from sqlalchemy import select

from handlers.deps import Deps
from handlers.supervision import policies
from handlers.supervision.scope import RegulatorScope
from storage.models import Community, OutboxMessage
from tests.chat import Chat, FakeClock
from tests.factories import World, bind_identity
from tests.handlers.supervision.helpers import TZ


def test_published_to_managers_and_owners_where_the_channel_allows(
    sdeps: Deps, sworld: World, clock: FakeClock,
) -> None:
    wang, other = sworld.owner_ids["13812345678"], sworld.other["owner_id"]
    with sdeps.uow() as uow:
        ids = {
            "manager": bind_identity(uow, "wecom", "zhao", clock.now, staff_id=sworld.staff_ids["manager"]),
            "tg": bind_identity(uow, "telegram", "555", clock.now, owner_id=wang),
            "wechat": bind_identity(uow, "wechat", "oWang", clock.now, owner_id=wang),
            "other_street": bind_identity(uow, "web", "zhaoli", clock.now, owner_id=other),
        }
        done = policies.publish(uow, RegulatorScope("朝阳区", "劲松街道"), title="关于规范物业服务收费公示的通知",
                                summary="物业企业须在小区显著位置公示收费项目和标准，未公示的费用业主可以拒交。",
                                now=clock.now, tz=TZ, issuer="朝阳区劲松街道办事处", topic="fee")
        uow.commit()
        rows = [(r.identity_id, r.payload) for r in uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "policy"))]
    assert (done.managers, done.owners) == (1, 1)
    assert {r[0] for r in rows} == {ids["manager"], ids["tg"]}  # not WeChat, not another street
    text = json.loads(rows[0][1])["text"]
    assert "政策解读" in text and "朝阳区劲松街道办事处" in text and "2026-11-27" in text


def test_owners_get_the_newest_policy_of_their_district_first(
    sdeps: Deps, sworld: World, clock: FakeClock,
) -> None:
    with sdeps.uow() as uow:
        policies.publish(uow, RegulatorScope("海淀区"), title="海淀区物业收费新规", summary="只在海淀区适用的收费规定。",
                         now=clock.now, tz=TZ, topic="fee", keywords="物业费,收费标准")
        policies.publish(uow, RegulatorScope("朝阳区"), title="朝阳区物业服务收费公示新规",
                         summary="收费项目和标准必须公示。", now=clock.now, tz=TZ, topic="fee",
                         keywords="物业费,收费标准")
        uow.commit()
    owner = Chat(sdeps, user="wang")
    owner.bind_to(sworld.home_ids["3-2-501"], sworld.owner_ids["13812345678"])
    replies = owner.text(owner.say("物业费收费标准有什么政策规定"))
    assert "海淀区物业收费新规" not in replies
    assert replies.index("朝阳区物业服务收费公示新规") < replies.index("北京市物业服务收费政策解读")
    assert "2026-11-27" in replies


def test_a_policy_scoped_to_a_street_skips_other_streets() -> None:
    from storage.models import Policy

    street = Policy(district="朝阳区", street="劲松街道")
    assert policies.applies_to(street, Community(district="朝阳区", street="劲松街道"))
    assert not policies.applies_to(street, Community(district="朝阳区", street="望京街道"))
    assert policies.applies_to(Policy(district="", street=""), None)
