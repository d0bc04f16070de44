"""The command menu (setMyCommands) and what each command means to the core.

Commands become button payloads naming an intent directly (`/check_bill`), so they work
the same whatever the NLU makes of the command's wording.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand

# (command, Chinese description, English description, payload for the core)
MENU: tuple[tuple[str, str, str, str], ...] = (
    ("bill", "查询物业费账单", "My bills", "/check_bill"),
    ("pay", "缴费", "Pay a bill", "/pay_bill"),
    ("repair", "报修", "Report a repair", "/report_repair"),
    ("tickets", "我的报修/投诉进度", "My requests", "/ticket_status"),
    ("notices", "社区通知", "Community notices", "/query_notice"),
    ("bind", "绑定房屋", "Link my home", "/bind_account"),
    ("human", "转人工客服", "Talk to the office", "/human_handoff"),
    ("help", "我能办的事", "What I can do", "/help"),
)
COMMAND_PAYLOADS: dict[str, str] = {name: payload for name, _, _, payload in MENU}
START_PAYLOAD = "/greet"


def payload_for(command: str) -> str:
    """The core payload for `/command` (unknown commands get the help text)."""
    return COMMAND_PAYLOADS.get(command.lower(), "/help")


async def set_menu(bot: Bot) -> None:
    """Register the menu: Chinese for everyone, English for users whose Telegram is in English."""
    await bot.set_my_commands([BotCommand(command=c, description=zh) for c, zh, _, _ in MENU])
    await bot.set_my_commands(
        [BotCommand(command=c, description=en) for c, _, en, _ in MENU], language_code="en"
    )
