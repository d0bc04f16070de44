"""The Telegram channel: one update in → at most one handling by the core → replies out.

Delivery guarantees (webhook and polling alike):
- an update is claimed by `update_id` in the shared claim store (with an expiry: Telegram's
  ids are not monotonic forever), so a redelivery is not handled twice;
- if the core fails, the claim is released and the error propagates (webhook: 500), so
  Telegram redelivers and the message is handled then;
- once the core has answered, its replies are sent at once; only when a send fails are the
  replies still owed kept in the shared state store (the hot path writes nothing), and the
  failure propagates: a redelivery then sends only what is still owed, so the core's work
  (a ticket, a payment) is never done twice — and the core's own record of the turn
  (`handled_turn`) keeps it from being done twice even when Redis lost the claim;
- a reply that got no answer from Telegram (timeout) counts as sent: it may have arrived,
  and resending could say it twice.
"""

from __future__ import annotations

import asyncio
import logging
from weakref import WeakValueDictionary

from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
)
from aiogram.types import Update

from bot.channels.telegram.adapter import build_router
from bot.channels.telegram.deliver import outcome_unknown, reply_from_payload, send_messages
from bot.channels.telegram.render import render
from bot.config import TelegramSettings
from handlers import dispatch
from handlers.deps import Deps
from handlers.messages import Incoming, Reply

log = logging.getLogger(__name__)

# my_chat_member: the user blocked or unblocked the bot (pushes stop / resume).
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
# Telegram keeps an undelivered update for 24 hours; remember claims a little longer.
CLAIM_TTL_SECONDS = 26 * 3600
PENDING_TTL_SECONDS = 26 * 3600


class RepliesPendingError(Exception):
    """The core handled the update but some replies could not be sent yet."""


class TelegramChannel:
    """Holds the bot, the aiogram dispatcher and the core's dependencies."""

    def __init__(self, bot: Bot, deps: Deps, settings: TelegramSettings) -> None:
        self.bot = bot
        self.deps = deps
        self.settings = settings
        self.dispatcher = Dispatcher()
        self.dispatcher.include_router(build_router(self))
        self.username = ""  # filled by getMe on start; used in the group hint
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    def _lock_for(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()  # dropped by the weak dict once no update of the chat holds it
            self._locks[chat_id] = lock
        return lock

    async def process(self, update: Update) -> None:
        """Handle one update exactly once; raises when Telegram should deliver it again."""
        # Telegram may post several updates at once (max_connections); one chat's messages are
        # handled one after another here, so a multi-turn flow sees them in order.
        async with self._lock_for(_chat_of(update)):
            await self._process(update)

    async def _process(self, update: Update) -> None:
        key = f"telegram:update:{self.bot.id}:{update.update_id}"
        if not await asyncio.to_thread(self.deps.claims.claim, key, CLAIM_TTL_SECONDS):
            log.info("update %s already claimed; resending owed replies only", update.update_id)
            await self.flush(update.update_id)
            return
        try:
            await self.dispatcher.feed_update(self.bot, update)
        except RepliesPendingError:
            raise  # the core's work is done and kept: the claim stays
        except BaseException:
            await asyncio.to_thread(self.deps.claims.release, key)
            raise

    async def answer(self, update_id: int, chat_id: int, incoming: Incoming) -> None:
        """Run the core on `incoming` and send its replies."""
        replies = await self.run_core(incoming)
        await self.send_owed(update_id, chat_id, replies)

    async def run_core(self, incoming: Incoming) -> tuple[Reply, ...]:
        """Run the core (in a thread: it is synchronous); its replies."""
        outcome = await asyncio.to_thread(dispatch.handle, incoming, self.deps)
        return outcome.replies

    async def send_owed(
        self, update_id: int, chat_id: int, replies: tuple[Reply, ...], start: int = 0,
        *, stored: bool = False,
    ) -> None:
        """Send replies[start:] in order. Nothing is stored while sending goes well (the hot
        path writes nothing); a retryable failure keeps what is still owed for the
        redelivery (`flush`) and raises RepliesPendingError."""
        for index in range(start, len(replies)):
            try:
                await self.send(chat_id, (replies[index],))
            except (TelegramForbiddenError, TelegramNotFound):
                log.info("chat %s blocked the bot or is gone; dropping replies", chat_id)
                break
            except TelegramBadRequest:
                # Resending the same request cannot succeed; the rest may.
                log.exception("Telegram refused reply %s for update %s", index, update_id)
            except TelegramNetworkError as err:
                if not outcome_unknown(err):
                    await self._owe(update_id, chat_id, replies, index, err)
                # No answer: it may have arrived, and Telegram has no idempotency key. Counted
                # as sent, so a redelivery does not repeat it (only a crash sends twice).
                log.warning("reply %s for update %s: outcome unknown (%s)", index, update_id, err.message)
            except Exception as err:
                await self._owe(update_id, chat_id, replies, index, err)
        if stored:  # everything owed went: forget the entry a redelivery would resend
            await asyncio.to_thread(self.deps.state.delete, self._pending_key(update_id))

    async def _owe(
        self, update_id: int, chat_id: int, replies: tuple[Reply, ...], index: int, err: Exception
    ) -> None:
        entry = {"chat_id": chat_id, "replies": [r.as_dict() for r in replies], "sent": index}
        await asyncio.to_thread(self.deps.state.set, self._pending_key(update_id), entry, PENDING_TTL_SECONDS)
        raise RepliesPendingError(f"update {update_id}: reply {index} not sent") from err

    async def flush(self, update_id: int) -> None:
        """A redelivered update whose core work is done: send what is still owed for it."""
        entry = await asyncio.to_thread(self.deps.state.get, self._pending_key(update_id))
        if not entry:
            return
        replies = tuple(reply_from_payload(d) for d in entry["replies"])
        start = max(0, int(entry.get("sent", 0)))
        await self.send_owed(update_id, int(entry["chat_id"]), replies, start, stored=True)

    async def send(self, chat_id: int, replies: tuple[Reply, ...]) -> None:
        """Render and send replies to one chat, in order."""
        messages = await asyncio.to_thread(render, replies, self.deps.state)
        await send_messages(self.bot, chat_id, messages, self.deps.settings.media_dir)

    def _pending_key(self, update_id: int) -> str:
        return f"telegram:pending:{self.bot.id}:{update_id}"


def _chat_of(update: Update) -> int:
    """The chat an update belongs to (0 for kinds without one)."""
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None and update.callback_query.message is not None:
        return update.callback_query.message.chat.id
    if update.my_chat_member is not None:
        return update.my_chat_member.chat.id
    return 0
