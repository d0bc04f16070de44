"""Issue 7, safety: emergencies while the database is down answer from the rules alone, the
report waits in the disk spool, and becomes a ticket (once) when the database is back."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from sqlalchemy import select

from handlers import dispatch
from handlers.deps import Deps
from handlers.messages import Incoming
from handlers.owners import offline
from storage.db import make_engine, make_session_factory
from storage.models import AuditLog, OutboxMessage, SpooledReport, Ticket
from storage.spool import ReportSpool
from storage.uow import UnitOfWork
from tests.chat import Chat
from tests.factories import World


def _down(deps: Deps, tmp_path: Path) -> Deps:
    """The same Deps, but the database is a file that cannot be opened (a real driver error)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite3'}")
    factory = make_session_factory(engine)
    return dataclasses.replace(deps, uow=lambda: UnitOfWork(factory),
                               spool=ReportSpool(tmp_path / "spool"))


def _tickets(deps: Deps) -> list[Ticket]:
    with deps.uow() as uow:
        found = list(uow.session.scalars(select(Ticket).order_by(Ticket.id)))
        uow.session.expunge_all()
        return found


def test_gas_while_the_database_is_down_gets_advice_and_is_spooled_then_replayed_once(
    deps: Deps, world: World, tmp_path: Path
) -> None:
    owner = Chat(deps, user="wang")
    owner.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    down = _down(deps, tmp_path)
    text = "\n".join(r.text for r in dispatch.handle(Incoming("web", "wang", text="闻到煤气味了"), down).replies)
    assert "关闭燃气总阀" in text and "96777" in text and "请马上打电话" in text
    assert "您的报告已保存" in text and "您的消息已记录" not in text
    [record] = down.spool.waiting()  # type: ignore[union-attr]
    assert record["kind"] == "gas" and record["text"] == "闻到煤气味了"
    assert _tickets(deps) == []
    back = dataclasses.replace(deps, spool=down.spool)
    assert offline.replay(back) == 1
    [ticket] = _tickets(deps)
    assert (ticket.urgency, ticket.category, ticket.owner_id) == ("emergency", "gas", world.owner_ids["13812345678"])
    assert down.spool.waiting() == []  # type: ignore[union-attr]
    with deps.uow() as uow:
        assert uow.session.get(SpooledReport, record["id"]).ticket_id == ticket.id
        pushes = [json.loads(p.payload)["text"] for p in uow.session.scalars(select(OutboxMessage))]
    assert any("已登记为紧急工单" in p and ticket.number in p for p in pushes)
    # The same file again (a crash between commit and delete): nothing new.
    down.spool.put(record)  # type: ignore[union-attr]
    assert offline.replay(back) == 0
    assert len(_tickets(deps)) == 1 and down.spool.waiting() == []  # type: ignore[union-attr]


def test_an_ordinary_message_while_down_is_saved_and_said_so_truthfully(
    deps: Deps, world: World, tmp_path: Path
) -> None:
    down = _down(deps, tmp_path)
    saved = dispatch.handle(Incoming("web", "guest", text="物业费多少钱"), down).replies[0].text
    assert "您的消息已保存" in saved
    lost = dispatch.handle(Incoming("web", "guest", text="物业费多少钱"),
                           dataclasses.replace(down, spool=None)).replies[0].text
    assert "没能保存" in lost and "已保存" not in lost and "已记录" not in lost
    assert offline.replay(dataclasses.replace(deps, spool=down.spool)) == 1
    with deps.uow() as uow:  # unbound: no ticket to open, the audit log keeps it
        assert uow.session.scalars(select(AuditLog).where(AuditLog.action == "unhandled_message")).all()


def test_hypothetical_while_down_gets_advice_and_nothing_is_queued_as_an_emergency(
    deps: Deps, world: World, tmp_path: Path
) -> None:
    down = _down(deps, tmp_path)
    text = dispatch.handle(Incoming("web", "guest", text="着火了怎么办"), down).replies[0].text
    assert "119" in text and "您的报告已保存" not in text
    assert [r["kind"] for r in down.spool.waiting()] == [""]  # type: ignore[union-attr]


def test_the_next_message_after_recovery_replays_the_spool(
    deps: Deps, world: World, tmp_path: Path
) -> None:
    owner = Chat(deps, user="wang")
    owner.bind_to(world.home_ids["3-2-501"], world.owner_ids["13812345678"])
    down = _down(deps, tmp_path)
    dispatch.handle(Incoming("web", "wang", text="电梯里困人了"), down)
    back = Chat(dataclasses.replace(deps, spool=down.spool), user="wang")
    back.say("你好")
    assert [t.category for t in _tickets(deps)] == ["elevator"]
