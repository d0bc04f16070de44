"""The Telegram channel (aiogram 3): webhook or long polling, a thin adapter over the core.

An HTTP plugin: `bot.http` calls `setup(web_app, app)`; without `telegram.token` it does nothing.
aiogram is imported only when the channel is on: importing it costs seconds at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

    from bot.app import App

__all__ = ["build_channel", "setup", "start", "stop"]


def setup(web_app: web.Application, app: App) -> None:
    """HTTP plugin hook: mount the webhook and start/stop with the server (when configured)."""
    if not app.settings.telegram.enabled:
        return
    importlib.import_module("bot.channels.telegram.lifecycle").setup(web_app, app)


def __getattr__(name: str) -> Any:
    if name in ("build_channel", "start", "stop"):
        return getattr(importlib.import_module("bot.channels.telegram.lifecycle"), name)
    raise AttributeError(name)
