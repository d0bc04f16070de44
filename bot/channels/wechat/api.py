"""The outbound WeChat API client: access token, customer-service and template messages,
media download, and `deliver()` for the sender. Every call has a timeout (wechatpy sets none).

Errcodes: https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import aiohttp

from bot.channels.wechat import render
from bot.channels.wechat.tokens import AccessTokens, TokenError
from bot.config import WechatSettings
from handlers import identity_events
from handlers.deps import Deps
from storage.stores import LockStore

log = logging.getLogger(__name__)

CHANNEL = "wechat"
TOKEN_ERRORS = frozenset({40001, 40014, 42001})  # invalid / malformed / expired token
OUT_OF_WINDOW = 45015  # customer-service message outside the 48-hour window
WINDOW_USED_UP = 45047  # too many customer-service messages since the owner's last message
DAILY_QUOTA = 45009  # the account's daily API quota is spent
UNSUBSCRIBED = frozenset({43004, 43101})  # not following / refused this template
WINDOW_HOURS = 48
WINDOW_LIMIT = 5  # customer-service messages per owner message, since 2023


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery attempt came to; the sender decides what to do next."""

    status: Literal["sent", "retry_after", "blocked", "failed"]
    retry_after: float = 0.0
    error: str = ""


class WechatApiError(Exception):
    """WeChat answered, but not with success (`errcode` != 0) or not with what was asked."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WechatUnavailableError(Exception):
    """The WeChat API did not answer in time or at all."""


class WechatApi:
    """One Official Account's outbound API; `await close()` on shutdown."""

    def __init__(self, settings: WechatSettings, deps: Deps, locks: LockStore) -> None:
        self.settings = settings
        self.deps = deps
        self.tokens = AccessTokens(self._fetch_token, deps.state, locks, deps.clock, settings.app_id)
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=self.settings.http_timeout)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    async def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._session is not None:
            await self._session.close()

    def _url(self, path: str) -> str:
        return self.settings.api_base + path

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

    async def _request(
        self, method: str, path: str, *, params: Mapping[str, str], body: object = None
    ) -> dict[str, Any]:
        # WeChat wants raw UTF-8, not \\u escapes, in message bodies.
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"} if data else None
        try:
            async with self._http().request(
                method, self._url(path), params=params, data=data, headers=headers
            ) as resp:
                if resp.status >= 500:
                    raise WechatUnavailableError(f"HTTP {resp.status} from {path}")
                answer = await resp.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError) as err:
            raise WechatUnavailableError(f"{path}: {type(err).__name__}") from err
        except ValueError as err:
            raise WechatUnavailableError(f"{path}: answer is not JSON") from err
        if not isinstance(answer, dict):
            raise WechatUnavailableError(f"{path}: answer is not a JSON object")
        return answer

    async def call(self, path: str, body: object) -> dict[str, Any]:
        """POST `body` with the access token; an invalid-token answer refreshes once and retries."""
        for attempt in range(2):
            token = await self.tokens.get()
            answer = await self._request("POST", path, params={"access_token": token}, body=body)
            if int(answer.get("errcode") or 0) in TOKEN_ERRORS and attempt == 0:
                log.warning("wechat token rejected (%s), refreshing", answer.get("errcode"))
                await self.tokens.invalidate(token)
                continue
            return answer
        raise AssertionError("unreachable")

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

    async def download_media(self, media_id: str) -> tuple[bytes, str]:
        """Temporary media (kept 3 days by WeChat) → (bytes, content type)."""
        for attempt in range(2):
            token = await self.tokens.get()
            params = {"access_token": token, "media_id": media_id}
            try:
                async with self._http().get(self._url("/cgi-bin/media/get"), params=params) as resp:
                    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
                    body = await _read_capped(resp, self.settings.media_max_bytes)
            except (TimeoutError, aiohttp.ClientError) as err:
                raise WechatUnavailableError(f"media/get: {type(err).__name__}") from err
            if resp.status != 200:
                raise WechatUnavailableError(f"media/get: HTTP {resp.status}")
            if ctype not in ("application/json", "text/plain"):
                return body, ctype or "application/octet-stream"
            error = json.loads(body or b"{}")
            code = int(error.get("errcode") or 0)
            if code in TOKEN_ERRORS and attempt == 0:
                await self.tokens.invalidate(token)
                continue
            raise WechatApiError(code, str(error.get("errmsg", "")))
        raise AssertionError("unreachable")

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


async def _read_capped(resp: aiohttp.ClientResponse, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise WechatUnavailableError(f"media larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
