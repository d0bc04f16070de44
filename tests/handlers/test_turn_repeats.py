"""Faults of issue 8 in the core: repeats never do the work twice, odd text never loses a message.

- a redelivered message (its Redis claim gone after a restart) answers as before, no 2nd ticket;
- after kill -9 between saving a ticket and saving the dialogue state, "确认提交" again answers
  with the saved ticket;
- a lone surrogate in a message is stored and answered, not a 500 after the ticket;
- a new user's first 40 messages at once on two processes create one identity, no error.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from handlers import dispatch
from handlers.deps import Deps
from handlers.messages import Incoming
from handlers.texts import t
from storage.db import make_engine, make_session_factory
from storage.models import Base, ChannelIdentity, Ticket
from storage.uow import UnitOfWork
from tests.chat import Chat
from tests.conftest import TEST_DATABASE_URL


def _tickets(deps: Deps) -> list[tuple[str, str]]:
    with deps.uow() as uow:
        return [(row.number, row.description) for row in uow.session.scalars(select(Ticket))]


def test_a_redelivered_message_does_its_work_once(owner_chat: Chat, deps: Deps) -> None:
    message = Incoming(owner_chat.channel, owner_chat.user, text="闻到煤气味了", message_id="777")
    first = dispatch.handle(message, deps)
    # Redis restarted without persistence: the adapter's claim is gone, the update comes again.
    again = dispatch.handle(message, deps)
    assert len(_tickets(deps)) == 1
    assert [r.text for r in again.replies] == [r.text for r in first.replies]
    other = dispatch.handle(dataclasses.replace(message, message_id="778"), deps)
    assert other.replies  # a new message id is new work


def test_confirm_typed_again_after_a_crash_answers_with_the_saved_ticket(
    owner_chat: Chat, deps: Deps
) -> None:
    owner_chat.say("卫生间漏水了")
    owner_chat.say("我家的")
    key = next(k for k in deps.state._data if k.startswith("dialogue:"))  # type: ignore[attr-defined]
    before_confirm = deps.state.get(key)
    assert before_confirm and "确认提交" in (before_confirm.get("button_titles") or [])
    done = owner_chat.text(owner_chat.say("确认提交"))
    [(number, _)] = _tickets(deps)
    assert number in done
    # kill -9 after the commit, before the dialogue state was written: the old step is back.
    deps.state.set(key, before_confirm, 1800)
    again = owner_chat.text(owner_chat.say("确认提交"))
    assert len(_tickets(deps)) == 1
    assert number in again


def test_a_lone_surrogate_is_answered_and_stored(owner_chat: Chat, deps: Deps) -> None:
    replies = owner_chat.say("闻到煤气味了\ud83d")
    text = owner_chat.text(replies)
    assert replies and t("error_generic", "zh") not in text
    [(_, description)] = _tickets(deps)
    assert "煤气" in description
    follow = owner_chat.text(owner_chat.say("你好\udc00"))
    assert t("error_generic", "zh") not in follow


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_processes(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two engines (as two processes would have) on one database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'two.sqlite3'}"
        setup = make_engine(url)
        Base.metadata.create_all(setup)
        setup.dispose()
        yield url, url
        return
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL: set WUYE_TEST_DATABASE_URL")
    from tests.storage.backends import fresh_pg_schema

    with fresh_pg_schema() as url:
        setup = make_engine(url)
        Base.metadata.create_all(setup)
        setup.dispose()
        yield url, url


def test_a_new_user_s_first_40_messages_at_once_on_two_processes(
    two_processes: tuple[str, str], deps: Deps
) -> None:
    engines = [make_engine(url) for url in two_processes]
    try:
        per_process = []
        for engine in engines:
            factory = make_session_factory(engine)
            per_process.append(dataclasses.replace(deps, uow=lambda f=factory: UnitOfWork(f)))
        errors: list[str] = []
        barrier = threading.Barrier(40)

        def send(n: int) -> None:
            barrier.wait()
            message = Incoming("telegram", "9001", text="你好", message_id=str(n))
            try:
                outcome = dispatch.handle(message, per_process[n % 2])
            except Exception as err:  # an adapter would answer 500 to this
                errors.append(repr(err))
                return
            errors.extend(r.text for r in outcome.replies if r.text == t("error_generic", "zh"))

        threads = [threading.Thread(target=send, args=(n,)) for n in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with make_session_factory(engines[0])() as session:
            count = session.scalar(select(func.count()).select_from(ChannelIdentity))
        assert count == 1
    finally:
        for engine in engines:
            engine.dispose()
