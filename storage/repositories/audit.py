"""Repository for audit log (masked details)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import AuditLog

# The same rule as handlers.util.mask_phones; storage must not import handlers.
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def _mask(text: str) -> str:
    return _PHONE.sub(r"\1****\3", text)


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        now: datetime,
        actor: str,
        action: str,
        target: str = "",
        detail: dict[str, Any] | None = None,
    ) -> AuditLog:
        """Append one audit line; phone numbers in target and detail are masked here."""
        text = json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True)
        row = AuditLog(
            at=now, actor=actor[:60], action=action[:60], target=_mask(target)[:120],
            detail=_mask(text),
        )
        self.session.add(row)
        self.session.flush()
        return row

    def count_since(self, actor: str, action: str, since: datetime) -> int:
        """How many `action` lines `actor` has since `since` (rate limits, e.g. failed binds)."""
        stmt = select(func.count(AuditLog.id)).where(
            AuditLog.actor == actor, AuditLog.action == action, AuditLog.at >= since
        )
        return int(self.session.scalar(stmt) or 0)

    def recent(self, action: str | None = None, limit: int = 50) -> list[AuditLog]:
        """The newest audit lines, optionally of one action."""
        stmt = select(AuditLog)
        if action:
            stmt = stmt.where(AuditLog.action == action)
        return list(self.session.scalars(stmt.order_by(AuditLog.id.desc()).limit(limit)))
