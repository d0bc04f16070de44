"""What the WeChat Official Account and WeCom channels share: the JSON API client (timeout,
errcode, one token refresh, capped media download), callback signatures and the replay
window, the AES-key and decryption checks, and the webhook's request reading (body size cap,
then XML and crypto, each refusal with its status).

Both speak Tencent's same protocol family; the differences (errcodes, AES trailer, log
prefix) are passed in or set as class attributes by each channel.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import struct
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

import aiohttp
from aiohttp import web

from bot.channels.body import read_capped
from bot.channels.wechat.xml import XmlError

if TYPE_CHECKING:
    from bot.channels.wechat.tokens import AccessTokens

JSON_TYPES = ("application/json", "text/plain")  # a media/get answer that is an errcode


class SignatureError(Exception):
    """The request is not from WeChat (bad signature or stale timestamp): answer 403."""


class DecryptError(Exception):
    """A correctly signed body that does not decrypt to this account's message: answer 403."""


class WxApiError(Exception):
    """The API answered, but not with success (`errcode` != 0)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


def sign(*parts: str) -> str:
    """WeChat's signature: SHA-1 of the parts sorted and concatenated."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def signature_ok(expected_parts: tuple[str, ...], given: str) -> bool:
    """True when `given` is the signature of `expected_parts`, compared in constant time."""
    if not given or not all(expected_parts):
        return False
    return hmac.compare_digest(sign(*expected_parts).encode(), given.strip().lower().encode())


def timestamp_fresh(timestamp: str, now: float, tolerance: int) -> bool:
    """True when `timestamp` (Unix seconds, as WeChat sends it) is within `tolerance` of now."""
    if not timestamp.isdigit() or len(timestamp) > 12:
        return False
    return abs(int(timestamp) - now) <= tolerance


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key of an `EncodingAESKey`; ValueError when it is not one."""
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as err:
        raise ValueError("encoding_aes_key is not valid base64") from err
    if len(key) != 32:
        raise ValueError("encoding_aes_key must decode to 32 bytes")
    return key


def open_sealed(
    token: str, sealed: tuple[str, str, str, str], decrypt: Callable[[str], str],
    foreign: type[Exception], foreign_reason: str,
) -> str:
    """Verify `msg_signature` over (token, timestamp, nonce, ciphertext), then decrypt.

    `sealed` is (ciphertext, msg_signature, timestamp, nonce); `decrypt` is wechatpy's
    PrpCrypto step, raising `foreign` when the trailer names another account.
    """
    encrypt, msg_signature, timestamp, nonce = sealed
    if not signature_ok((token, timestamp, nonce, encrypt), msg_signature):
        raise SignatureError("msg_signature does not match")
    try:
        return str(decrypt(encrypt))
    except foreign as err:
        raise DecryptError(foreign_reason) from err
    except (ValueError, TypeError, IndexError, struct.error, UnicodeDecodeError) as err:
        # Bad base64, bad block length, bad padding or a truncated length prefix.
        raise DecryptError(f"cannot decrypt: {type(err).__name__}") from err


def request_fresh(
    request: web.Request, now: float, tolerance: int, logger: logging.Logger, channel: str
) -> bool:
    """The callback's timestamp is near now (a replayed capture is refused); logs a refusal."""
    timestamp = request.query.get("timestamp", "")
    if not timestamp_fresh(timestamp, now, tolerance):
        logger.warning("%s: stale timestamp %s from %s", channel, timestamp[:12], request.remote)
        return False
    return True


async def read_message(
    request: web.Request, limit: int, open_message: Callable[[web.Request, bytes], dict[str, object]],
    logger: logging.Logger, channel: str, what: str = "message",
) -> dict[str, object] | web.Response:
    """The callback's message fields, or the refusal to answer: 413, 400 (XML) or 403 (crypto)."""
    body = await read_capped(request, limit)
    if body is None:
        return status_response(413)
    try:
        return open_message(request, body)
    except XmlError as err:
        logger.warning("%s: unreadable body refused: %s", channel, err)
        return status_response(400)
    except (SignatureError, DecryptError) as err:
        logger.warning("%s: %s refused from %s: %s", channel, what, request.remote, err)
        return status_response(403)


def _uncertain(err: Exception, method: str) -> Exception:
    """Mark `err` as "the request may have been carried out" when it was a POST."""
    err.uncertain = method == "POST"  # type: ignore[attr-defined]
    return err


def uncertain(err: BaseException) -> bool:
    """True when a failed API call may nevertheless have taken effect (no answer to a POST)."""
    return bool(getattr(err, "uncertain", False))


_REASONS = {400: "bad request", 403: "forbidden", 413: "too large", 500: "retry later"}


def status_response(status: int) -> web.Response:
    """A short plain-text refusal (400, 403, 413 or 500)."""
    return web.Response(status=status, text=_REASONS[status], content_type="text/plain")


class _Webhook(Protocol):
    def routes(self) -> list[web.RouteDef]: ...

    async def close(self) -> None: ...


W = TypeVar("W", bound=_Webhook)


def mount(web_app: web.Application, key: web.AppKey[W], webhook: W) -> None:
    """Mount `webhook`'s routes, keep it under `key`, and close it when the app shuts down."""
    web_app[key] = webhook
    web_app.router.add_routes(webhook.routes())

    async def _close(_: web.Application) -> None:
        await webhook.close()

    web_app.on_cleanup.append(_close)


class _HttpSettings(Protocol):
    api_base: str
    http_timeout: float
    media_max_bytes: int


class WxApiClient:
    """The HTTP side of one account's API; each channel sets the class attributes below."""

    channel: ClassVar[str]  # log prefix
    token_errors: ClassVar[frozenset[int]]  # errcodes that mean "refresh the token once"
    unavailable: ClassVar[type[Exception]]  # raised when the API did not answer usably
    api_error: ClassVar[type[WxApiError]]  # raised for a media/get errcode
    settings: _HttpSettings
    tokens: AccessTokens
    _session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=self.settings.http_timeout)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    async def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._session is not None:
            await self._session.close()

    async def _request(
        self, method: str, path: str, *, params: Mapping[str, str], body: object = None
    ) -> dict[str, Any]:
        # WeChat wants raw UTF-8, not \\u escapes, in message bodies.
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"} if data else None
        try:
            async with self._http().request(
                method, self.settings.api_base + path, params=params, data=data, headers=headers
            ) as resp:
                if resp.status >= 500:
                    raise self.unavailable(f"HTTP {resp.status} from {path}")
                answer = await resp.json(content_type=None)
        except aiohttp.ClientConnectorError as err:  # never connected: nothing was sent
            raise self.unavailable(f"{path}: {type(err).__name__}") from err
        except (TimeoutError, aiohttp.ClientError) as err:
            # The request may have reached the API: a POST (a message) may have been sent.
            raise _uncertain(self.unavailable(f"{path}: {type(err).__name__}"), method) from err
        except ValueError as err:
            raise self.unavailable(f"{path}: answer is not JSON") from err
        if not isinstance(answer, dict):
            raise self.unavailable(f"{path}: answer is not a JSON object")
        return answer

    async def call(self, path: str, body: object) -> dict[str, Any]:
        """POST `body` with the access token; an invalid-token answer refreshes once and retries."""
        for attempt in range(2):
            token = await self.tokens.get()
            answer = await self._request("POST", path, params={"access_token": token}, body=body)
            if int(answer.get("errcode") or 0) in self.token_errors and attempt == 0:
                # Logged under the channel's own module, as before the two shared this code.
                logging.getLogger(type(self).__module__).warning(
                    "%s token rejected (%s), refreshing", self.channel, answer.get("errcode")
                )
                await self.tokens.invalidate(token)
                continue
            return answer
        raise AssertionError("unreachable")

    async def download_media(self, media_id: str) -> tuple[bytes, str]:
        """Temporary media (kept 3 days by Tencent) → (bytes, content type)."""
        for attempt in range(2):
            token = await self.tokens.get()
            params = {"access_token": token, "media_id": media_id}
            try:
                async with self._http().get(
                    self.settings.api_base + "/cgi-bin/media/get", params=params
                ) as resp:
                    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
                    content = await self._read_capped(resp, self.settings.media_max_bytes)
            except (TimeoutError, aiohttp.ClientError) as err:
                raise self.unavailable(f"media/get: {type(err).__name__}") from err
            if resp.status != 200:
                raise self.unavailable(f"media/get: HTTP {resp.status}")
            if ctype not in JSON_TYPES:
                return content, ctype or "application/octet-stream"
            code, errmsg = self._media_error(content)
            if code in self.token_errors and attempt == 0:
                await self.tokens.invalidate(token)
                continue
            raise self.api_error(code, errmsg)
        raise AssertionError("unreachable")

    def _media_error(self, content: bytes) -> tuple[int, str]:
        """(errcode, errmsg) of a media/get answer that is JSON rather than the file."""
        raise NotImplementedError

    async def _read_capped(self, resp: aiohttp.ClientResponse, limit: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise self.unavailable(f"media larger than {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
