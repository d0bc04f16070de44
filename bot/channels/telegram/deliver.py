"""Outbound: send one push (an outbox payload) to one chat, and say how it went.

`deliver` never retries by itself; the sender decides from the result:
`sent`; `retry_after` (Telegram's flood control, with the seconds it asked for);
`blocked` (the user blocked the bot or the chat is gone: stop pushing to it);
`failed` (anything else, with the error).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.types import FSInputFile

from bot.channels.base import DeliveryResult
from bot.channels.telegram.render import Outgoing, render
from handlers.messages import Button, Reply
from storage.stores import KeyValueStore

log = logging.getLogger(__name__)

# Bad Request descriptions that mean the chat itself is unreachable, not that the message was wrong.
GONE_CHAT = ("chat not found", "user not found", "peer_id_invalid", "bot was blocked", "user is deactivated")


async def deliver(
    bot: Bot, chat_id: int | str, payload: dict[str, Any], *,
    state: KeyValueStore | None = None, media_dir: Path | None = None,
) -> DeliveryResult:
    """Send `{"text", "buttons": [{"title", "payload"}], "image"?}` to `chat_id`.

    `state` keeps button payloads longer than Telegram's 64-byte callback data; `media_dir`
    resolves a relative stored image path.
    """
    try:
        messages = render((reply_from_payload(payload),), state)
        await send_messages(bot, chat_id, messages, media_dir)
    except TelegramRetryAfter as err:
        return DeliveryResult("retry_after", retry_after=float(err.retry_after), error=err.message)
    except TelegramForbiddenError as err:
        return DeliveryResult("blocked", error=err.message)
    except (TelegramBadRequest, TelegramNotFound) as err:
        if any(marker in err.message.lower() for marker in GONE_CHAT):
            return DeliveryResult("blocked", error=err.message)
        return DeliveryResult("failed", error=err.message)
    except TelegramNetworkError as err:
        if outcome_unknown(err):  # Telegram has no idempotency key: never resend these
            return DeliveryResult("unknown", error=f"{type(err).__name__}: {err.message}")
        return DeliveryResult("failed", error=f"{type(err).__name__}: {err.message}")
    except TelegramAPIError as err:  # server errors
        return DeliveryResult("failed", error=f"{type(err).__name__}: {err.message}")
    except (ValueError, KeyError, TypeError) as err:  # a payload we cannot render
        return DeliveryResult("failed", error=f"bad payload: {err}")
    return DeliveryResult("sent")


# aiohttp errors raised before the request left: the message certainly was not sent.
_NOT_SENT = ("ClientConnectorError", "ClientProxyConnectionError", "ClientConnectorCertificateError",
             "ClientConnectorSSLError", "InvalidURL")


def outcome_unknown(err: TelegramNetworkError) -> bool:
    """True when the request may have reached Telegram (a timeout, a dropped connection)."""
    return not err.message.startswith(_NOT_SENT)


def reply_from_payload(payload: dict[str, Any]) -> Reply:
    """An outbox payload (or a stored `Reply.as_dict()`) back into a Reply."""
    buttons = tuple(Button(str(b["title"]), str(b["payload"])) for b in payload.get("buttons") or ())
    image = payload.get("image")
    return Reply(str(payload.get("text") or ""), buttons, str(image) if image else None)


async def send_messages(
    bot: Bot, chat_id: int | str, messages: Iterable[Outgoing], media_dir: Path | None = None,
) -> None:
    """sendMessage / sendPhoto for each rendered message, in order (plain text, no parse mode)."""
    for message in messages:
        photo = _photo(message.image, media_dir) if message.image else None
        if photo is not None:
            await bot.send_photo(
                chat_id, photo, caption=message.text or None, reply_markup=message.markup, parse_mode=None
            )
        elif message.text:
            await bot.send_message(chat_id, message.text, reply_markup=message.markup, parse_mode=None)


def _photo(image: str, media_dir: Path | None) -> str | FSInputFile | None:
    if image.startswith(("http://", "https://")):
        return image
    # A stored path: as recorded (it includes the media dir), else relative to it.
    for path in (Path(image), (media_dir or Path()) / image):
        if path.is_file():
            return FSInputFile(path)
    log.warning("image %s not found; sending the text only", image)
    return None
