"""Pushes are outbox rows: written with the change, once, never for opted-out or blocked chats."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from handlers import notify
from handlers.deps import Deps
from handlers.messages import Button
from handlers.tickets_core import TicketDraft, open_ticket
from storage.models import OutboxMessage, Ticket
from tests.chat import Chat, FakeClock
from tests.factories import World, bind_identity


def _rows(deps: Deps) -> list[tuple[int, str, dict]]:
    with deps.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(r.identity_id, r.kind, json.loads(r.payload)) for r in rows]


@pytest.fixture
def wang_telegram(deps: Deps, world: World, clock: FakeClock) -> int:
    """王建国's second chat account (Telegram), verified."""
    with deps.uow() as uow:
        identity_id = bind_identity(uow, "telegram", "555", clock(),
                                    owner_id=world.owner_ids["13812345678"],
                                    home_id=world.home_ids["3-2-501"])
        uow.commit()
    return identity_id


@pytest.fixture
def zhang_id(deps: Deps, world: World, clock: FakeClock) -> int:
    with deps.uow() as uow:
        identity_id = bind_identity(uow, "wecom", "zhang", clock(), staff_id=world.staff_ids["repair"])
        uow.commit()
    return identity_id


def test_push_writes_a_pending_row_and_sends_nothing(deps: Deps, wang_telegram: int, clock: FakeClock) -> None:
    with deps.uow() as uow:
        identity = uow.identities.get(wang_telegram)
        msg = notify.push(uow, identity, "ticket_update", "您好", (Button("⭐5", "/rate"),), now=clock())
        assert msg is not None
        uow.commit()
    with deps.uow() as uow:
        row = uow.session.scalars(select(OutboxMessage)).one()
        assert (row.status, row.channel, row.attempts, row.next_attempt_at) == (
            "pending", "telegram", 0, clock())
        assert json.loads(row.payload) == {"text": "您好", "buttons": [{"title": "⭐5", "payload": "/rate"}]}


def test_push_skips_blocked_and_opted_out_accounts(deps: Deps, wang_telegram: int, clock: FakeClock) -> None:
    with deps.uow() as uow:
        identity = uow.identities.get(wang_telegram)
        identity.notify_tickets = False
        assert notify.push(uow, identity, "ticket_update", "x", now=clock()) is None
        assert notify.push(uow, identity, "bill_reminder", "bills still on", now=clock()) is not None
        identity.notify_notices = False
        assert notify.push(uow, identity, "notice", "停水", now=clock()) is None
        assert notify.push(uow, identity, "notice", "停水", now=clock(), safety=True) is not None
        identity.reachable = False
        assert notify.push(uow, identity, "notice", "停水", now=clock(), safety=True) is None
        uow.commit()
    assert [kind for _, kind, _ in _rows(deps)] == ["bill_reminder", "notice"]


def test_a_second_push_with_the_same_dedupe_key_is_skipped(
    deps: Deps, wang_telegram: int, clock: FakeClock
) -> None:
    with deps.uow() as uow:
        identity = uow.identities.get(wang_telegram)
        assert notify.push(uow, identity, "notice", "a", dedupe_key="notice:1:5", now=clock())
        uow.commit()
    with deps.uow() as uow:
        identity = uow.identities.get(wang_telegram)
        assert notify.push(uow, identity, "notice", "a", dedupe_key="notice:1:5", now=clock()) is None
        uow.commit()
    assert len(_rows(deps)) == 1


def test_nothing_is_queued_when_the_unit_of_work_fails(
    deps: Deps, world: World, zhang_id: int, clock: FakeClock
) -> None:
    draft = TicketDraft(kind="repair", community_id=world.community_id, description="漏水",
                        home_id=world.home_ids["3-2-501"], owner_id=world.owner_ids["13812345678"],
                        category="plumbing")
    with pytest.raises(RuntimeError), deps.uow() as uow:
        open_ticket(uow, draft, now=clock(), actor="system", settings=deps.settings)
        assert uow.outbox.count() == 1  # written in the same transaction…
        raise RuntimeError("the change fails")
    assert _rows(deps) == []  # …so it is gone with it
    with deps.uow() as uow:
        assert uow.session.scalars(select(Ticket)).all() == []


def test_a_new_ticket_reaches_the_assignee_with_action_buttons(
    owner_chat: Chat, deps: Deps, zhang_id: int
) -> None:
    owner_chat.say("卫生间漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    [(identity_id, kind, payload)] = _rows(deps)
    assert (identity_id, kind) == (zhang_id, "staff_ticket")
    text = payload["text"]
    assert "R20261127001" in text and "水管/漏水" in text and "望京花园 3-2-501" in text
    assert "普通" in text and "卫生间漏水" in text
    assert "王** 13812345678" in text  # the assignee must be able to call the owner
    assert [b["payload"] for b in payload["buttons"]] == [
        '/staff_accept{"ticket": "R20261127001"}',
        '/staff_transfer{"ticket": "R20261127001"}',
        '/staff_done{"ticket": "R20261127001"}',
    ]


def test_an_unroutable_ticket_goes_to_the_managers(owner_chat: Chat, deps: Deps, world: World,
                                                   clock: FakeClock) -> None:
    with deps.uow() as uow:
        zhao = bind_identity(uow, "wecom", "zhao", clock(), staff_id=world.staff_ids["manager"])
        uow.commit()
    owner_chat.say("电梯坏了", intent="report_repair")  # 张师傅 does plumbing and electrical only
    owner_chat.press("repair:confirm")
    assert [(i, k) for i, k, _ in _rows(deps)] == [(zhao, "staff_ticket")]


def test_each_status_change_reaches_every_verified_account_of_the_owner_once(
    owner_chat: Chat, deps: Deps, wang_telegram: int, zhang_id: int, clock: FakeClock
) -> None:
    with deps.uow() as uow:  # an unverified account of the same owner gets nothing
        bind_identity(uow, "wechat", "o-unverified", clock(),
                      owner_id=uow.identities.get(wang_telegram).owner_id, verified=False)
        uow.commit()
    owner_chat.say("卫生间漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    zhang = Chat(deps, user="zhang", channel="wecom")
    zhang.press('/staff_accept{"ticket": "R20261127001"}')
    zhang.press('/staff_accept{"ticket": "R20261127001"}')  # pressed twice: no second push
    with deps.uow() as uow:
        web = uow.identities.by_external("web", "wang").id
    rows = [(i, k) for i, k, _ in _rows(deps)]
    # created: staff card; "assigned" goes to Telegram (the web chat had the reply);
    # accepted: both of the owner's verified accounts.
    assert rows == [
        (wang_telegram, "ticket_update"), (zhang_id, "staff_ticket"),
        (web, "ticket_update"), (wang_telegram, "ticket_update"),
    ]
    accepted = _rows(deps)[-1][2]["text"]
    assert "师傅已接单" in accepted and "张师傅 137****0001" in accepted


def test_an_owner_who_turned_ticket_updates_off_gets_none(
    owner_chat: Chat, deps: Deps, zhang_id: int
) -> None:
    owner_chat.say("别再给我推工单进度了", intent="notification_settings")
    owner_chat.say("卫生间漏水", intent="report_repair")
    owner_chat.press("repair:confirm")
    Chat(deps, user="zhang", channel="wecom").press('/staff_accept{"ticket": "R20261127001"}')
    assert [k for _, k, _ in _rows(deps)] == ["staff_ticket"]
    with deps.uow() as uow:
        assert uow.identities.by_external("web", "wang").notify_bills is True

