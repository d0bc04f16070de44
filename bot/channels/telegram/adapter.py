"""aiogram handlers: Telegram updates → the core's Incoming; the core's replies → Telegram calls.

Only private chats are served: an owner's bills and tickets must not be read out in a group.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from aiogram import F, Router
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramNotFound
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import (
    CallbackQuery,
    ChatMemberUpdated,
    Document,
    Message,
    PhotoSize,
    Update,
    User,
)

from bot.channels.telegram.commands import START_PAYLOAD, payload_for
from bot.channels.telegram.media import SUFFIXES, MissingFileError, download_image, largest
from bot.channels.telegram.render import resolve
from bot.channels.telegram.texts import locale_of, tg_text
from handlers import identity_events
from handlers.messages import Incoming, Location, MediaRef

if TYPE_CHECKING:
    from bot.channels.telegram.channel import TelegramChannel

log = logging.getLogger(__name__)

CHANNEL = "telegram"

# Deep-link payloads are at most 64 characters of A-Z, a-z, 0-9, _ and - (Bot API).
_START_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
IMAGE_TYPES = frozenset(SUFFIXES)


def build_router(channel: TelegramChannel) -> Router:
    """The router for one channel: private messages and button presses, and a group hint."""
    router = Router(name="telegram")
    private = Router(name="telegram-private")
    private.message.filter(F.chat.type == ChatType.PRIVATE)

    @private.message(CommandStart())
    async def on_start(message: Message, command: CommandObject, event_update: Update) -> None:
        code = (command.args or "").strip()
        payload = bind_payload(code) if _START_CODE.match(code) else START_PAYLOAD
        incoming = _incoming(message, button=payload)
        await channel.answer(event_update.update_id, message.chat.id, incoming)

    @private.message(F.text.startswith("/"))
    async def on_command(message: Message, event_update: Update) -> None:
        name = (message.text or "/").split()[0][1:].split("@")[0]
        incoming = _incoming(message, button=payload_for(name))
        await channel.answer(event_update.update_id, message.chat.id, incoming)

    @private.message()
    async def on_message(message: Message, event_update: Update) -> None:
        incoming = await _translate(channel, message)
        if not isinstance(incoming, Incoming):  # a platform answer: unsupported, photo failed
            locale = locale_of(message.from_user.language_code if message.from_user else None)
            key = incoming or "unsupported"
            await channel.bot.send_message(message.chat.id, tg_text(key, locale), parse_mode=None)
            return
        await channel.answer(event_update.update_id, message.chat.id, incoming)

    @router.callback_query()
    async def on_press(query: CallbackQuery, event_update: Update) -> None:
        await _pressed(channel, query, event_update.update_id)

    @router.my_chat_member(F.chat.type == ChatType.PRIVATE)
    async def on_membership(event: ChatMemberUpdated) -> None:
        await _membership_changed(channel, event)

    @router.message(F.chat.type != ChatType.PRIVATE, F.text.startswith("/"))
    async def on_group_command(message: Message) -> None:
        locale = locale_of(message.from_user.language_code if message.from_user else None)
        hint = tg_text("private_only", locale, username=channel.username or "")
        await channel.bot.send_message(message.chat.id, hint, parse_mode=None)

    router.include_router(private)
    return router


def bind_payload(code: str) -> str:
    """`/start CODE` (a t.me/BOT?start=CODE link): bind with that invite code, no NLU involved."""
    return "/bind_account" + json.dumps({"invite_code": code})


async def _translate(channel: TelegramChannel, message: Message) -> Incoming | str | None:
    """Text, photo (downloaded now), image file, or location; None for anything else, or the
    key of the platform text to answer with when a photo can never be fetched."""
    if message.text is not None:
        return _incoming(message, text=message.text)
    image: PhotoSize | Document | None = largest(message.photo) if message.photo else None
    content_type = "image/jpeg"  # Telegram re-encodes every photo as JPEG
    document = message.document
    # An image sent "as a file" (full quality) is kept like a photo; other files (and SVG,
    # which a browser would run as a page) are not.
    if image is None and document is not None and document.mime_type in IMAGE_TYPES:
        image, content_type = document, document.mime_type
    if image is not None:
        try:
            media = await download_image(
                channel.bot, image.file_id, image.file_unique_id, channel.deps.settings.media_dir,
                channel.deps.clock(), content_type,
            )
        except (TelegramBadRequest, TelegramNotFound, MissingFileError) as err:
            # Permanent (too big, a dead file id): a redelivery cannot succeed, so the update
            # is answered as handled; network and 5xx errors still propagate (Telegram retries).
            log.warning("telegram photo %s not downloaded: %s", image.file_unique_id, err)
            return "photo_failed"
        return _incoming(message, text=message.caption or "", media=media)
    if message.location is not None:
        venue = message.venue
        label = f"{venue.title} {venue.address}".strip() if venue else ""
        where = Location(message.location.latitude, message.location.longitude, label)
        return _incoming(message, location=where)
    return None


async def _pressed(channel: TelegramChannel, query: CallbackQuery, update_id: int) -> None:
    """A button press: resolve its payload, run the core, answer the query, send replies."""
    bot = channel.bot
    message = query.message
    if message is None or message.chat.type != ChatType.PRIVATE:
        await _quietly(bot.answer_callback_query(query.id))
        return
    payload = await asyncio.to_thread(resolve, query.data or "", channel.deps.state)
    if payload is None:
        locale = locale_of(query.from_user.language_code)
        await _quietly(bot.answer_callback_query(query.id, text=tg_text("button_expired", locale)))
        return
    incoming = Incoming(
        CHANNEL, str(message.chat.id), button=payload, message_id=f"cb:{query.id}",
        display_name=_name(query.from_user),
    )
    replies = await channel.run_core(incoming)
    # Cosmetic calls: a stale query (on redelivery) or an unchanged keyboard must not fail the update.
    await _quietly(bot.answer_callback_query(query.id))
    # The choice is made: take the keyboard away so it cannot be pressed twice.
    await _quietly(bot.edit_message_reply_markup(chat_id=message.chat.id, message_id=message.message_id))
    await channel.send_owed(update_id, message.chat.id, replies)


async def _membership_changed(channel: TelegramChannel, event: ChatMemberUpdated) -> None:
    """Blocked: pushes to the chat stop. Unblocked (or started): they resume."""
    status = event.new_chat_member.status
    external_id = str(event.chat.id)
    if status == ChatMemberStatus.KICKED:
        await asyncio.to_thread(identity_events.mark_unreachable, channel.deps, CHANNEL, external_id)
    elif status == ChatMemberStatus.MEMBER:
        await asyncio.to_thread(identity_events.subscribed, channel.deps, CHANNEL, external_id)


async def _quietly(call: Awaitable[object]) -> None:
    try:
        await call
    except TelegramAPIError as err:
        log.info("Telegram refused a cosmetic call: %s", err)


def _incoming(
    message: Message, *, text: str = "", button: str | None = None,
    media: MediaRef | None = None, location: Location | None = None,
) -> Incoming:
    return Incoming(
        CHANNEL, str(message.chat.id), text=text, button=button, media=media, location=location,
        message_id=str(message.message_id), display_name=_name(message.from_user),
    )


def _name(user: User | None) -> str:
    return user.full_name if user else ""
