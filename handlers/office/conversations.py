"""The console's side of live conversations: inbox, one conversation at a glance, reply,
assign / transfer, close, canned replies. Every function takes the actor first."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from handlers import notify
from handlers.deps import Deps
from handlers.errors import Invalid, NotFound
from handlers.office import audit, relay
from handlers.office.access import Actor, require, show_phone
from handlers.texts import t
from storage.models import Conversation, ConversationMessage, Staff
from storage.uow import UnitOfWork

WECHAT_WINDOW = timedelta(hours=48)
WECHAT_WINDOW_MESSAGES = 5  # customer-service messages per owner message (bot/channels/wechat)
DESK = frozenset({"admin", "manager", "front_desk"})
RECENT_LINES = 20


def get(uow: UnitOfWork, actor: Actor, conversation_id: int) -> Conversation:
    """The conversation if the actor may see it; NotFound for anything outside the scope."""
    require(actor, "conversations.read")
    conversation = uow.conversations.get(conversation_id)
    if conversation is None or not actor.scope.holds_company(conversation.company_id):
        raise NotFound("console_not_found")
    if actor.scope.building_ids and conversation.home_id is not None:
        home = uow.org.home(conversation.home_id)
        if home is None or home.building_id not in actor.scope.building_ids:
            raise NotFound("console_not_found")
    return conversation


def inbox(uow: UnitOfWork, actor: Actor, status: str | None, limit: int,
          before_id: int | None) -> list[Conversation]:
    """The actor's conversations, newest first."""
    require(actor, "conversations.read")
    return uow.conversations.in_scope(actor.scope, status, limit, before_id)


def reply(uow: UnitOfWork, deps: Deps, actor: Actor, conversation_id: int, text: str,
          now: datetime, media: tuple[str, str] | None = None) -> ConversationMessage:
    """A clerk's line: to the owner's own channel through the outbox; takes a waiting one."""
    require(actor, "conversations.reply")
    conversation = get(uow, actor, conversation_id)
    if conversation.status == "closed":
        raise Invalid("console_closed_conflict")
    if not text.strip() and media is None:
        raise Invalid("console_empty_reply")
    before = _state(conversation)
    identity = uow.identities.get(conversation.identity_id)
    locale = identity.locale if identity is not None else "zh"
    body = t("console_staff_reply", locale, name=actor.name, text=text.strip())
    outbox = None
    if identity is not None:
        payload = {"template": {"summary": t("console_new_reply_template", locale),
                                "url": deps.settings.public_base_url.rstrip("/") + "/"}}
        if media is not None:
            payload["image"] = media[1]
        outbox = _push(uow, identity, body, now, payload)
    line = relay.add_line(uow, conversation, "staff", text.strip(), now, staff_id=actor.staff_id,
                          outbox_id=outbox.id if outbox is not None else None,
                          media_kind=media[0] if media else "", media_ref=media[1] if media else "")
    if conversation.assignee_staff_id is None:
        conversation.assignee_staff_id = actor.staff_id
    conversation.status = "open"
    conversation.last_staff_at = conversation.updated_at = now
    audit.record(uow, actor, "conversation_reply", f"conversation:{conversation.id}", now,
                 before=before, after=_state(conversation), message_id=line.id)
    relay.nudge(uow, deps, conversation)
    return line


def close(uow: UnitOfWork, deps: Deps, actor: Actor, conversation_id: int, now: datetime) -> Conversation:
    """Give the owner back to the bot, and tell them so."""
    require(actor, "conversations.reply")
    conversation = get(uow, actor, conversation_id)
    if conversation.status == "closed":
        return conversation
    before = _state(conversation)
    identity = uow.identities.get(conversation.identity_id)
    text = t("console_closed_owner", identity.locale if identity else "zh")
    outbox = _push(uow, identity, text, now, {}) if identity is not None else None
    relay.add_line(uow, conversation, "system", text, now,
                   outbox_id=outbox.id if outbox is not None else None)
    conversation.status = "closed"
    conversation.closed_at = conversation.updated_at = now
    audit.record(uow, actor, "conversation_close", f"conversation:{conversation.id}", now,
                 before=before, after=_state(conversation))
    relay.nudge(uow, deps, conversation)
    return conversation


def assign(uow: UnitOfWork, deps: Deps, actor: Actor, conversation_id: int, staff_id: int,
           now: datetime) -> Conversation:
    """Give the conversation to a desk colleague of the same company (and push it to them)."""
    require(actor, "conversations.assign")
    conversation = get(uow, actor, conversation_id)
    staff = uow.org.staff(staff_id)
    if staff is None or staff.company_id != conversation.company_id or not staff.active \
            or staff.role not in DESK:
        raise Invalid("console_bad_assignee")
    before = _state(conversation)
    conversation.assignee_staff_id = staff.id
    conversation.updated_at = now
    home = uow.org.home(conversation.home_id) if conversation.home_id else None
    relay.push_staff(uow, deps, staff, conversation, "console_push_assigned", now,
                     home=home.label if home else "-")
    audit.record(uow, actor, "conversation_assign", f"conversation:{conversation.id}", now,
                 before=before, after=_state(conversation))
    relay.nudge(uow, deps, conversation)
    return conversation


def colleagues(uow: UnitOfWork, actor: Actor) -> list[Staff]:
    """Who the actor may hand a conversation to."""
    require(actor, "conversations.assign")
    company = actor.scope.company_id or 0
    return [s for role in ("front_desk", "manager") for s in uow.org.staff_by_role(company, role)]


def canned(uow: UnitOfWork, actor: Actor) -> list[dict[str, Any]]:
    """The company's canned replies."""
    require(actor, "conversations.reply")
    rows = uow.conversations.canned(actor.scope.company_id or 0)
    return [{"id": r.id, "title": r.title, "text": r.text} for r in rows]


def wechat_window(uow: UnitOfWork, conversation: Conversation, now: datetime) -> dict[str, Any] | None:
    """For a WeChat owner: until when customer-service messages may go, and how many are left."""
    if conversation.channel != "wechat":
        return None
    identity = uow.identities.get(conversation.identity_id)
    last = identity.last_inbound_at if identity is not None else None
    if last is None:
        return {"open": False, "closes_at": None, "messages_left": 0}
    closes = last + WECHAT_WINDOW
    left = max(0, WECHAT_WINDOW_MESSAGES - (identity.replies_since_inbound if identity else 0))
    return {"open": now < closes and left > 0, "closes_at": closes, "messages_left": left}


def _push(uow: UnitOfWork, identity: Any, text: str, now: datetime, extra: dict[str, Any]) -> Any:
    row = notify.push(uow, identity, "console_reply", text, now=now)
    if row is not None and extra:
        row.payload = json.dumps({**json.loads(row.payload), **extra}, ensure_ascii=False)
    return row


def _state(conversation: Conversation) -> dict[str, Any]:
    return {"status": conversation.status, "assignee_staff_id": conversation.assignee_staff_id}


def owner_phone(actor: Actor, phone: str | None) -> str:
    """The owner's phone as this actor may see it."""
    return show_phone(actor, phone or "")
