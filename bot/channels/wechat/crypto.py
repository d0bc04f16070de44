"""WeChat callback signatures and safe-mode AES, over wechatpy's cipher.

wechatpy compares signatures with `!=` and never looks at the timestamp, so the checks
are our own (in bot.channels.wx_common, shared with WeCom): constant-time comparison
(hmac.compare_digest) and a replay window.
Only the AES step itself (PKCS#7, AppID trailer) is wechatpy's `PrpCrypto`.
Doc: https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
"""

from __future__ import annotations

from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException

from bot.channels.wx_common import (
    DecryptError,
    SignatureError,
    aes_key,
    open_sealed,
    sign,
    signature_ok,
    timestamp_fresh,
)

__all__ = ["DecryptError", "MessageCrypto", "SignatureError", "sign", "signature_ok", "timestamp_fresh"]


class MessageCrypto:
    """Safe mode for one Official Account: verify msg_signature, decrypt, encrypt replies."""

    def __init__(self, token: str, encoding_aes_key: str, app_id: str) -> None:
        self.token = token
        self.app_id = app_id
        self.key = aes_key(encoding_aes_key)
        self._wechatpy = WeChatCrypto(token, encoding_aes_key, app_id)

    def decrypt(self, encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
        """The inner XML of a safe-mode message; SignatureError/DecryptError when it is not ours."""
        return open_sealed(
            self.token, (encrypt, msg_signature, timestamp, nonce),
            lambda text: PrpCrypto(self.key).decrypt(text, self.app_id),
            InvalidAppIdException, "message is for another AppID",
        )

    def encrypt_reply(self, xml: str, nonce: str, timestamp: str) -> str:
        """The `<xml><Encrypt>…` envelope WeChat expects for a passive reply in safe mode."""
        return str(self._wechatpy.encrypt_message(xml, nonce, timestamp))
