"""The channels the sender delivers through: one `Deliverer` per channel, and their limits.

A deliverer sends one push and says how it went (`sent`, `retry_after`, `blocked`,
`failed`); it never retries by itself. A channel plugs in by adding a factory to
DELIVERERS (WeCom: `"wecom": "bot.channels.wecom.deliver:deliverer"`); a factory gets the App
and, inside `serve`, the aiohttp application (to share the channel's HTTP client) and
returns None when the channel is not configured.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import App
from bot.channels.base import Deliverer, DeliveryResult, Target
from bot.config import Settings
from storage.stores import KeyValueStore

log = logging.getLogger(__name__)

# Channels with no way to push: their rows are marked `skipped`, not left pending forever.
NO_PUSH_CHANNELS = frozenset({"terminal"})


# The one result type and the contract live in bot/channels/base.py; the old names stay.
Result = DeliveryResult


@dataclass(frozen=True)
class Rate:
    """Pushes per second over the account, and to one chat."""

    overall: float
    per_chat: float


def channel_rates(settings: Settings) -> dict[str, Rate]:
    """`<channel>.rate_limit` and `<channel>.per_chat_rate`; channels not listed are unlimited."""
    rates: dict[str, Rate] = {}
    for channel in ("telegram", "wechat", "wecom"):
        section = getattr(settings, channel, None)
        if section is not None and hasattr(section, "rate_limit"):
            rates[channel] = Rate(float(section.rate_limit), float(section.per_chat_rate))
    return rates


def account_key(channel: str, account: str) -> str:
    """A short, stable bucket name for a platform account (never the secret itself)."""
    return f"{channel}:{hashlib.sha256(account.encode()).hexdigest()[:12]}"


class TelegramDeliverer:
    """Telegram through aiogram: bot.channels.telegram.deliver."""

    pauses_channel = True

    def __init__(
        self, bot: Any, *, state: KeyValueStore | None = None, media_dir: Path | None = None,
        owns_bot: bool = False,
    ) -> None:
        self.bot = bot
        self.state = state  # keeps button payloads longer than Telegram's 64 bytes
        self.media_dir = media_dir
        self.owns_bot = owns_bot
        self.rate_key = account_key("telegram", str(bot.id))  # the bot id, not the token

    async def deliver(self, target: Target, payload: Mapping[str, Any], kind: str) -> DeliveryResult:
        """sendMessage / sendPhoto to the chat."""
        from bot.channels.telegram.deliver import deliver

        return await deliver(
            self.bot, target.external_id, dict(payload), state=self.state, media_dir=self.media_dir
        )

    async def close(self) -> None:
        """Close the HTTP session when the sender built the bot itself."""
        if self.owns_bot:
            await self.bot.session.close()


class WechatDeliverer:
    """The WeChat Official Account: `WechatApi.deliver` (customer-service or template)."""

    pauses_channel = False

    def __init__(self, api: Any, *, owns_api: bool) -> None:
        self.api = api
        self.owns_api = owns_api
        self.rate_key = account_key("wechat", api.settings.app_id)

    async def deliver(self, target: Target, payload: Mapping[str, Any], kind: str) -> DeliveryResult:
        """Customer-service message inside the 48-hour window, else a template."""
        return await self.api.deliver(target.external_id, payload, kind)

    async def close(self) -> None:
        """Close the API client when the sender built it."""
        if self.owns_api:
            await self.api.close()


async def telegram_deliverer(app: App, web_app: web.Application | None) -> Deliverer | None:
    """The serving bot when inside `serve`, else a bot of our own."""
    if not app.settings.telegram.enabled:
        return None
    from bot.channels.telegram.lifecycle import CHANNEL_KEY, build_bot

    channel = web_app.get(CHANNEL_KEY) if web_app is not None else None
    bot = channel.bot if channel is not None else build_bot(app.settings.telegram)
    return TelegramDeliverer(
        bot, state=app.stores.kv, media_dir=app.deps.settings.media_dir, owns_bot=channel is None
    )


async def wechat_deliverer(app: App, web_app: web.Application | None) -> Deliverer | None:
    """The webhook's API client when inside `serve`, else one of our own."""
    if not app.settings.wechat.enabled:
        return None
    from bot.channels.wechat.adapter import WEBHOOK_KEY
    from bot.channels.wechat.api import WechatApi

    webhook = web_app.get(WEBHOOK_KEY) if web_app is not None else None
    if webhook is not None:
        return WechatDeliverer(webhook.api, owns_api=False)
    api = WechatApi(app.settings.wechat, app.deps, app.stores.locks)
    return WechatDeliverer(api, owns_api=True)


async def web_deliverer(app: App, web_app: web.Application | None) -> Deliverer | None:
    """The web chat's inbox, polled by the page (always on)."""
    from bot.channels.web_inbox import WebInbox

    return WebInbox(app.stores.kv, app.stores.locks, clock=app.deps.clock)


# channel → factory, or "module:function" for channels whose modules load only when used.
DELIVERERS: dict[str, Any] = {
    "telegram": telegram_deliverer,
    "wechat": wechat_deliverer,
    "web": web_deliverer,
    "wecom": "bot.channels.wecom.deliver:deliverer",
}


async def build_deliverers(
    app: App, web_app: web.Application | None = None
) -> dict[str, Deliverer]:
    """A deliverer for every configured channel (a failing factory only loses its channel)."""
    found: dict[str, Deliverer] = {}
    for channel, factory in DELIVERERS.items():
        if isinstance(factory, str):
            module, _, name = factory.partition(":")
            factory = getattr(importlib.import_module(module), name)
        try:
            deliverer = await factory(app, web_app)
        except Exception:  # one broken channel must not stop the others' pushes
            log.exception("sender: cannot set up channel %s; its pushes wait", channel)
            continue
        if deliverer is not None:
            found[channel] = deliverer
    return found
