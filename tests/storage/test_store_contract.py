"""One contract for every store backend: memory, SQLite, PostgreSQL and Redis."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from tests.storage.backends import Backend, LimiterBackend

RACERS = 20


def race(attempt: Callable[[], bool]) -> list[bool]:
    """Run `attempt` in RACERS threads released together; their results."""
    barrier = threading.Barrier(RACERS)
    results: list[bool] = []
    errors: list[BaseException] = []
    guard = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            won = attempt()
        except BaseException as exc:  # surfaced below: a thread's exception is otherwise lost
            with guard:
                errors.append(exc)
            return
        with guard:
            results.append(won)

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


# Key-value ------------------------------------------------------------------------------


def test_kv_set_get_delete(backend: Backend) -> None:
    value = {"flow": "report_repair", "slots": {"位置": "卫生间", "urgent": True}, "n": [1, 2]}
    assert backend.kv.get("dialog:web:u1") is None
    backend.kv.set("dialog:web:u1", value, ttl_seconds=60)
    assert backend.kv.get("dialog:web:u1") == value
    backend.kv.set("dialog:web:u1", {"flow": "pay"}, ttl_seconds=60)
    assert backend.kv.get("dialog:web:u1") == {"flow": "pay"}
    backend.kv.delete("dialog:web:u1")
    assert backend.kv.get("dialog:web:u1") is None
    backend.kv.delete("dialog:web:u1")  # deleting what is gone is fine


def test_kv_returns_a_copy(backend: Backend) -> None:
    backend.kv.set("k", {"items": [1]}, ttl_seconds=60)
    got = backend.kv.get("k")
    assert got is not None
    got["items"].append(2)
    assert backend.kv.get("k") == {"items": [1]}


def test_kv_keys_are_independent(backend: Backend) -> None:
    backend.kv.set("a", {"v": 1}, ttl_seconds=60)
    backend.kv.set("b", {"v": 2}, ttl_seconds=60)
    backend.kv.delete("a")
    assert backend.kv.get("b") == {"v": 2}


def test_kv_expiry(backend: Backend) -> None:
    backend.kv.set("k", {"v": 1}, ttl_seconds=60)
    backend.advance(50)
    assert backend.kv.get("k") == {"v": 1}
    backend.advance(11)
    assert backend.kv.get("k") is None
    backend.kv.set("k", {"v": 2}, ttl_seconds=60)  # over the expired entry
    assert backend.kv.get("k") == {"v": 2}


def test_kv_set_renews_expiry(backend: Backend) -> None:
    backend.kv.set("k", {"v": 1}, ttl_seconds=60)
    backend.advance(50)
    backend.kv.set("k", {"v": 2}, ttl_seconds=60)
    backend.advance(50)
    assert backend.kv.get("k") == {"v": 2}


# Claims ---------------------------------------------------------------------------------


def test_claim_once_then_after_expiry(backend: Backend) -> None:
    assert backend.claims.claim("wechat:msg:1", ttl_seconds=60) is True
    assert backend.claims.claim("wechat:msg:1", ttl_seconds=60) is False
    assert backend.claims.claim("wechat:msg:2", ttl_seconds=60) is True
    backend.advance(59)
    assert backend.claims.claim("wechat:msg:1", ttl_seconds=60) is False
    backend.advance(2)
    assert backend.claims.claim("wechat:msg:1", ttl_seconds=60) is True
    assert backend.claims.claim("wechat:msg:1", ttl_seconds=60) is False


def test_claim_release(backend: Backend) -> None:
    assert backend.claims.claim("job:digest", ttl_seconds=60) is True
    backend.claims.release("job:digest")
    assert backend.claims.claim("job:digest", ttl_seconds=60) is True
    backend.claims.release("never-claimed")


def test_claim_race_has_one_winner(backend: Backend) -> None:
    results = race(lambda: backend.claims.claim("wechat:msg:race", ttl_seconds=60))
    assert sorted(results) == [False] * (RACERS - 1) + [True]


def test_claim_race_over_an_expired_claim_has_one_winner(backend: Backend) -> None:
    assert backend.claims.claim("wechat:msg:stale", ttl_seconds=10)
    backend.advance(11)
    results = race(lambda: backend.claims.claim("wechat:msg:stale", ttl_seconds=60))
    assert sorted(results) == [False] * (RACERS - 1) + [True]


def test_claims_and_kv_do_not_collide(backend: Backend) -> None:
    backend.kv.set("same", {"v": 1}, ttl_seconds=60)
    assert backend.claims.claim("same", ttl_seconds=60) is True
    assert backend.locks.acquire("same", "a", ttl_seconds=60) is True
    backend.claims.release("same")
    assert backend.kv.get("same") == {"v": 1}
    assert backend.locks.refresh("same", "a", ttl_seconds=60) is True


# Locks ----------------------------------------------------------------------------------


def test_lock_owner_semantics(backend: Backend) -> None:
    locks = backend.locks
    assert locks.acquire("scheduler", "host-a", ttl_seconds=30) is True
    assert locks.acquire("scheduler", "host-b", ttl_seconds=30) is False
    assert locks.acquire("scheduler", "host-a", ttl_seconds=30) is False  # holders refresh
    assert locks.refresh("scheduler", "host-b", ttl_seconds=30) is False
    locks.release("scheduler", "host-b")  # not hers: nothing happens
    assert locks.acquire("scheduler", "host-b", ttl_seconds=30) is False
    assert locks.refresh("scheduler", "host-a", ttl_seconds=30) is True
    locks.release("scheduler", "host-a")
    assert locks.acquire("scheduler", "host-b", ttl_seconds=30) is True


def test_lock_refresh_extends_and_expiry_frees(backend: Backend) -> None:
    locks = backend.locks
    assert locks.acquire("token-refresher", "a", ttl_seconds=30) is True
    backend.advance(20)
    assert locks.refresh("token-refresher", "a", ttl_seconds=30) is True
    backend.advance(20)  # 40 s after acquiring, 20 s after refreshing: still held
    assert locks.acquire("token-refresher", "b", ttl_seconds=30) is False
    backend.advance(11)
    assert locks.refresh("token-refresher", "a", ttl_seconds=30) is False  # expired: lost
    assert locks.acquire("token-refresher", "b", ttl_seconds=30) is True
    locks.release("token-refresher", "a")  # a stale owner cannot free b's lock
    assert locks.refresh("token-refresher", "b", ttl_seconds=30) is True


def test_lock_race_has_one_winner(backend: Backend) -> None:
    owners = iter(f"worker-{i}" for i in range(RACERS))
    guard = threading.Lock()

    def attempt() -> bool:
        with guard:
            owner = next(owners)
        return backend.locks.acquire("leader", owner, ttl_seconds=30)

    assert sorted(race(attempt)) == [False] * (RACERS - 1) + [True]


# Rate limiter ---------------------------------------------------------------------------


def test_limiter_burst_then_wait(limiter_backend: LimiterBackend) -> None:
    limiter = limiter_backend.make()
    assert [limiter.acquire("telegram:global", 2.0, 3) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("telegram:global", 2.0, 3) == pytest.approx(0.5)
    # A refused call takes nothing: asking again still says half a second.
    assert limiter.acquire("telegram:global", 2.0, 3) == pytest.approx(0.5)
    limiter_backend.advance(0.25)
    assert limiter.acquire("telegram:global", 2.0, 3) == pytest.approx(0.25)
    limiter_backend.advance(0.25)
    assert limiter.acquire("telegram:global", 2.0, 3) == 0.0
    assert limiter.acquire("telegram:global", 2.0, 3) == pytest.approx(0.5)


def test_limiter_refills_up_to_burst(limiter_backend: LimiterBackend) -> None:
    limiter = limiter_backend.make()
    for _ in range(2):
        assert limiter.acquire("chat:42", 1.0, 2) == 0.0
    limiter_backend.advance(3600)  # an hour idle refills to burst, not to 3600 tokens
    assert [limiter.acquire("chat:42", 1.0, 2) for _ in range(2)] == [0.0, 0.0]
    assert limiter.acquire("chat:42", 1.0, 2) == pytest.approx(1.0)


def test_limiter_keys_are_independent(limiter_backend: LimiterBackend) -> None:
    limiter = limiter_backend.make()
    assert limiter.acquire("chat:1", 1.0, 1) == 0.0
    assert limiter.acquire("chat:1", 1.0, 1) > 0
    assert limiter.acquire("chat:2", 1.0, 1) == 0.0


def test_limiter_refuses_nonsense(limiter_backend: LimiterBackend) -> None:
    with pytest.raises(ValueError):
        limiter_backend.make().acquire("k", 0.0, 1)


@pytest.mark.redis
def test_redis_limiter_is_shared_between_instances(redis_client: object, redis_prefix: str) -> None:
    from storage.stores.redis_store import RedisRateLimiter

    # Two limiters on the server's clock, as two processes would run them.
    first = RedisRateLimiter(redis_client, redis_prefix)  # type: ignore[arg-type]
    second = RedisRateLimiter(redis_client, redis_prefix)  # type: ignore[arg-type]
    assert first.acquire("wechat:global", 0.001, 2) == 0.0
    assert second.acquire("wechat:global", 0.001, 2) == 0.0
    # Empty: the next token is ~1000 s away whichever instance asks (real time barely moves).
    assert first.acquire("wechat:global", 0.001, 2) > 900
    assert second.acquire("wechat:global", 0.001, 2) > 900
