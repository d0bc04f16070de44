"""WeChat-only wording: things only the Official Account needs to say (zh and en)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "choose_by_number": {"zh": "回复数字：", "en": "Reply with a number:"},
    "welcome": {
        "zh": "欢迎关注物业管家！查物业费、报修、投诉建议、看小区通知，直接发消息给我就行。",
        "en": "Welcome to the property assistant! Ask about fees, report repairs, send complaints or read notices — just send a message.",
    },
    "welcome_back": {
        "zh": "欢迎回来！有什么可以帮您？",
        "en": "Welcome back! How can I help?",
    },
    "unsupported": {
        "zh": "抱歉，暂时只能处理文字、语音、图片和位置消息，请用文字描述一下您的问题。",
        "en": "Sorry, I can only handle text, voice, photos and locations for now. Please describe your question in words.",
    },
    "voice_unclear": {
        "zh": "抱歉，没听清这条语音，请再说一遍或发送文字。",
        "en": "Sorry, I could not make out that voice message. Please try again or type it.",
    },
    "photo_failed": {
        "zh": "图片没有接收成功，请稍后重新发送。",
        "en": "The photo did not come through. Please send it again in a moment.",
    },
    "see_full_text": {"zh": "详情", "en": "Details"},
}


def wt(key: str, locale: str = "zh") -> str:
    """The WeChat text `key` in `locale` (Chinese when there is no such locale)."""
    entry = TEXTS[key]
    return entry.get(locale) or entry["zh"]
