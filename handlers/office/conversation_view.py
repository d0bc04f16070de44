"""A conversation as the console shows it: the lines with their delivery state, and the
owner's home, open tickets and unpaid bills at a glance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from handlers.office import relay
from handlers.office.access import Actor, show_phone
from handlers.office.conversations import RECENT_LINES, wechat_window
from storage.models import OPEN_STATUSES, Conversation, ConversationMessage
from storage.uow import UnitOfWork

Iso = Callable[[datetime | None], str | None]
DELIVERY_STATES = ("received", "pending", "sending", "sent", "failed", "blocked", "skipped", "none")


def summary(uow: UnitOfWork, actor: Actor, conversation: Conversation, now: datetime, iso: Iso,
            lines: int = RECENT_LINES) -> dict[str, Any]:
    """The list shape: who, where, status, assignee and the latest lines."""
    home = uow.org.home(conversation.home_id) if conversation.home_id else None
    assignee = uow.org.staff(conversation.assignee_staff_id) if conversation.assignee_staff_id else None
    messages = uow.conversations.messages(conversation.id)[-lines:]
    window = wechat_window(uow, conversation, now)
    return {
        "id": conversation.id, "number": relay.number(uow, conversation),
        "status": conversation.status, "channel": conversation.channel,
        "home": f"{home.building.community.name} {home.label}" if home else None,
        "assignee": {"id": assignee.id, "name": assignee.name} if assignee else None,
        "created_at": iso(conversation.created_at), "updated_at": iso(conversation.updated_at),
        "escalated": conversation.escalated_at is not None,
        "wechat_window": None if window is None else {
            "open": window["open"], "closes_at": iso(window["closes_at"]),
            "messages_left": window["messages_left"]},
        "messages": message_list(uow, messages, iso),
    }


def detail(uow: UnitOfWork, actor: Actor, conversation: Conversation, now: datetime,
           iso: Iso) -> dict[str, Any]:
    """The conversation page: every line, plus the owner, open tickets and unpaid bills."""
    out = summary(uow, actor, conversation, now, iso, lines=500)
    owner = uow.identities.get(conversation.identity_id)
    person = owner.owner if owner is not None else None
    out["owner"] = {"name": person.name if person else "",
                    "phone": show_phone(actor, person.phone) if person else ""}
    tickets = uow.tickets.of_owner(conversation.owner_id, OPEN_STATUSES, limit=10) \
        if conversation.owner_id else []
    out["open_tickets"] = [{"number": x.number, "kind": x.kind, "status": x.status,
                            "description": x.description[:80]} for x in tickets]
    bills = uow.billing.unpaid_bills(conversation.home_id) if conversation.home_id else []
    out["unpaid_bills"] = [{"item": b.item, "period": b.period, "amount": str(b.amount),
                            "due_date": b.due_date.isoformat()} for b in bills[:12]]
    return out


def message_list(uow: UnitOfWork, messages: list[ConversationMessage], iso: Iso) -> list[dict[str, Any]]:
    """Lines with `from`, `text`, `at`, `delivery` (the outbox row's status for ours)."""
    states = uow.conversations.delivery([m.outbox_id for m in messages if m.outbox_id])
    return [{
        "id": m.id, "from": m.sender, "text": m.text, "at": iso(m.at),
        "delivery": "received" if m.sender == "owner" else states.get(m.outbox_id or 0, "none"),
        "media": {"kind": m.media_kind, "url": f"/console/media/{m.id}"} if m.media_ref else None,
    } for m in messages]
