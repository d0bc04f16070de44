"""The unit of work: one session, its repositories, one commit. Repositories never commit."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from storage.repositories.audit import AuditRepository
from storage.repositories.billing import BillingRepository
from storage.repositories.console import ConsoleRepository
from storage.repositories.content import ContentRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.identities import IdentityRepository
from storage.repositories.operations import OperationsRepository
from storage.repositories.org import OrgRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.payments import PaymentRepository
from storage.repositories.safety import SafetyRepository
from storage.repositories.supervision import SupervisionRepository
from storage.repositories.tickets import TicketRepository
from storage.repositories.turns import TurnRepository


class UnitOfWork:
    """`with uow_factory() as uow: ...; uow.commit()` — leaving without commit rolls back."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.org = OrgRepository(self.session)
        self.identities = IdentityRepository(self.session)
        self.billing = BillingRepository(self.session)
        self.tickets = TicketRepository(self.session)
        self.content = ContentRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.turns = TurnRepository(self.session)
        self.safety = SafetyRepository(self.session)
        self.console = ConsoleRepository(self.session)
        self.conversations = ConversationRepository(self.session)
        self.operations = OperationsRepository(self.session)
        self.payments = PaymentRepository(self.session)
        self.supervision = SupervisionRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()
        callbacks, self._after_commit = getattr(self, "_after_commit", []), []
        for callback in callbacks:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the next commit succeeds (live nudges: never for a rollback)."""
        if not hasattr(self, "_after_commit"):
            self._after_commit = []
        self._after_commit.append(callback)

    def rollback(self) -> None:
        self.session.rollback()
        self._after_commit = []

    def flush(self) -> None:
        self.session.flush()
