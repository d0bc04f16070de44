"""The core's replies → WeChat text: one message, buttons as numbered lines.

Official Account text messages have no buttons; dispatch maps a typed number back to the
offered button, so "回复数字：1. 确认提交 2. 取消" is the whole rendering.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.texts_wechat import wt
from handlers.messages import Button, Reply
from handlers.util import detect_locale

# WeChat documents 2048 bytes as the limit of a text message's content; keep under it.
MAX_TEXT_BYTES = 2048
TEMPLATE_FIELD_CHARS = 20  # since May 2023 each template keyword holds at most 20 characters


def reply_text(replies: Iterable[Reply]) -> str:
    """All replies of one turn as one text message."""
    parts = [_one(r.text, r.buttons, r.image) for r in replies]
    return fit("\n\n".join(p for p in parts if p))


def payload_text(payload: Mapping[str, Any]) -> str:
    """An outbox payload (`text`, `buttons`, optional `url`) as one text message."""
    buttons = tuple(
        Button(str(b.get("title", "")), str(b.get("payload", "")))
        for b in payload.get("buttons") or ()
        if isinstance(b, Mapping)
    )
    text = _one(str(payload.get("text") or ""), buttons, None)
    url = payload.get("url")
    if isinstance(url, str) and url:
        text += f"\n{wt('see_full_text', detect_locale(text))}：{url}"
    return fit(text)


def _one(text: str, buttons: Sequence[Button], image: str | None) -> str:
    text = text.strip()
    if image and image.startswith(("http://", "https://")):
        text = f"{text}\n{image}" if text else image
    if buttons:
        lines = [f"{i}. {b.title}" for i, b in enumerate(buttons, 1)]
        text += "\n" + wt("choose_by_number", detect_locale(text)) + "\n" + "\n".join(lines)
    return text.strip()


def fit(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    """`text` cut (with an ellipsis) to at most `limit` bytes of UTF-8."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"


def template_value(value: object) -> str:
    """One template keyword: no line breaks, at most 20 characters."""
    flat = " ".join(str(value).split())
    if len(flat) <= TEMPLATE_FIELD_CHARS:
        return flat
    return flat[: TEMPLATE_FIELD_CHARS - 1] + "…"


def template_data(payload: Mapping[str, Any], summary_field: str) -> dict[str, dict[str, str]]:
    """Template `data`: the payload's `template.data` keywords, else the text's first line."""
    template = payload.get("template")
    fields = template.get("data") if isinstance(template, Mapping) else None
    summary = template.get("summary") if isinstance(template, Mapping) else None
    if isinstance(summary, str) and summary and not fields:  # "新回复": a template cannot carry the text
        fields = {summary_field: summary}
    if not isinstance(fields, Mapping) or not fields:
        first_line = str(payload.get("text") or "").strip().split("\n", 1)[0]
        fields = {summary_field: first_line}
    return {str(k): {"value": template_value(v)} for k, v in fields.items()}


def template_url(payload: Mapping[str, Any]) -> str:
    """The link to the full text (`url` or `template.url`), or ''."""
    template = payload.get("template")
    url = payload.get("url") or (template.get("url") if isinstance(template, Mapping) else "")
    return url if isinstance(url, str) else ""
