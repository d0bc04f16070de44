"""WeCom callback crypto: `msg_signature` over the ciphertext, AES with the CorpID trailer.

WeCom encrypts every callback, the URL check's `echostr` included, and signs
(token, timestamp, nonce, ciphertext). The signature comparison (constant time) and the
replay window are the WeChat channel's own; the AES step is wechatpy's enterprise
`PrpCrypto`, whose trailer check refuses messages for another CorpID.
Doc: https://developer.work.weixin.qq.com/document/path/90968 (加解密方案说明)
"""

from __future__ import annotations

import base64
import binascii
import struct

from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException

from bot.channels.wechat.crypto import DecryptError, SignatureError, signature_ok, timestamp_fresh

__all__ = ["DecryptError", "SignatureError", "WecomCrypto", "timestamp_fresh"]


class WecomCrypto:
    """One WeCom app's callback crypto: verify the URL check, open messages, seal replies."""

    def __init__(self, token: str, encoding_aes_key: str, corp_id: str) -> None:
        self.token = token
        self.corp_id = corp_id
        try:
            self.key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as err:
            raise ValueError("encoding_aes_key is not valid base64") from err
        if len(self.key) != 32:
            raise ValueError("encoding_aes_key must decode to 32 bytes")
        self._wechatpy = WeChatCrypto(token, encoding_aes_key, corp_id)

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """The plaintext to answer WeCom's URL check with (its `echostr` is encrypted)."""
        return self.decrypt(echostr, msg_signature, timestamp, nonce)

    def decrypt(self, encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
        """The plaintext of `encrypt`; SignatureError / DecryptError when it is not ours."""
        if not signature_ok((self.token, timestamp, nonce, encrypt), msg_signature):
            raise SignatureError("msg_signature does not match")
        try:
            return str(PrpCrypto(self.key).decrypt(encrypt, self.corp_id))
        except InvalidCorpIdException as err:
            raise DecryptError("message is for another CorpID") from err
        except (ValueError, TypeError, IndexError, struct.error, UnicodeDecodeError) as err:
            # Bad base64, bad block length, bad padding or a truncated length prefix.
            raise DecryptError(f"cannot decrypt: {type(err).__name__}") from err

    def encrypt(self, xml: str, nonce: str, timestamp: str) -> str:
        """The `<xml><Encrypt>…` envelope of a passive reply (the bot replies by the API)."""
        return str(self._wechatpy.encrypt_message(xml, nonce, timestamp))
