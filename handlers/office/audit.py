"""Every console action in the audit log: who, what, when, and the row before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.office.access import Actor
from storage.uow import UnitOfWork


def record(
    uow: UnitOfWork, actor: Actor | str, action: str, target: str, now: datetime,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
    **extra: Any,
) -> None:
    """One audit line `console.ACTION` (phones are masked by the repository)."""
    who = actor.audit_name if isinstance(actor, Actor) else actor
    detail: dict[str, Any] = {**extra}
    if before is not None:
        detail["before"] = before
    if after is not None:
        detail["after"] = after
    if isinstance(actor, Actor) and actor.scope.company_id is not None:
        detail["company_id"] = actor.scope.company_id
    uow.audit.record(now, actor=who, action=f"console.{action}", target=target, detail=detail)
