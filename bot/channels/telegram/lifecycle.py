"""Build the Telegram channel from settings, register it with Telegram, start and stop it."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError
from aiohttp import web

from bot.app import App
from bot.channels.telegram.channel import ALLOWED_UPDATES, TelegramChannel
from bot.channels.telegram.commands import set_menu
from bot.channels.telegram.polling import Poller
from bot.channels.telegram.webhook import WEBHOOK_PATH, mount
from bot.config import TelegramSettings
from handlers.deps import Deps

log = logging.getLogger(__name__)

HTTP_TIMEOUT_SECONDS = 30


def build_bot(settings: TelegramSettings) -> Bot:
    """An aiogram Bot talking to `telegram.api_base` (Telegram, a local Bot API server, a fake)."""
    api = TelegramAPIServer.from_base(settings.api_base)
    return Bot(settings.token, session=AiohttpSession(api=api, timeout=HTTP_TIMEOUT_SECONDS))


def build_channel(settings: TelegramSettings, deps: Deps) -> TelegramChannel:
    """The channel for `settings` (call `start` before use, `stop` after)."""
    return TelegramChannel(build_bot(settings), deps, settings)


def webhook_url(settings: TelegramSettings, public_base_url: str) -> str:
    """The URL Telegram posts to: `telegram.webhook_url`, else the server's public URL + path."""
    return settings.webhook_url or public_base_url.rstrip("/") + WEBHOOK_PATH


async def start(channel: TelegramChannel, public_base_url: str) -> Poller | None:
    """getMe, the command menu, then setWebhook (webhook mode) or a running Poller (polling)."""
    bot, settings = channel.bot, channel.settings
    me = await bot.get_me()
    channel.username = me.username or ""
    await set_menu(bot)
    if settings.mode == "polling":
        await bot.delete_webhook(drop_pending_updates=False)  # getUpdates is refused while one is set
        poller = Poller(channel, timeout=settings.poll_timeout)
        poller.start()
        log.info("telegram: polling as @%s", channel.username)
        return poller
    url = webhook_url(settings, public_base_url)
    await bot.set_webhook(
        url, secret_token=settings.webhook_secret, allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
    )
    log.info("telegram: webhook for @%s set to %s", channel.username, url)
    return None


async def stop(channel: TelegramChannel, poller: Poller | None) -> None:
    """Stop polling and close the HTTP session; a webhook stays registered across restarts."""
    if poller is not None:
        await poller.stop()
    await channel.bot.session.close()


CHANNEL_KEY = web.AppKey("wuye_telegram", TelegramChannel)


def setup(web_app: web.Application, app: App) -> None:
    """HTTP plugin hook (see bot.http): mount the webhook and start/stop with the server."""
    settings = app.settings.telegram
    if not settings.enabled:
        return
    channel = build_channel(settings, app.deps)
    web_app[CHANNEL_KEY] = channel
    if settings.mode == "webhook":
        mount(web_app, channel)
    public_base_url = app.settings.server.base_url
    running: dict[str, Poller] = {}

    async def on_startup(_: web.Application) -> None:
        try:
            poller = await start(channel, public_base_url)
        except TelegramAPIError:
            # The other channels keep serving; a webhook set earlier stays in effect.
            log.exception("telegram: could not register with the Bot API at %s", settings.api_base)
            return
        if poller is not None:
            running["poller"] = poller

    async def on_cleanup(_: web.Application) -> None:
        await stop(channel, running.get("poller"))

    web_app.on_startup.append(on_startup)
    web_app.on_cleanup.append(on_cleanup)
