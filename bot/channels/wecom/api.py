"""The outbound WeCom API client: access token, app messages, media download, and
`deliver()` for the sender. Every call has a timeout (the HTTP side, shared with the WeChat
channel, is bot.channels.wx_common.WxApiClient).

The access token is shared by every process (the WeChat channel's AccessTokens: one
refresher under a lock, the token in the shared store) and refreshed once after an
invalid-token errcode. Errcodes: https://developer.work.weixin.qq.com/document/path/90313
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from bot.channels.base import DeliveryResult
from bot.channels.wechat.tokens import AccessTokens, TokenError
from bot.channels.wecom import render
from bot.channels.wx_common import WxApiClient, WxApiError
from bot.config import WecomSettings
from handlers import identity_events
from handlers.deps import Deps
from storage.stores import LockStore

CHANNEL = "wecom"
TOKEN_ERRORS = frozenset({40014, 42001})  # invalid / expired access_token: refresh once
FREQUENCY = frozenset({45009, 45033})  # API call / concurrency limits: slow down
GONE_USER = frozenset({60111, 81013, 40003})  # no such userid / not in the app's visible range
IP_NOT_TRUSTED = 60020  # the server's IP is not among the app's 企业可信IP
BUSY = -1
DUPLICATE_CHECK_SECONDS = 1800  # a push resent after a lost answer is not shown twice


class WecomApiError(WxApiError):
    """WeCom answered, but not with success (`errcode` != 0)."""


class WecomUnavailableError(Exception):
    """The WeCom API did not answer in time, or not with JSON."""


class WecomApi(WxApiClient):
    """One WeCom app's outbound API; `await close()` on shutdown."""

    channel = CHANNEL
    token_errors = TOKEN_ERRORS
    unavailable = WecomUnavailableError
    api_error = WecomApiError

    def __init__(self, settings: WecomSettings, deps: Deps, locks: LockStore) -> None:
        self.settings = settings
        self.deps = deps
        account = f"{settings.corp_id}:{settings.agent_id}"  # each app has its own token
        self.tokens = AccessTokens(
            self._fetch_token, deps.state, locks, deps.clock, account, namespace=CHANNEL
        )
        self._session = None

    async def _fetch_token(self) -> tuple[str, int]:
        params = {"corpid": self.settings.corp_id, "corpsecret": self.settings.secret}
        data = await self._request("GET", "/cgi-bin/gettoken", params=params)
        if int(data.get("errcode") or 0) != 0 or "access_token" not in data:
            raise TokenError(f"WeCom refused a token: {data.get('errcode')} {data.get('errmsg')}")
        return str(data["access_token"]), int(data.get("expires_in") or 7200)

    async def send(
        self, userid: str, outgoing: render.Outgoing, *, duplicate_check: bool = False
    ) -> DeliveryResult:
        """`message/send` one app message to one member; never raises."""
        body: dict[str, Any] = {"touser": userid, "agentid": self.settings.agent_id, **outgoing.body}
        if duplicate_check:
            body["enable_duplicate_check"] = 1
            body["duplicate_check_interval"] = DUPLICATE_CHECK_SECONDS
        try:
            answer = await self.call("/cgi-bin/message/send", body)
        except WecomUnavailableError as err:
            return DeliveryResult("retry_after", 30.0, str(err))
        except TokenError as err:
            return DeliveryResult("retry_after", 60.0, str(err))
        return result(int(answer.get("errcode") or 0), answer, userid)

    async def deliver(
        self, external_id: str, payload: Mapping[str, Any], kind: str = ""
    ) -> DeliveryResult:
        """Send one push to a member (their WeCom userid); never retries by itself.

        `payload`: `text`, optional `buttons` ([{title, payload}]: a button card, or numbered
        lines when they do not fit one), `url` (a textcard linking to it). `kind` is unused:
        WeCom app messages have no reply window and no templates.
        """
        outgoing = render.from_payload(payload)
        sent = await self.send(external_id, outgoing, duplicate_check=True)
        if sent.status == "sent" and outgoing.numbered:
            # Numbered choices: a number typed next picks one, as with dispatch's own buttons.
            await asyncio.to_thread(
                identity_events.offer_buttons, self.deps, CHANNEL, external_id,
                list(outgoing.numbered),
            )
        return sent

    def _media_error(self, content: bytes) -> tuple[int, str]:
        try:
            error = json.loads(content or b"{}")
        except ValueError as err:
            raise WecomUnavailableError("media/get: unreadable error answer") from err
        if not isinstance(error, dict):
            return 0, ""
        return int(error.get("errcode") or 0), str(error.get("errmsg", ""))


def result(code: int, answer: Mapping[str, Any], userid: str) -> DeliveryResult:
    """A message/send answer as a DeliveryResult."""
    error = f"{code} {answer.get('errmsg', '')}".strip()
    if code == 0:
        # A partly invalid recipient list still answers 0, naming the bad ones.
        invalid = str(answer.get("invaliduser") or "").split("|")
        if userid in invalid:
            return DeliveryResult("blocked", error=f"invaliduser {userid}")
        return DeliveryResult("sent")
    if code in GONE_USER:
        return DeliveryResult("blocked", error=error)
    if code in FREQUENCY:
        return DeliveryResult("retry_after", 60.0, error)
    if code == BUSY or code in TOKEN_ERRORS:  # system busy; a token that failed twice
        return DeliveryResult("retry_after", 30.0, error)
    if code == IP_NOT_TRUSTED:
        # A console setting, not this message: keep it until an admin adds the IP.
        return DeliveryResult("retry_after", 600.0, error)
    return DeliveryResult("failed", error=error)

