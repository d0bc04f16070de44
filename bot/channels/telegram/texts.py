"""Telegram-only wording (platform matters, not property matters), Chinese and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "private_only": {
        "zh": "为保护您的隐私，请私聊我办理物业事务：@{username}",
        "en": "To keep your details private, please message me directly: @{username}",
    },
    "unsupported": {
        "zh": "暂时只能看懂文字、图片和位置。语音请转成文字发给我。",
        "en": "For now I can read text, photos and locations. Please type your message.",
    },
    "photo_failed": {
        "zh": "这张图片没能收下（文件过大或已失效），请重新发送或换一张。",
        "en": "I could not receive that picture (too large or expired). Please send it again.",
    },
    "button_expired": {
        "zh": "这个按钮已过期，请重新操作。",
        "en": "This button has expired. Please start again.",
    },
}


def locale_of(language_code: str | None) -> str:
    """Telegram's user language (`en`, `en-GB`, `zh-hans`…) → our locale, Chinese by default."""
    return "en" if (language_code or "").lower().startswith("en") else "zh"


def tg_text(key: str, locale: str, **params: object) -> str:
    """The platform text `key` in `locale`."""
    template = TEXTS[key].get(locale) or TEXTS[key]["zh"]
    return template.format(**params) if params else template
