"""The core's replies and outbox payloads → WeCom app messages (message/send bodies).

One turn, one message (WeCom drops what passes 30 messages a minute to one person):
- buttons → a `template_card` of type `button_interaction` (each button's key is its
  payload and comes back as the click's EventKey), when the text fits the card;
- a link → a `textcard` whose button opens it;
- otherwise text, with any buttons as numbered lines that dispatch maps back.
Doc: https://developer.work.weixin.qq.com/document/path/90236 (发送应用消息)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.channels.wecom.texts import wt
from handlers.messages import Button, Reply
from handlers.util import detect_locale

TEXT_BYTES = 2048  # text content; WeCom cuts longer ones
CARD_TITLE_BYTES, CARD_DESCRIPTION_BYTES = 128, 512  # textcard
# template_card (WeCom's recommended maxima, kept strictly so nothing is cut on the phone)
MAX_BUTTONS, BUTTON_CHARS, KEY_BYTES = 6, 10, 1024
TITLE_CHARS, SUB_TITLE_CHARS = 26, 112
MAX_PAIRS, PAIR_KEY_CHARS, PAIR_VALUE_CHARS = 6, 5, 26


@dataclass(frozen=True)
class Outgoing:
    """One message/send body (without touser/agentid); `numbered`: payloads offered as numbers."""

    body: dict[str, Any]
    numbered: tuple[str, ...] = field(default=())


def from_replies(replies: Iterable[Reply]) -> Outgoing | None:
    """All replies of one turn as one message; None when there is nothing to say."""
    replies = list(replies)
    texts = [_with_image(r.text, r.image) for r in replies]
    text = "\n\n".join(t for t in texts if t)
    buttons = tuple(b for r in replies for b in r.buttons)
    if not text and not buttons:
        return None
    return message(text, buttons)


def from_payload(payload: Mapping[str, Any]) -> Outgoing:
    """An outbox payload (`text`, `buttons` [{title, payload}], optional `url`, `image`)."""
    buttons = tuple(
        Button(str(b.get("title", "")), str(b.get("payload", "")))
        for b in payload.get("buttons") or ()
        if isinstance(b, Mapping)
    )
    image = payload.get("image")
    text = _with_image(str(payload.get("text") or ""), image if isinstance(image, str) else None)
    url = payload.get("url")
    return message(text, buttons, url if isinstance(url, str) else "")


def message(text: str, buttons: Sequence[Button] = (), url: str = "") -> Outgoing:
    """The one message for `text` with `buttons` and an optional link."""
    text = text.strip()
    if buttons:
        card = button_card(text, buttons)
        if card is not None:
            return Outgoing(card)
        return Outgoing(_text(_numbered(text, buttons)), tuple(b.payload for b in buttons))
    if url.startswith(("http://", "https://")):
        return Outgoing(text_card(text, url))
    return Outgoing(_text(text))


def plain_text(text: str, buttons: Sequence[Button] = ()) -> str:
    """The text-only form (buttons as numbered lines), e.g. for a reply queued in the outbox."""
    return fit(_numbered(text.strip(), buttons) if buttons else text.strip(), TEXT_BYTES)


def button_card(text: str, buttons: Sequence[Button]) -> dict[str, Any] | None:
    """A button_interaction template card, or None when the text or buttons do not fit one."""
    if len(buttons) > MAX_BUTTONS or any(
        len(b.title) > BUTTON_CHARS or not b.payload or len(b.payload.encode()) > KEY_BYTES
        for b in buttons
    ):
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines.pop(0) if lines and len(lines[0]) <= TITLE_CHARS else ""
    pairs, rest = _pairs(lines)
    sub_title = "\n".join(rest)
    if len(sub_title) > SUB_TITLE_CHARS or not (title or sub_title or pairs):
        return None
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "main_title": {"title": title} if title else {},
        # Unique per app, only [0-9a-zA-Z_-@], at most 128 bytes.
        "task_id": uuid.uuid4().hex,
        "button_list": [{"text": b.title, "style": 1, "key": b.payload} for b in buttons],
    }
    if sub_title:
        card["sub_title_text"] = sub_title
    if pairs:
        card["horizontal_content_list"] = [{"keyname": k, "value": v} for k, v in pairs]
    return {"msgtype": "template_card", "template_card": card}


def text_card(text: str, url: str) -> dict[str, Any]:
    """A textcard: the first line as its title, the rest as its description, a link button."""
    head, _, rest = text.partition("\n")
    return {
        "msgtype": "textcard",
        "textcard": {
            "title": fit(head.strip(), CARD_TITLE_BYTES),
            "description": fit(rest.strip() or head.strip(), CARD_DESCRIPTION_BYTES),
            "url": url,
            "btntxt": wt("details", detect_locale(text)),
        },
    }


def _pairs(lines: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """`单号：R…` lines that fit the card's key/value rows; the other lines stay text."""
    pairs: list[tuple[str, str]] = []
    rest: list[str] = []
    for line in lines:
        key, sep, value = line.partition("：")
        if not sep:
            key, sep, value = line.partition(": ")
        key, value = key.strip(), value.strip()
        fits = sep and key and value and len(key) <= PAIR_KEY_CHARS and len(value) <= PAIR_VALUE_CHARS
        if fits and len(pairs) < MAX_PAIRS:
            pairs.append((key, value))
        else:
            rest.append(line)
    return pairs, rest


def _numbered(text: str, buttons: Sequence[Button]) -> str:
    lines = [f"{i}. {b.title}" for i, b in enumerate(buttons, 1)]
    choose = wt("choose_by_number", detect_locale(text))
    return (text + "\n" + choose + "\n" + "\n".join(lines)).strip()


def _with_image(text: str, image: str | None) -> str:
    text = text.strip()
    if image and image.startswith(("http://", "https://")):
        return f"{text}\n{image}" if text else image
    return text


def _text(text: str) -> dict[str, Any]:
    return {"msgtype": "text", "text": {"content": fit(text, TEXT_BYTES)}}


def fit(text: str, limit: int) -> str:
    """`text` cut (with an ellipsis) to at most `limit` bytes of UTF-8."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"
