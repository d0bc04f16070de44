"""The bot's side of a handed-over conversation: open it on "转人工", keep the bot quiet while
a person holds it, carry the owner's words (and photos) to the console, and take a clerk's
`回复 H12 …` from the phone. Console-side actions are in handlers/office/conversations.py.
"""

from __future__ import annotations

import re
from datetime import datetime

from handlers import history, notify
from handlers.deps import Deps
from handlers.errors import DomainError
from handlers.messages import Outcome, Reply
from handlers.office import rota
from handlers.office.access import Actor, Scope
from handlers.texts import t
from handlers.turn import Turn
from storage.models import Community, Conversation, ConversationMessage, Home, Staff, Ticket
from storage.uow import UnitOfWork

PHONE_REPLY = re.compile(r"^\s*回复\s*([Hh]\d{1,14})\s*[:：,，]?\s*(.+)$", re.S)
DESK_ROLES = ("front_desk",)


def start(turn: Turn, home: Home, ticket: Ticket | None) -> Conversation:
    """Put the owner's chat in the console inbox (or return the one already there)."""
    uow, now = turn.uow, turn.now
    existing = uow.conversations.live_for_identity(turn.identity.id)
    if existing is not None:
        return existing
    community = home.building.community
    conversation = uow.conversations.add(Conversation(
        company_id=community.company_id, community_id=community.id, home_id=home.id,
        owner_id=turn.identity.owner_id, identity_id=turn.identity.id,
        channel=turn.identity.channel, status="waiting",
        ticket_id=ticket.id if ticket is not None else None,
        created_at=now, updated_at=now, last_owner_at=now,
    ))
    for text in history.recent(turn.deps, turn.identity.id):
        add_line(uow, conversation, "owner", text, now)
    add_line(uow, conversation, "owner", turn.text.strip() or "转人工", now)
    push_desk(uow, turn.deps, conversation, community, home, turn.text.strip(), now)
    nudge(uow, turn.deps, conversation)
    return conversation


def hold(turn: Turn) -> Outcome | None:
    """While a person holds the owner's chat: record the message, answer nothing (None: not held)."""
    if turn.identity.staff_id and PHONE_REPLY.match(turn.incoming.text or ""):
        return phone_reply(turn)
    conversation = turn.uow.conversations.live_for_identity(turn.identity.id)
    if conversation is None:
        return None
    media = turn.incoming.media
    text = turn.incoming.text.strip()
    if turn.incoming.location is not None:
        text = text or f"[位置] {turn.incoming.location.label or ''}".strip()
    add_line(turn.uow, conversation, "owner", text, turn.now,
             media_kind=media.kind if media else "", media_ref=media.ref if media else "")
    conversation.last_owner_at = conversation.updated_at = turn.now
    if conversation.assignee_staff_id is not None:  # the clerk on the phone hears it too
        home = turn.uow.org.home(conversation.home_id) if conversation.home_id else None
        staff = turn.uow.org.staff(conversation.assignee_staff_id)
        if staff is not None and home is not None:
            push_staff(turn.uow, turn.deps, staff, conversation, "console_push_message", turn.now,
                       home=home.label, text=text or "[图片]")
    nudge(turn.uow, turn.deps, conversation)
    from handlers import repairs  # gas, a trapped lift: answered at once even while held

    urgent = repairs.emergency(turn) if text else None
    if urgent is not None:
        return urgent
    asks_person = "人工" in text or (turn.incoming.button or "").startswith("/human_handoff")
    if conversation.status == "waiting" and asks_person:
        return None  # "人呢？转人工": the handoff answers "still queued" and notes the words
    return Outcome(())  # the bot stays quiet: a person answers


def phone_reply(turn: Turn) -> Outcome:
    """`回复 H12 好的，马上安排` from a staff member's WeCom/Telegram joins conversation H12."""
    from handlers.office import conversations  # the console-side use case does the work

    match = PHONE_REPLY.match(turn.incoming.text)
    assert match is not None
    number, text = match.group(1).upper(), match.group(2).strip()
    conversation_id = resolve(turn.uow, number)
    staff = turn.uow.org.staff(turn.identity.staff_id or 0)
    if staff is None or not staff.active or conversation_id is None:
        return Outcome((Reply(t("console_phone_no_conversation", turn.locale, number=number)),))
    actor = staff_actor(staff)
    try:
        conversations.reply(turn.uow, turn.deps, actor, conversation_id, text, turn.now)
    except DomainError:  # not found, not theirs, closed: one answer, nothing changed
        turn.uow.rollback()
        return Outcome((Reply(t("console_phone_no_conversation", turn.locale, number=number)),))
    return Outcome((Reply(t("console_phone_sent", turn.locale, number=number)),))


def number(uow: UnitOfWork, conversation: Conversation) -> str:
    """What people call it: the handoff ticket's number (H20261127001), else H + id."""
    ticket = uow.tickets.get(conversation.ticket_id) if conversation.ticket_id else None
    return ticket.number if ticket is not None else conversation.number


def resolve(uow: UnitOfWork, typed: str) -> int | None:
    """`H20261127001` (a handoff ticket) or `H12` (a conversation id) → the conversation id."""
    digits = typed[1:]
    if len(digits) >= 9:
        ticket = uow.tickets.by_number(typed)
        found = uow.conversations.for_ticket(ticket.id) if ticket is not None else None
        return found.id if found is not None else None
    return int(digits)


def staff_actor(staff: Staff) -> Actor:
    """A staff member acting from the phone: the same Actor the console would build."""
    return Actor(0, "staff", staff.role, staff.name, Scope(company_id=staff.company_id),
                 staff_id=staff.id)


def add_line(
    uow: UnitOfWork, conversation: Conversation, sender: str, text: str, now: datetime,
    **extra: object,
) -> ConversationMessage:
    """Append one line to the conversation."""
    return uow.conversations.add_message(ConversationMessage(
        conversation_id=conversation.id, sender=sender, text=text[:4000], at=now, **extra))


def push_desk(
    uow: UnitOfWork, deps: Deps, conversation: Conversation, community: Community, home: Home,
    text: str, now: datetime,
) -> None:
    """Tell the on-duty front desk (the rota, else on-duty desk staff, else the managers)."""
    desk = rota.on_duty(uow, community, "front_desk", now)
    if not desk and community.company_id is not None:
        desk = uow.tickets.on_duty_staff(community.company_id, DESK_ROLES)
    if not desk and community.company_id is not None:
        desk = uow.org.staff_by_role(community.company_id, "manager")
    for staff in desk:
        push_staff(uow, deps, staff, conversation, "console_push_new", now,
                   home=home.label, text=text or "转人工")


def push_staff(uow: UnitOfWork, deps: Deps, staff: Staff, conversation: Conversation, key: str,
               now: datetime, **params: object) -> None:
    """One push to each chat account of a staff member (WeCom/Telegram), with the console link."""
    link = console_link(deps.settings.public_base_url, conversation.id)
    for identity in uow.identities.for_staff(staff.id):
        text = t(key, identity.locale or "zh", number=number(uow, conversation), link=link, **params)
        notify.push(uow, identity, "console_staff", text, now=now)


def console_link(base_url: str, conversation_id: int) -> str:
    """The conversation's page in the console."""
    return f"{base_url.rstrip('/')}/console/conversations/{conversation_id}"


def nudge(uow: UnitOfWork, deps: Deps, conversation: Conversation) -> None:
    """After the commit, tell every process's console that this conversation moved."""
    live = deps.live
    if live is None:
        return
    data = {"conversation_id": conversation.id, "company_id": conversation.company_id}
    uow.after_commit(lambda: live.publish("conversations", data))
