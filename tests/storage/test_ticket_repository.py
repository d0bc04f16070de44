"""Ticket numbering, routing queries, attachments and the outbox on SQLite and PostgreSQL,
including creators racing for the same day's numbers."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from handlers.deps import HandlerSettings
from handlers.tickets_core import TicketDraft, open_ticket
from storage.models import Attachment, OutboxMessage
from storage.uow import UnitOfWork
from tests.factories import World, bind_identity

Uow = Callable[[], UnitOfWork]
NOW = datetime.fromisoformat("2026-11-27T10:00:00+08:00")


def test_sequences_are_per_key_and_survive_commits(uow: Uow, built: World) -> None:
    with uow() as work:
        assert [work.tickets.next_sequence("R20261127") for _ in range(3)] == [1, 2, 3]
        assert work.tickets.next_sequence("C20261127") == 1
        work.commit()
    with uow() as work:
        assert work.tickets.next_sequence("R20261127") == 4
    with uow() as work:  # the rolled-back number is handed out again, so no gaps
        assert work.tickets.next_sequence("R20261127") == 4


def test_racing_creators_never_share_a_number(uow: Uow, built: World) -> None:
    settings = HandlerSettings(max_tickets_per_day=1000)
    draft = TicketDraft(kind="repair", community_id=built.community_id, description="漏水",
                        home_id=built.home_ids["3-2-501"], owner_id=built.owner_ids["13812345678"],
                        category="plumbing")

    def create_five(_: int) -> list[str]:
        numbers = []
        for _ in range(5):
            with uow() as work:
                numbers.append(open_ticket(work, draft, now=NOW, actor="system",
                                           settings=settings).number)
                work.commit()
        return numbers

    with ThreadPoolExecutor(max_workers=6) as pool:
        created = [n for batch in pool.map(create_five, range(6)) for n in batch]
    assert sorted(created) == [f"R20261127{i:03d}" for i in range(1, 31)]


def test_routing_queries(uow: Uow, built: World) -> None:
    draft = TicketDraft(kind="repair", community_id=built.community_id, description="漏水",
                        home_id=built.home_ids["3-2-501"], category="plumbing")
    with uow() as work:
        ticket = open_ticket(work, draft, now=NOW, actor="system", settings=HandlerSettings())
        repair = built.staff_ids["repair"]
        assert ticket.assignee_staff_id == repair
        assert work.tickets.open_load([repair, built.staff_ids["manager"]]) == {repair: 1}
        assert [s.id for s in work.tickets.on_duty_staff(built.company_id, ["repair"])] == [repair]
        assert [t.number for t in work.tickets.open_for_staff(repair)] == [ticket.number]
        assert work.tickets.by_number(ticket.number.lower()) is ticket


def test_pending_attachments_and_outbox_dedupe(uow: Uow, built: World) -> None:
    with uow() as work:
        identity_id = bind_identity(work, "web", "wang", NOW, owner_id=built.owner_ids["13812345678"])
        work.tickets.add_attachment(Attachment(identity_id=identity_id, kind="photo", ref="old.jpg",
                                               created_at=NOW - timedelta(days=2)))
        work.tickets.add_attachment(Attachment(identity_id=identity_id, kind="photo", ref="new.jpg",
                                               created_at=NOW))
        pending = work.tickets.pending_attachments(identity_id, NOW - timedelta(hours=24))
        assert [a.ref for a in pending] == ["new.jpg"]
        work.outbox.add(OutboxMessage(identity_id=identity_id, channel="web", kind="notice",
                                      payload="{}", dedupe_key="k1", next_attempt_at=NOW,
                                      created_at=NOW))
        assert work.outbox.has_dedupe_key("k1") and not work.outbox.has_dedupe_key("k2")
        assert work.outbox.count("notice") == 1 and len(work.outbox.pending()) == 1
