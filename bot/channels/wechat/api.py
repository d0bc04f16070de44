"""The outbound WeChat API client: access token, customer-service and template messages,
media download, and `deliver()` for the sender. Every call has a timeout (wechatpy sets none):
the HTTP side is bot.channels.wx_common.WxApiClient, shared with WeCom.

Errcodes: https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.channels.base import DeliveryResult
from bot.channels.wechat import render
from bot.channels.wechat.tokens import AccessTokens, TokenError
from bot.channels.wx_common import WxApiClient, WxApiError, uncertain
from bot.config import WechatSettings
from handlers import identity_events
from handlers.deps import Deps
from storage.stores import LockStore

CHANNEL = "wechat"
TOKEN_ERRORS = frozenset({40001, 40014, 42001})  # invalid / malformed / expired token
OUT_OF_WINDOW = 45015  # customer-service message outside the 48-hour window
WINDOW_USED_UP = 45047  # too many customer-service messages since the owner's last message
DAILY_QUOTA = 45009  # the account's daily API quota is spent
UNSUBSCRIBED = frozenset({43004, 43101})  # not following / refused this template
WINDOW_HOURS = 48
WINDOW_LIMIT = 5  # customer-service messages per owner message, since 2023


class WechatApiError(WxApiError):
    """WeChat answered, but not with success (`errcode` != 0) or not with what was asked."""


class WechatUnavailableError(Exception):
    """The WeChat API did not answer in time or at all."""


class WechatApi(WxApiClient):
    """One Official Account's outbound API; `await close()` on shutdown."""

    channel = CHANNEL
    token_errors = TOKEN_ERRORS
    unavailable = WechatUnavailableError
    api_error = WechatApiError

    def __init__(self, settings: WechatSettings, deps: Deps, locks: LockStore) -> None:
        self.settings = settings
        self.deps = deps
        self.tokens = AccessTokens(self._fetch_token, deps.state, locks, deps.clock, settings.app_id)
        self._session = None

    async def _fetch_token(self) -> tuple[str, int]:
        params = {
            "grant_type": "client_credential",
            "appid": self.settings.app_id,
            "secret": self.settings.app_secret,
        }
        data = await self._request("GET", "/cgi-bin/token", params=params)
        if "access_token" not in data:
            raise TokenError(f"WeChat refused a token: {data.get('errcode')} {data.get('errmsg')}")
        return str(data["access_token"]), int(data.get("expires_in") or 7200)

    async def send_text(self, openid: str, text: str) -> dict[str, Any]:
        """A customer-service text message (inside the 48-hour window only)."""
        body = {"touser": openid, "msgtype": "text", "text": {"content": text}}
        return await self.call("/cgi-bin/message/custom/send", body)

    async def send_template(
        self, openid: str, template_id: str, data: dict[str, dict[str, str]], url: str
    ) -> dict[str, Any]:
        """A template message (allowed outside the window; fields already ≤ 20 characters)."""
        body: dict[str, Any] = {"touser": openid, "template_id": template_id, "data": data}
        if url:
            body["url"] = url
        return await self.call("/cgi-bin/message/template/send", body)

    def _media_error(self, content: bytes) -> tuple[int, str]:
        error = json.loads(content or b"{}")
        return int(error.get("errcode") or 0), str(error.get("errmsg", ""))

    async def deliver(
        self, identity_external_id: str, payload: Mapping[str, Any], kind: str
    ) -> DeliveryResult:
        """Send one push: a customer-service message inside the window, else a template.

        `payload`: `text`, optional `buttons` ([{title, payload}], sent as numbered lines),
        `url` (link to the full text), `template.data` ({keyword: value}; else the text's
        first line goes in `wechat.template_summary_field`). `kind` picks the template id.
        Never retries by itself; on `blocked` the identity is already marked unreachable.
        """
        try:
            result = await self._deliver(identity_external_id, payload, kind)
        except WechatUnavailableError as err:
            if uncertain(err):  # WeChat has no idempotency key: resending could repeat it
                return DeliveryResult("unknown", error=str(err))
            return DeliveryResult("retry_after", 30.0, str(err))
        except TokenError as err:
            return DeliveryResult("retry_after", 60.0, str(err))
        if result.status == "blocked":
            await asyncio.to_thread(
                identity_events.mark_unreachable, self.deps, CHANNEL, identity_external_id
            )
        return result

    async def _deliver(self, openid: str, payload: Mapping[str, Any], kind: str) -> DeliveryResult:
        window = await asyncio.to_thread(
            identity_events.take_reply_window, self.deps, CHANNEL, openid, WINDOW_HOURS, WINDOW_LIMIT
        )
        if window == "unknown":
            return DeliveryResult("failed", error="no such WeChat identity")
        if window == "unreachable":
            return DeliveryResult("blocked", error="the owner unfollowed the account")
        if window == "open":
            answer = await self.send_text(openid, render.payload_text(payload))
            code = int(answer.get("errcode") or 0)
            if code == 0:
                await self._offer_buttons(openid, payload)
            if code not in (OUT_OF_WINDOW, WINDOW_USED_UP):
                return self._result(code, answer)
            if code == WINDOW_USED_UP:
                await asyncio.to_thread(
                    identity_events.use_up_reply_window, self.deps, CHANNEL, openid, WINDOW_LIMIT
                )
        return await self._by_template(openid, payload, kind)

    async def _by_template(
        self, openid: str, payload: Mapping[str, Any], kind: str
    ) -> DeliveryResult:
        template_id = self.settings.templates.get(kind, "")
        if not template_id:
            # Outside the window (or its quota spent) only a template may go: wait for the owner.
            return DeliveryResult("retry_after", 3600.0, f"outside the reply window; no template for {kind!r}")
        data = render.template_data(payload, self.settings.template_summary_field)
        answer = await self.send_template(openid, template_id, data, render.template_url(payload))
        return self._result(int(answer.get("errcode") or 0), answer)

    async def _offer_buttons(self, openid: str, payload: Mapping[str, Any]) -> None:
        offered = [str(b.get("payload")) for b in payload.get("buttons") or () if isinstance(b, Mapping)]
        if offered:
            await asyncio.to_thread(identity_events.offer_buttons, self.deps, CHANNEL, openid, offered)

    def _result(self, code: int, answer: Mapping[str, Any]) -> DeliveryResult:
        error = f"{code} {answer.get('errmsg', '')}".strip()
        if code == 0:
            return DeliveryResult("sent")
        if code in UNSUBSCRIBED:
            return DeliveryResult("blocked", error=error)
        if code == DAILY_QUOTA:
            return DeliveryResult("retry_after", self._until_midnight(), error)
        if code == WINDOW_USED_UP:
            return DeliveryResult("retry_after", 3600.0, error)
        if code == -1 or code in TOKEN_ERRORS:  # system busy; a token that failed twice
            return DeliveryResult("retry_after", 30.0, error)
        return DeliveryResult("failed", error=error)

    def _until_midnight(self) -> float:
        """WeChat's daily quotas reset at 00:00 Beijing time."""
        now = self.deps.clock().astimezone(self.deps.settings.timezone)
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
        return max(60.0, (midnight - now).total_seconds())

