"""`POST /webhook/telegram`: check the secret, parse defensively, handle, then answer.

aiogram's stock webhook handler answers at once and runs the handler in the background, so
a crash there loses the message (Telegram never redelivers). Here the update is handled
first and only then acknowledged: 200 once it is safely handled, 500 so Telegram delivers
it again when it is not (https://core.telegram.org/bots/api#setwebhook).
"""

from __future__ import annotations

import hmac
import logging

from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from bot.channels.body import BadJsonError, parse_json, read_capped
from bot.channels.telegram.channel import TelegramChannel

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhook/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def mount(web_app: web.Application, channel: TelegramChannel) -> None:
    """Add the webhook route for `channel` to the server."""
    web_app.router.add_post(WEBHOOK_PATH, webhook_handler(channel))


def webhook_handler(channel: TelegramChannel) -> web.Handler:
    """The aiohttp handler: 401 bad secret, 413 too big, 400 not an update, 500 not handled."""
    secret = channel.settings.webhook_secret.encode()
    limit = channel.settings.max_body_bytes

    async def handle(request: web.Request) -> web.Response:
        # A header with non-ASCII bytes arrives surrogate-escaped: never let encoding it fail.
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        # An empty configured secret never matches: webhook mode refuses to run without one.
        if not secret or not hmac.compare_digest(given, secret):
            log.warning("telegram webhook: wrong or missing secret from %s", request.remote)
            return web.Response(status=401, text="unauthorized")
        body = await read_capped(request, limit)
        if body is None:
            return web.Response(status=413, text="too large")
        update = parse_update(body, channel)
        if update is None:
            return web.Response(status=400, text="bad request")
        try:
            await channel.process(update)
        except Exception:
            log.exception("telegram update %s not handled; Telegram will redeliver", update.update_id)
            return web.Response(status=500, text="retry later")
        return web.Response(status=200)

    return handle


def parse_update(body: bytes, channel: TelegramChannel) -> Update | None:
    """A validated Update bound to the bot, or None for anything that is not one."""
    try:
        data = parse_json(body)
    except BadJsonError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.model_validate(data, context={"bot": channel.bot})
    except ValidationError:
        log.info("telegram webhook: body is JSON but not an Update")
        return None
