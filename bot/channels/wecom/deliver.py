"""The sender's side of WeCom: `deliverer(app, web_app)` for bot.deliverers.DELIVERERS.

WeCom silently drops what passes 30 messages a minute to one member, so the sender keeps
each member under `wecom.per_chat_rate` (at most 0.5 per second).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.channels.wecom.adapter import WEBHOOK_KEY
from bot.channels.wecom.api import WecomApi
from bot.deliverers import Deliverer, Target, account_key
from storage.repositories.outbox_claims import DeliveryOutcome


class WecomDeliverer:
    """App messages to staff through `WecomApi.deliver` (button card, textcard or text)."""

    # 45009/45033 and token trouble concern the whole app, not one member: pause the channel.
    pauses_channel = True
    # message/send is sent with enable_duplicate_check: a resend after a timeout is dropped
    # by WeCom, so an unknown outcome may be retried.
    idempotent = True

    def __init__(self, api: WecomApi, *, owns_api: bool) -> None:
        self.api = api
        self.owns_api = owns_api
        settings = api.settings
        self.rate_key = account_key("wecom", f"{settings.corp_id}:{settings.agent_id}")

    async def deliver(
        self, target: Target, payload: Mapping[str, Any], kind: str
    ) -> DeliveryOutcome:
        """One push to the member whose WeCom userid is `target.external_id`."""
        return await self.api.deliver(target.external_id, payload, kind)

    async def close(self) -> None:
        """Close the API client when the sender built it."""
        if self.owns_api:
            await self.api.close()


async def deliverer(app: Any, web_app: web.Application | None) -> Deliverer | None:
    """The webhook's API client when inside `serve`, else one of our own; None when off."""
    if not app.settings.wecom.enabled:
        return None
    webhook = web_app.get(WEBHOOK_KEY) if web_app is not None else None
    if webhook is not None:
        return WecomDeliverer(webhook.api, owns_api=False)
    return WecomDeliverer(WecomApi(app.settings.wecom, app.deps, app.stores.locks), owns_api=True)
