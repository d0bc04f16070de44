"""The core's replies → Telegram messages: plain text, inline keyboards, photos.

Telegram limits: 4096 characters of text per message, 1024 per photo caption, and
`callback_data` of at most 64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton).
A longer button payload is replaced by a short key whose payload is kept in the shared
key-value store, so any process can resolve the press later.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from unicodedata import east_asian_width

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.messages import Button, Reply
from storage.stores import KeyValueStore

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_LIMIT = 64
KEY_PREFIX = "#"  # callback data starting with it is a short key, never a payload
KEY_TTL_SECONDS = 30 * 24 * 3600  # a keyboard older than a month answers "expired"
ROW_WIDTH = 24  # characters of button titles per keyboard row, roughly a phone's width
ROW_BUTTONS = 5


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message to send: text (or caption), an optional keyboard and photo."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    image: str | None = None


def render(replies: Iterable[Reply], store: KeyValueStore | None) -> list[Outgoing]:
    """Every reply as one or more messages; a keyboard rides on the reply's last message."""
    out: list[Outgoing] = []
    for reply in replies:
        markup = keyboard(reply.buttons, store) if reply.buttons else None
        text = reply.text.strip()
        if reply.image:
            caption = text if len(text) <= CAPTION_LIMIT else ""
            rest = [] if caption or not text else split_text(text)
            out.append(Outgoing(caption, None if rest else markup, reply.image))
            out.extend(_with_markup_last(rest, markup))
        elif text or markup:
            out.extend(_with_markup_last(split_text(text or "…"), markup))
    return out


def _with_markup_last(chunks: list[str], markup: InlineKeyboardMarkup | None) -> list[Outgoing]:
    return [Outgoing(c, markup if i == len(chunks) - 1 else None) for i, c in enumerate(chunks)]


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut text into pieces of at most `limit` characters, preferring line breaks."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else limit
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n")
    chunks.append(text)
    return chunks


def keyboard(buttons: Sequence[Button], store: KeyValueStore | None) -> InlineKeyboardMarkup:
    """Buttons packed into rows by title width (ratings fit one row, long titles get their own)."""
    rows: list[list[InlineKeyboardButton]] = []
    width = 0
    for button in buttons:
        title = button.title[:64]
        size = max(_display_width(title), 4)
        if not rows or len(rows[-1]) >= ROW_BUTTONS or width + size > ROW_WIDTH:
            rows.append([])
            width = 0
        rows[-1].append(InlineKeyboardButton(text=title, callback_data=callback_data(button.payload, store)))
        width += size
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _display_width(text: str) -> int:
    """Chinese characters take two columns on a phone, Latin ones one."""
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def callback_data(payload: str, store: KeyValueStore | None) -> str:
    """The payload itself when it fits in 64 bytes, else a short key stored for `resolve`."""
    if len(payload.encode()) <= CALLBACK_LIMIT and not payload.startswith(KEY_PREFIX):
        return payload
    if store is None:
        raise ValueError(f"button payload over {CALLBACK_LIMIT} bytes needs a store: {payload[:80]}")
    # Same payload → same key, so re-rendering (a resend) does not pile up entries.
    digest = hashlib.sha256(payload.encode()).digest()[:12]
    key = KEY_PREFIX + base64.urlsafe_b64encode(digest).decode()
    store.set(_store_key(key), {"payload": payload}, KEY_TTL_SECONDS)
    return key


def resolve(data: str, store: KeyValueStore) -> str | None:
    """A pressed button's payload, or None when its short key has expired."""
    if not data.startswith(KEY_PREFIX):
        return data
    entry = store.get(_store_key(data))
    return str(entry["payload"]) if entry and "payload" in entry else None


def _store_key(key: str) -> str:
    return f"telegram:cb:{key}"
