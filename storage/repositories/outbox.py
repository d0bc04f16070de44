"""Repository for outbox rows (pushes): written with the change that causes them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Building, OutboxMessage
from storage.repositories import audience
from storage.repositories import outbox_claims as claims
from storage.repositories.outbox_claims import ClaimedPush, DeliveryOutcome, RetryPolicy

__all__ = ["ClaimedPush", "DeliveryOutcome", "OutboxRepository", "RetryPolicy"]


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, message: OutboxMessage) -> OutboxMessage:
        """Queue one push (flushed, so a second push with its dedupe key sees it)."""
        self.session.add(message)
        self.session.flush()
        return message

    def has_dedupe_key(self, key: str) -> bool:
        """Whether a push with this dedupe key was already queued (in any state)."""
        stmt = select(func.count(OutboxMessage.id)).where(OutboxMessage.dedupe_key == key)
        return bool(self.session.scalar(stmt))

    def for_identity(self, identity_id: int, kind: str | None = None) -> list[OutboxMessage]:
        """The pushes queued for one chat account, oldest first, optionally of one kind."""
        stmt = select(OutboxMessage).where(OutboxMessage.identity_id == identity_id)
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return list(self.session.scalars(stmt.order_by(OutboxMessage.id)))

    def pending(self, limit: int = 100) -> list[OutboxMessage]:
        """Pending pushes in the order they were queued."""
        stmt = select(OutboxMessage).where(OutboxMessage.status == "pending")
        return list(self.session.scalars(stmt.order_by(OutboxMessage.id).limit(limit)))

    def count(self, kind: str | None = None) -> int:
        """How many pushes exist, optionally of one kind."""
        stmt = select(func.count(OutboxMessage.id))
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return int(self.session.scalar(stmt) or 0)

    # -- the sender's side (claim, complete, release) ------------------------------------
    # Appended for bot/sender.py; the SQL lives in storage/repositories/outbox_claims.py.

    def claim_batch(
        self, worker_id: str, limit: int, now: datetime, lease_seconds: float,
        channels: Collection[str] | None = None, *,
        kinds: Collection[str] | None = None, exclude_kinds: Collection[str] | None = None,
    ) -> list[ClaimedPush]:
        """Claim up to `limit` due pushes for `worker_id` (status `sending`, leased).

        Pushes left in `sending` past their lease (a crashed process) are due again.
        The caller commits at once: the claim is one short transaction.
        """
        return claims.claim_batch(
            self.session, worker_id, limit, now, lease_seconds, channels,
            kinds=kinds, exclude_kinds=exclude_kinds,
        )

    def complete(
        self, message_id: int, result: DeliveryOutcome, now: datetime, *,
        worker_id: str | None = None, policy: RetryPolicy | None = None,
    ) -> str:
        """Record how one delivery went; returns the push's new status ('' if not ours)."""
        return claims.complete(self.session, message_id, result, now, worker_id, policy)

    def complete_many(
        self, results: Sequence[tuple[int, DeliveryOutcome]], now: datetime, *,
        worker_id: str, policy: RetryPolicy | None = None,
    ) -> list[str]:
        """`complete` for a group of results (one UPDATE for all the sent ones)."""
        return claims.complete_many(self.session, results, now, worker_id, policy)

    def release(
        self, worker_id: str, ids: Collection[int], now: datetime, delay_seconds: float = 0.0
    ) -> int:
        """Hand unstarted claims back (pending, attempt not counted); returns how many."""
        return claims.release(self.session, worker_id, ids, now, delay_seconds)

    def extend_claims(self, worker_id: str, until: datetime) -> int:
        """Renew the lease of every push `worker_id` holds; returns how many."""
        return claims.extend(self.session, worker_id, until)

    def next_due(self, now: datetime, channels: Collection[str] | None = None) -> datetime | None:
        """When the next push becomes claimable (None: nothing waiting)."""
        return claims.next_due(self.session, now, channels)

    def add_many(self, rows: Sequence[dict[str, Any]]) -> int:
        """Bulk-queue pushes (dicts of outbox columns); duplicate dedupe keys are skipped.

        No ORM objects: a 100,000-recipient broadcast goes in chunks of plain rows.
        Returns how many rows were new.
        """
        return claims.add_many(self.session, rows)

    def status_counts(self, kind: str | None = None) -> dict[str, int]:
        """How many pushes are in each status, optionally of one kind."""
        stmt = select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(
            OutboxMessage.status
        )
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        return {status: int(n) for status, n in self.session.execute(stmt)}

    # -- broadcasts -----------------------------------------------------------------------

    def audience_ids(self, scope: audience.Scope) -> list[int]:
        """The chat accounts a broadcast to `scope` reaches (identity ids, ascending)."""
        return audience.ids(self.session, scope)

    def audience_locales(self, scope: audience.Scope) -> set[str]:
        """The languages of those accounts."""
        return audience.locales(self.session, scope)

    def queue_copies(
        self, scope: audience.Scope, first_id: int, last_id: int, kind: str,
        payloads: Mapping[str, str], default_locale: str, key_prefix: str, now: datetime,
    ) -> int:
        """One push per account of `scope` with id in [first_id, last_id] (INSERT … SELECT)."""
        return audience.queue_copies(
            self.session, scope, first_id, last_id, kind, payloads, default_locale, key_prefix, now
        )

    def audience_building(self, community_id: int, name: str) -> Building | None:
        """The building a broadcast is narrowed to, by name, or None."""
        return audience.building(self.session, community_id, name)
