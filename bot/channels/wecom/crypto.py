"""WeCom callback crypto: `msg_signature` over the ciphertext, AES with the CorpID trailer.

WeCom encrypts every callback, the URL check's `echostr` included, and signs
(token, timestamp, nonce, ciphertext). The signature comparison (constant time) and the
replay window are bot.channels.wx_common's, shared with WeChat; the AES step is wechatpy's
enterprise `PrpCrypto`, whose trailer check refuses messages for another CorpID.
Doc: https://developer.work.weixin.qq.com/document/path/90968 (加解密方案说明)
"""

from __future__ import annotations

from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException

from bot.channels.wx_common import (
    DecryptError,
    SignatureError,
    aes_key,
    open_sealed,
    timestamp_fresh,
)

__all__ = ["DecryptError", "SignatureError", "WecomCrypto", "timestamp_fresh"]


class WecomCrypto:
    """One WeCom app's callback crypto: verify the URL check, open messages, seal replies."""

    def __init__(self, token: str, encoding_aes_key: str, corp_id: str) -> None:
        self.token = token
        self.corp_id = corp_id
        self.key = aes_key(encoding_aes_key)
        self._wechatpy = WeChatCrypto(token, encoding_aes_key, corp_id)

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """The plaintext to answer WeCom's URL check with (its `echostr` is encrypted)."""
        return self.decrypt(echostr, msg_signature, timestamp, nonce)

    def decrypt(self, encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
        """The plaintext of `encrypt`; SignatureError / DecryptError when it is not ours."""
        return open_sealed(
            self.token, (encrypt, msg_signature, timestamp, nonce),
            lambda text: PrpCrypto(self.key).decrypt(text, self.corp_id),
            InvalidCorpIdException, "message is for another CorpID",
        )

    def encrypt(self, xml: str, nonce: str, timestamp: str) -> str:
        """The `<xml><Encrypt>…` envelope of a passive reply (the bot replies by the API)."""
        return str(self._wechatpy.encrypt_message(xml, nonce, timestamp))
