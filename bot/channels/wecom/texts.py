"""WeCom-only wording: what only the staff app needs to say (zh and en)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "choose_by_number": {"zh": "回复数字：", "en": "Reply with a number:"},
    "details": {"zh": "详情", "en": "Details"},
    "welcome": {
        "zh": "欢迎使用物业管家工作台！请先绑定您的员工身份：发送“绑定 邀请码”（邀请码找物业管理员领取）。",
        "en": "Welcome to the property assistant for staff! First bind your staff record: send \"bind CODE\" (ask your manager for the code).",
    },
    "welcome_back": {
        "zh": "欢迎回来！发送“我的工单”查看待办。",
        "en": "Welcome back! Send \"my tickets\" to see your work.",
    },
    "unsupported": {
        "zh": "抱歉，这里只能处理文字、图片和卡片按钮。请用文字操作，例如“接单 R20261127001”或“我的工单”。",
        "en": "Sorry, only text, photos and card buttons work here. Try \"accept R20261127001\" or \"my tickets\".",
    },
    "photo_failed": {
        "zh": "图片没有接收成功，请稍后重新发送。",
        "en": "The photo did not come through. Please send it again in a moment.",
    },
}


def wt(key: str, locale: str = "zh") -> str:
    """The WeCom text `key` in `locale` (Chinese when there is no such locale)."""
    entry = TEXTS[key]
    return entry.get(locale) or entry["zh"]
