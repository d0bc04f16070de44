"""The HTTP client of WeChat Pay API v3: signs each request, verifies each answer.

Synchronous (`requests`): the use cases that call it run in worker threads or jobs. Every
2xx answer with a body must carry the platform's signature; one that does not verify is
treated as a failed call (GatewayError `SIGN_ERROR`), never as data.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.payments.wechatpay import crypto
from handlers.payment_gateway import GatewayError

log = logging.getLogger(__name__)


class WechatPayClient:
    """Signed calls to `api_base` as merchant `mch_id` (the service provider's in its mode)."""

    def __init__(self, *, api_base: str, mch_id: str, serial_no: str, private_key: rsa.RSAPrivateKey,
                 platform: crypto.PlatformKeys, timeout: float, tolerance: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.api_base = api_base.rstrip("/")
        self.mch_id, self.serial_no = mch_id, serial_no
        self.private_key, self.platform = private_key, platform
        self.timeout, self.tolerance, self.clock = timeout, tolerance, clock
        self.http = requests.Session()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             query: dict[str, str] | None = None, *, unverified: bool = False) -> dict[str, Any]:
        """One API call; the JSON answer ({} for 204), or GatewayError.

        `unverified` only for `/v3/certificates`, whose content authenticates itself.
        """
        full = path + ("?" + urlencode(query) if query else "")
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":")) if body is not None else ""
        response = self._send(method, self.api_base + full, full, text)
        if response.status_code == 204:
            return {}
        data = _json(response)
        if response.status_code >= 300:
            raise GatewayError(str(data.get("code") or "HTTP_" + str(response.status_code)),
                               str(data.get("message") or ""), response.status_code)
        if unverified:
            return data
        try:
            crypto.verify(self.platform, response.headers, response.content, self.clock(), self.tolerance)
        except crypto.SignatureError as err:
            log.warning("wechat pay: answer to %s %s not verified: %s", method, path, err)
            raise GatewayError("SIGN_ERROR", str(err), response.status_code) from err
        return data

    def download(self, url: str, sha1: str) -> bytes:
        """A bill file from its `download_url`, checked against the SHA1 digest WeChat gave."""
        parts = urlsplit(url)
        path = parts.path + ("?" + parts.query if parts.query else "")
        response = self._send("GET", self.api_base + path, path, "")
        if response.status_code >= 300:
            raise GatewayError("HTTP_" + str(response.status_code), "bill download failed",
                               response.status_code)
        if not crypto.same(hashlib.sha1(response.content).hexdigest().lower(), sha1.lower()):
            raise GatewayError("DIGEST_MISMATCH", "the bill file does not match its SHA1 digest")
        return response.content

    def _send(self, method: str, url: str, signed_path: str, text: str) -> requests.Response:
        timestamp, nonce_str = int(self.clock()), crypto.nonce()
        headers = {
            "Authorization": crypto.authorization(self.private_key, self.mch_id, self.serial_no, method,
                                                  signed_path, text, timestamp, nonce_str),
            "Accept": "application/json", "Content-Type": "application/json",
            "User-Agent": "wuye-wechatpay/1",
        }
        try:
            return self.http.request(method, url, data=text.encode("utf-8") if text else None,
                                     headers=headers, timeout=self.timeout)
        except requests.RequestException as err:
            raise GatewayError("NETWORK", type(err).__name__) from err


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
