"""The outbox's claim/complete/release contract, on SQLite always and PostgreSQL when set."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.deliverers import Result
from storage.db import make_engine, make_session_factory
from storage.models import Base, ChannelIdentity, OutboxMessage
from storage.repositories.outbox_claims import RetryPolicy
from storage.uow import UnitOfWork
from tests.factories import World, bind_identity, build_world
from tests.storage.backends import fresh_pg_schema

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
UowFactory = Callable[[], UnitOfWork]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path) -> Iterator[tuple[UowFactory, World]]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'outbox.sqlite3'}")
        Base.metadata.create_all(engine)
        yield from _world(engine)
        engine.dispose()
        return
    with fresh_pg_schema() as url:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        yield from _world(engine)
        engine.dispose()


def _world(engine) -> Iterator[tuple[UowFactory, World]]:
    factory = make_session_factory(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(factory)

    with uow() as u:
        world = build_world(u)
        u.commit()
    yield uow, world


def seed(uow: UowFactory, world: World, n: int, *, due: datetime = NOW, chats: int = 1) -> list[int]:
    """`n` pending pushes spread over `chats` telegram accounts; their ids."""
    with uow() as u:
        owner = next(iter(world.owner_ids.values()))
        idents = [bind_identity(u, "telegram", f"55500{c:02d}", NOW, owner_id=owner) for c in range(chats)]
        rows = [
            {"identity_id": idents[i % chats], "channel": "telegram", "kind": "notice",
             "payload": '{"text": "停水"}', "dedupe_key": f"k{i}", "status": "pending",
             "attempts": 0, "next_attempt_at": due, "claimed_by": "", "claimed_until": None,
             "created_at": NOW, "sent_at": None, "last_error": ""}
            for i in range(n)
        ]
        assert u.outbox.add_many(rows) == n
        u.commit()
        return sorted(r.id for r in u.session.query(OutboxMessage))


def claim(uow: UowFactory, worker: str, limit: int, now: datetime = NOW, lease: float = 60) -> list[int]:
    with uow() as u:
        got = u.outbox.claim_batch(worker, limit, now, lease, ["telegram"])
        u.commit()
    return [p.id for p in got]


def row(uow: UowFactory, message_id: int) -> OutboxMessage:
    with uow() as u:
        found = u.session.get(OutboxMessage, message_id)
        assert found is not None
        u.session.expunge(found)
        return found


def test_claims_are_exclusive_ordered_and_leased(backend) -> None:
    uow, world = backend
    ids = seed(uow, world, 5)
    first, second = claim(uow, "a", 3), claim(uow, "b", 3)
    assert first == ids[:3] and second == ids[3:]
    assert claim(uow, "c", 3) == []
    got = row(uow, ids[0])
    assert (got.status, got.claimed_by, got.attempts) == ("sending", "a", 1)
    assert got.claimed_until == NOW + timedelta(seconds=60)


def test_claim_returns_what_delivery_needs(backend) -> None:
    uow, world = backend
    seed(uow, world, 1)
    with uow() as u:
        [push] = u.outbox.claim_batch("a", 5, NOW, 60, ["telegram"])
    assert (push.channel, push.kind, push.external_id, push.reachable) == ("telegram", "notice", "5550000", True)
    assert push.payload == {"text": "停水"}


def test_only_due_pushes_of_the_asked_channels_are_claimed(backend) -> None:
    uow, world = backend
    seed(uow, world, 2, due=NOW + timedelta(minutes=5))
    assert claim(uow, "a", 10) == []
    with uow() as u:
        assert u.outbox.claim_batch("a", 10, NOW + timedelta(minutes=5), 60, ["wechat"]) == []
        assert u.outbox.next_due(NOW, ["telegram"]) == NOW + timedelta(minutes=5)
    assert len(claim(uow, "a", 10, NOW + timedelta(minutes=5))) == 2


def test_a_lapsed_lease_makes_the_push_claimable_again(backend) -> None:
    uow, world = backend
    [only] = seed(uow, world, 1)
    claim(uow, "dead", 1, lease=30)
    assert claim(uow, "b", 1, NOW + timedelta(seconds=29)) == []
    assert claim(uow, "b", 1, NOW + timedelta(seconds=30)) == [only]
    got = row(uow, only)
    assert (got.claimed_by, got.attempts) == ("b", 2)


def test_renewing_keeps_the_lease(backend) -> None:
    uow, world = backend
    [only] = seed(uow, world, 1)
    claim(uow, "a", 1, lease=30)
    with uow() as u:
        assert u.outbox.extend_claims("a", NOW + timedelta(seconds=90)) == 1
        u.commit()
    assert claim(uow, "b", 1, NOW + timedelta(seconds=60)) == []


def complete(uow: UowFactory, message_id: int, result: Result, worker: str = "a", **kw) -> str:
    with uow() as u:
        status = u.outbox.complete(message_id, result, NOW, worker_id=worker, **kw)
        u.commit()
    return status


def test_complete_records_each_outcome(backend) -> None:
    uow, world = backend
    ids = seed(uow, world, 3, chats=3)
    claim(uow, "a", 3)
    assert complete(uow, ids[0], Result("sent")) == "sent"
    assert complete(uow, ids[1], Result("retry_after", 12, "Too Many Requests")) == "pending"
    policy = RetryPolicy(max_attempts=1, jitter=0)
    assert complete(uow, ids[2], Result("failed", error="HTTP 502"), policy=policy) == "failed"
    sent, later, failed = (row(uow, i) for i in ids)
    assert (sent.status, sent.sent_at, sent.claimed_until) == ("sent", NOW, None)
    assert (later.status, later.attempts) == ("pending", 0)
    assert later.next_attempt_at == NOW + timedelta(seconds=12)
    assert (failed.status, failed.last_error) == ("failed", "HTTP 502")


def test_a_transient_failure_is_retried_later(backend) -> None:
    uow, world = backend
    [only] = seed(uow, world, 1)
    claim(uow, "a", 1)
    policy = RetryPolicy(base_seconds=30, jitter=0)
    assert complete(uow, only, Result("failed", error="timeout"), policy=policy) == "pending"
    got = row(uow, only)
    assert (got.attempts, got.next_attempt_at, got.last_error) == (1, NOW + timedelta(seconds=30), "timeout")


def test_blocked_marks_the_account_and_its_other_pushes(backend) -> None:
    uow, world = backend
    ids = seed(uow, world, 3)  # one account
    claim(uow, "a", 1)
    assert complete(uow, ids[0], Result("blocked", error="Forbidden")) == "blocked"
    assert [row(uow, i).status for i in ids] == ["blocked"] * 3
    with uow() as u:
        identity = u.session.get(ChannelIdentity, row(uow, ids[0]).identity_id)
        assert identity is not None and identity.reachable is False


def test_only_the_claim_holder_records_a_result(backend) -> None:
    uow, world = backend
    [only] = seed(uow, world, 1)
    claim(uow, "a", 1)
    assert complete(uow, only, Result("sent"), worker="b") == ""
    assert row(uow, only).status == "sending"


def test_release_gives_the_push_and_its_attempt_back(backend) -> None:
    uow, world = backend
    ids = seed(uow, world, 2)
    claim(uow, "a", 2)
    with uow() as u:
        assert u.outbox.release("a", ids, NOW, delay_seconds=5) == 2
        assert u.outbox.release("b", ids, NOW) == 0
        u.commit()
    got = row(uow, ids[0])
    assert (got.status, got.claimed_by, got.attempts) == ("pending", "", 0)
    assert got.next_attempt_at == NOW + timedelta(seconds=5)


def test_bulk_add_skips_known_dedupe_keys(backend) -> None:
    uow, world = backend
    seed(uow, world, 3)
    with uow() as u:
        first = u.session.query(OutboxMessage).first()
        assert first is not None
        again = {c.name: getattr(first, c.name) for c in OutboxMessage.__table__.columns if c.name != "id"}
        fresh = again | {"dedupe_key": "new-key"}
        assert u.outbox.add_many([again, fresh]) == 1
        u.commit()
        assert u.outbox.status_counts() == {"pending": 4}


def test_concurrent_claimers_never_share_a_push(backend) -> None:
    uow, world = backend
    seed(uow, world, 200, chats=5)
    taken: dict[str, list[int]] = {}

    def drain(name: str) -> None:
        mine = taken.setdefault(name, [])
        while got := claim(uow, name, 7):
            mine.extend(got)

    threads = [threading.Thread(target=drain, args=(f"w{i}",)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    everything = [i for ids in taken.values() for i in ids]
    assert len(everything) == 200 and len(set(everything)) == 200
