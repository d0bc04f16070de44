"""Publishing a notice: who is in scope, preferences, safety notices, re-runs, wording."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers import broadcasts
from handlers.broadcasts import enqueue_notice, publish_notice
from handlers.errors import Invalid, NotFound
from handlers.notify import notice_dedupe_key
from storage.models import AuditLog, ChannelIdentity, HomeMember, Notice, OutboxMessage, Owner
from tests.factories import World, add_other_company, bind_identity

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 28, 9, 0, tzinfo=TZ)
END = datetime(2026, 11, 28, 17, 0, tzinfo=TZ)
WANG, LI = "13812345678", "13900001111"


@pytest.fixture
def accounts(uow_factory, world: World, clock) -> dict[str, int]:
    """Chat accounts: 王 (3-2-501 and 12-1102) on two channels, 李 (3-2-502), a resident of
    12-1102 only, someone in another community, and accounts that must never get a notice."""
    now = clock()
    with uow_factory() as uow:
        zhang = Owner(name="张伟", phone="13511112222")
        uow.session.add(zhang)
        uow.session.flush()
        uow.session.add(HomeMember(home_id=world.home_ids["12-1102"], owner_id=zhang.id, role="resident"))
        other = add_other_company(uow)
        ids = {
            "wang_tg": bind_identity(uow, "telegram", "5550001", now, owner_id=world.owner_ids[WANG]),
            "wang_web": bind_identity(uow, "web", "wang", now, owner_id=world.owner_ids[WANG]),
            "li_wx": bind_identity(uow, "wechat", "o-li", now, owner_id=world.owner_ids[LI]),
            "zhang_tg": bind_identity(uow, "telegram", "5550003", now, owner_id=zhang.id),
            "other_tg": bind_identity(uow, "telegram", "5550009", now, owner_id=other["owner_id"]),
            "wang_tty": bind_identity(uow, "terminal", "tty", now, owner_id=world.owner_ids[WANG]),
            "unverified": bind_identity(uow, "web", "guess", now, owner_id=world.owner_ids[LI],
                                        verified=False),
            "staff": bind_identity(uow, "telegram", "5550100", now, staff_id=world.staff_ids["repair"]),
        }
        uow.commit()
    return ids


def publish(uow_factory, clock, *, building: str | None = None, kind: str = "water_outage",
            **kw) -> broadcasts.Published:
    with uow_factory() as uow:
        done = publish_notice(uow, "望京花园", building, kind, kw.pop("title", None),
                              kw.pop("text", "管道检修，请提前储水。"), START, END, clock(), **kw)
        uow.commit()
    return done


def recipients(uow_factory) -> dict[int, OutboxMessage]:
    with uow_factory() as uow:
        found = {m.identity_id: m for m in uow.session.query(OutboxMessage)}
        uow.session.expunge_all()
    return found


def test_a_building_notice_reaches_exactly_the_homes_of_that_building(uow_factory, clock, accounts) -> None:
    done = publish(uow_factory, clock, building="3号楼")
    got = recipients(uow_factory)
    assert set(got) == {accounts["wang_tg"], accounts["wang_web"], accounts["li_wx"]}
    assert (done.recipients, done.queued) == (3, 3)
    assert {m.channel for m in got.values()} == {"telegram", "web", "wechat"}
    assert all(m.status == "pending" and m.kind == "notice" for m in got.values())


def test_a_community_notice_reaches_every_resident_once(uow_factory, clock, accounts) -> None:
    publish(uow_factory, clock, kind="activity")
    got = recipients(uow_factory)
    # 王 lives in two homes of the community: still one push per chat account.
    assert set(got) == {accounts[k] for k in ("wang_tg", "wang_web", "li_wx", "zhang_tg")}


def test_opted_out_owners_get_no_ordinary_notice_but_safety_ones(uow_factory, clock, accounts) -> None:
    with uow_factory() as uow:
        li = uow.session.get(ChannelIdentity, accounts["li_wx"])
        assert li is not None
        li.notify_notices = False
        uow.commit()
    publish(uow_factory, clock, building="3", kind="general")
    assert accounts["li_wx"] not in recipients(uow_factory)
    publish(uow_factory, clock, building="3", kind="power_outage")
    assert accounts["li_wx"] in recipients(uow_factory)


def test_safety_notices_respect_opt_outs_when_not_always_on(uow_factory, clock, accounts) -> None:
    with uow_factory() as uow:
        li = uow.session.get(ChannelIdentity, accounts["li_wx"])
        assert li is not None
        li.notify_notices = False
        uow.commit()
    publish(uow_factory, clock, building="3", kind="water_outage", safety_always_on=False)
    assert accounts["li_wx"] not in recipients(uow_factory)


def test_unreachable_accounts_are_left_out(uow_factory, clock, accounts) -> None:
    with uow_factory() as uow:
        wang = uow.session.get(ChannelIdentity, accounts["wang_tg"])
        assert wang is not None
        wang.reachable = False
        uow.commit()
    publish(uow_factory, clock, building="3")
    assert set(recipients(uow_factory)) == {accounts["wang_web"], accounts["li_wx"]}


def test_queueing_again_adds_nobody_twice(uow_factory, clock, accounts) -> None:
    done = publish(uow_factory, clock, building="3")
    with uow_factory() as uow:
        notice = uow.session.get(Notice, done.notice_id)
        assert enqueue_notice(uow, notice, clock()) == (3, 0)
        uow.commit()
    got = recipients(uow_factory)
    assert len(got) == 3
    ident = accounts["li_wx"]
    assert got[ident].dedupe_key == notice_dedupe_key(done.notice_id, "published", ident)


def test_the_push_reads_well_in_each_language(uow_factory, clock, accounts) -> None:
    with uow_factory() as uow:
        web = uow.session.get(ChannelIdentity, accounts["wang_web"])
        assert web is not None
        web.locale = "en"
        uow.commit()
    publish(uow_factory, clock, building="3", title="3号楼停水")
    got = recipients(uow_factory)
    zh = json.loads(got[accounts["li_wx"]].payload)["text"]
    en = json.loads(got[accounts["wang_web"]].payload)["text"]
    assert zh == "【停水通知】3号楼停水\n时间：11月28日 09:00–17:00\n范围：望京花园 3号楼\n管道检修，请提前储水。"
    assert en.startswith("[Water outage] 3号楼停水\nWhen: Nov 28 09:00–17:00\nWhere: 望京花园, building 3")


def test_the_notice_is_stored_and_audited(uow_factory, clock, accounts) -> None:
    done = publish(uow_factory, clock, building="3", kind="elevator")
    with uow_factory() as uow:
        notice = uow.session.get(Notice, done.notice_id)
        assert notice is not None
        assert (notice.scope, notice.kind, notice.title) == ("building", "elevator", "望京花园 3号楼电梯停运通知")
        assert (notice.starts_at, notice.ends_at, notice.published_at) == (START, END, clock())
        audit = uow.session.query(AuditLog).filter_by(action="notice_published").one()
        assert json.loads(audit.detail)["queued"] == 3


def test_pushes_are_queued_in_chunks_with_progress(uow_factory, clock, accounts, monkeypatch) -> None:
    monkeypatch.setattr(broadcasts, "CHUNK", 2)
    seen: list[tuple[int, int]] = []
    publish(uow_factory, clock, kind="general", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 4), (2, 4), (4, 4)]
    assert len(recipients(uow_factory)) == 4


@pytest.mark.parametrize(
    ("args", "error", "key"),
    [
        ({"community": "不存在小区"}, NotFound, "broadcast_no_community"),
        ({"building": "99"}, NotFound, "broadcast_no_building"),
        ({"kind": "flood"}, Invalid, "broadcast_bad_kind"),
        ({"text": "  "}, Invalid, "broadcast_empty_text"),
        ({"end": START - timedelta(hours=1)}, Invalid, "broadcast_bad_window"),
    ],
    ids=["community", "building", "kind", "text", "window"],
)
def test_bad_input_is_refused_before_anything_is_written(uow_factory, clock, accounts, args, error, key) -> None:
    values = {"community": "望京花园", "building": None, "kind": "general", "text": "通知",
              "end": END} | args
    with uow_factory() as uow, pytest.raises(error) as raised:
        publish_notice(uow, values["community"], values["building"], values["kind"], None,
                       values["text"], START, values["end"], clock())
    assert raised.value.text_key == key
    assert recipients(uow_factory) == {}


def test_marking_restored_tells_the_same_owners_once(uow_factory, clock, accounts, deps) -> None:
    """`notice restore`: the job then pushes "service restored" to the notice's recipients, once."""
    from handlers.jobs_notices import notice_reminders

    done = publish(uow_factory, clock, building="3")
    published_to = set(recipients(uow_factory))
    clock.advance(hours=30)  # after the outage window
    with uow_factory() as uow:
        broadcasts.mark_restored(uow, done.notice_id, clock())
        broadcasts.mark_restored(uow, done.notice_id, clock() + timedelta(hours=1))  # kept once
        uow.commit()
    notice_reminders(deps, clock())
    notice_reminders(deps, clock())  # a second run adds nobody
    with uow_factory() as uow:
        restored = [m.identity_id for m in uow.session.query(OutboxMessage)
                    if ":restored:" in (m.dedupe_key or "") and m.channel != "terminal"]
    # (the job also writes rows for terminal chats, which the sender marks skipped)
    assert restored and set(restored) == published_to
    assert len(restored) == len(set(restored))


def test_restoring_an_unknown_notice_is_refused(uow_factory, clock, world) -> None:
    with uow_factory() as uow, pytest.raises(NotFound):
        broadcasts.mark_restored(uow, 9999, clock())
