"""Repository for handed-over conversations, their messages and canned replies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.models import (
    CannedReply,
    Community,
    Conversation,
    ConversationMessage,
    Home,
    OutboxMessage,
)
from storage.repositories.scope import Scope

LIVE_STATUSES = ("waiting", "open")


class ConversationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, conversation_id: int) -> Conversation | None:
        """One conversation by id (scope is the caller's check)."""
        return self.session.get(Conversation, conversation_id)

    def live_for_identity(self, identity_id: int) -> Conversation | None:
        """The chat account's conversation a person holds (waiting or open), if any."""
        stmt = (select(Conversation)
                .where(Conversation.identity_id == identity_id,
                       Conversation.status.in_(LIVE_STATUSES))
                .order_by(Conversation.id.desc()).limit(1))
        return self.session.scalars(stmt).first()

    def for_ticket(self, ticket_id: int) -> Conversation | None:
        """The newest conversation opened with this handoff ticket."""
        stmt = (select(Conversation).where(Conversation.ticket_id == ticket_id)
                .order_by(Conversation.id.desc()).limit(1))
        return self.session.scalars(stmt).first()

    def in_scope(
        self, scope: Scope, status: str | None, limit: int, before_id: int | None = None,
    ) -> list[Conversation]:
        """Conversations the scope sees, newest first, below `before_id`."""
        stmt = select(Conversation).where(
            Conversation.community_id.in_(select(Community.id).where(scope.communities())))
        if scope.building_ids:
            homes = select(Home.id).where(Home.building_id.in_(sorted(scope.building_ids)))
            stmt = stmt.where(or_(Conversation.home_id.is_(None), Conversation.home_id.in_(homes)))
        if status:
            stmt = stmt.where(Conversation.status == status)
        if before_id:
            stmt = stmt.where(Conversation.id < before_id)
        return list(self.session.scalars(stmt.order_by(Conversation.id.desc()).limit(limit)))

    def add(self, conversation: Conversation) -> Conversation:
        self.session.add(conversation)
        self.session.flush()
        return conversation

    def add_message(self, message: ConversationMessage) -> ConversationMessage:
        self.session.add(message)
        self.session.flush()
        return message

    def messages(self, conversation_id: int, after_id: int = 0, limit: int = 500) -> list[ConversationMessage]:
        """The conversation's lines in order, after `after_id`."""
        stmt = (select(ConversationMessage)
                .where(ConversationMessage.conversation_id == conversation_id,
                       ConversationMessage.id > after_id)
                .order_by(ConversationMessage.id).limit(limit))
        return list(self.session.scalars(stmt))

    def message(self, message_id: int) -> ConversationMessage | None:
        return self.session.get(ConversationMessage, message_id)

    def delivery(self, outbox_ids: list[int]) -> dict[int, str]:
        """outbox id → its status (pending/sending/sent/failed/blocked/skipped)."""
        if not outbox_ids:
            return {}
        rows = self.session.execute(
            select(OutboxMessage.id, OutboxMessage.status).where(OutboxMessage.id.in_(outbox_ids)))
        return {row_id: status for row_id, status in rows}

    def unanswered(self, since: datetime) -> list[Conversation]:
        """Waiting conversations nobody answered, created before `since`, not yet escalated."""
        stmt = select(Conversation).where(
            Conversation.status == "waiting", Conversation.last_staff_at.is_(None),
            Conversation.escalated_at.is_(None), Conversation.created_at <= since)
        return list(self.session.scalars(stmt.order_by(Conversation.id)))

    def canned(self, company_id: int) -> list[CannedReply]:
        """A company's canned replies, in the order they were added."""
        stmt = select(CannedReply).where(CannedReply.company_id == company_id).order_by(CannedReply.id)
        return list(self.session.scalars(stmt))
