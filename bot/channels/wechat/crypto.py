"""WeChat callback signatures and safe-mode AES, over wechatpy's cipher.

wechatpy compares signatures with `!=` and never looks at the timestamp, so the checks
here are our own: constant-time comparison (hmac.compare_digest) and a replay window.
Only the AES step itself (PKCS#7, AppID trailer) is wechatpy's `PrpCrypto`.
Doc: https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct

from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException


class SignatureError(Exception):
    """The request is not from WeChat (bad signature or stale timestamp): answer 403."""


class DecryptError(Exception):
    """A correctly signed body that does not decrypt to this account's message: answer 403."""


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


class MessageCrypto:
    """Safe mode for one Official Account: verify msg_signature, decrypt, encrypt replies."""

    def __init__(self, token: str, encoding_aes_key: str, app_id: str) -> None:
        self.token = token
        self.app_id = app_id
        try:
            self.key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as err:
            raise ValueError("encoding_aes_key is not valid base64") from err
        if len(self.key) != 32:
            raise ValueError("encoding_aes_key must decode to 32 bytes")
        self._wechatpy = WeChatCrypto(token, encoding_aes_key, app_id)

    def decrypt(self, encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
        """The inner XML of a safe-mode message; SignatureError/DecryptError when it is not ours."""
        if not signature_ok((self.token, timestamp, nonce, encrypt), msg_signature):
            raise SignatureError("msg_signature does not match")
        try:
            return PrpCrypto(self.key).decrypt(encrypt, self.app_id)
        except InvalidAppIdException as err:
            raise DecryptError("message is for another AppID") from err
        except (ValueError, TypeError, IndexError, struct.error, UnicodeDecodeError) as err:
            # Bad base64, bad block length, bad padding or a truncated length prefix.
            raise DecryptError(f"cannot decrypt: {type(err).__name__}") from err

    def encrypt_reply(self, xml: str, nonce: str, timestamp: str) -> str:
        """The `<xml><Encrypt>…` envelope WeChat expects for a passive reply in safe mode."""
        return str(self._wechatpy.encrypt_message(xml, nonce, timestamp))
