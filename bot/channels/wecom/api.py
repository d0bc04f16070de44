"""The outbound WeCom API client: access token, app messages, media download, and
`deliver()` for the sender. Every call has a timeout.

The access token is shared by every process (the WeChat channel's AccessTokens: one
refresher under a lock, the token in the shared store) and refreshed once after an
invalid-token errcode. Errcodes: https://developer.work.weixin.qq.com/document/path/90313
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import aiohttp

from bot.channels.wechat.tokens import AccessTokens, TokenError
from bot.channels.wecom import render
from bot.config import WecomSettings
from handlers import identity_events
from handlers.deps import Deps
from storage.stores import LockStore

log = logging.getLogger(__name__)

CHANNEL = "wecom"
TOKEN_ERRORS = frozenset({40014, 42001})  # invalid / expired access_token: refresh once
FREQUENCY = frozenset({45009, 45033})  # API call / concurrency limits: slow down
GONE_USER = frozenset({60111, 81013, 40003})  # no such userid / not in the app's visible range
IP_NOT_TRUSTED = 60020  # the server's IP is not among the app's 企业可信IP
BUSY = -1
DUPLICATE_CHECK_SECONDS = 1800  # a push resent after a lost answer is not shown twice


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery attempt came to; the sender decides what to do next."""

    status: Literal["sent", "retry_after", "blocked", "failed"]
    retry_after: float = 0.0
    error: str = ""


class WecomApiError(Exception):
    """WeCom answered, but not with success (`errcode` != 0)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WecomUnavailableError(Exception):
    """The WeCom API did not answer in time, or not with JSON."""


class WecomApi:
    """One WeCom app's outbound API; `await close()` on shutdown."""

    def __init__(self, settings: WecomSettings, deps: Deps, locks: LockStore) -> None:
        self.settings = settings
        self.deps = deps
        account = f"{settings.corp_id}:{settings.agent_id}"  # each app has its own token
        self.tokens = AccessTokens(
            self._fetch_token, deps.state, locks, deps.clock, account, namespace=CHANNEL
        )
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

    async def _fetch_token(self) -> tuple[str, int]:
        params = {"corpid": self.settings.corp_id, "corpsecret": self.settings.secret}
        data = await self._request("GET", "/cgi-bin/gettoken", params=params)
        if int(data.get("errcode") or 0) != 0 or "access_token" not in data:
            raise TokenError(f"WeCom refused a token: {data.get('errcode')} {data.get('errmsg')}")
        return str(data["access_token"]), int(data.get("expires_in") or 7200)

    async def _request(
        self, method: str, path: str, *, params: Mapping[str, str], body: object = None
    ) -> dict[str, Any]:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"} if data else None
        try:
            async with self._http().request(
                method, self.settings.api_base + path, params=params, data=data, headers=headers
            ) as resp:
                if resp.status >= 500:
                    raise WecomUnavailableError(f"HTTP {resp.status} from {path}")
                answer = await resp.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError) as err:
            raise WecomUnavailableError(f"{path}: {type(err).__name__}") from err
        except ValueError as err:
            raise WecomUnavailableError(f"{path}: answer is not JSON") from err
        if not isinstance(answer, dict):
            raise WecomUnavailableError(f"{path}: answer is not a JSON object")
        return answer

    async def call(self, path: str, body: object) -> dict[str, Any]:
        """POST `body` with the access token; an invalid-token answer refreshes once and retries."""
        for attempt in range(2):
            token = await self.tokens.get()
            answer = await self._request("POST", path, params={"access_token": token}, body=body)
            if int(answer.get("errcode") or 0) in TOKEN_ERRORS and attempt == 0:
                log.warning("wecom token rejected (%s), refreshing", answer.get("errcode"))
                await self.tokens.invalidate(token)
                continue
            return answer
        raise AssertionError("unreachable")

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

    async def download_media(self, media_id: str) -> tuple[bytes, str]:
        """A temporary media file (kept 3 days by WeCom) → (bytes, content type)."""
        for attempt in range(2):
            token = await self.tokens.get()
            params = {"access_token": token, "media_id": media_id}
            try:
                async with self._http().get(
                    self.settings.api_base + "/cgi-bin/media/get", params=params
                ) as resp:
                    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
                    content = await _read_capped(resp, self.settings.media_max_bytes)
            except (TimeoutError, aiohttp.ClientError) as err:
                raise WecomUnavailableError(f"media/get: {type(err).__name__}") from err
            if resp.status != 200:
                raise WecomUnavailableError(f"media/get: HTTP {resp.status}")
            if ctype not in ("application/json", "text/plain"):
                return content, ctype or "application/octet-stream"
            try:
                error = json.loads(content or b"{}")
            except ValueError as err:
                raise WecomUnavailableError("media/get: unreadable error answer") from err
            code = int(error.get("errcode") or 0) if isinstance(error, dict) else 0
            if code in TOKEN_ERRORS and attempt == 0:
                await self.tokens.invalidate(token)
                continue
            raise WecomApiError(code, str(error.get("errmsg", "")) if isinstance(error, dict) else "")
        raise AssertionError("unreachable")


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


async def _read_capped(resp: aiohttp.ClientResponse, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise WecomUnavailableError(f"media larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
