"""The Telegram channel (aiogram 3): webhook or long polling, a thin adapter over the core.

An HTTP plugin: `bot.http` calls `setup(web_app, app)`; without `telegram.token` it does nothing.
"""

from bot.channels.telegram.lifecycle import build_channel, setup, start, stop

__all__ = ["build_channel", "setup", "start", "stop"]
