"""WeChat Pay API v3 cryptography: request signatures, answer/notification verification,
AES-256-GCM resource decryption and the JSAPI paySign.

Message formats (pay.weixin.qq.com/wiki/doc/apiv3/wechatpay/wechatpay4_0.shtml):
- request: `METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n`, SHA256withRSA (PKCS#1 v1.5)
  with the merchant's API private key;
- answer or notification: `TIMESTAMP\\nNONCE\\nBODY\\n` with the platform's key, named by
  `Wechatpay-Serial`: a platform public key id (`PUB_KEY_ID_…`) or a platform certificate
  serial — both are accepted at once, as during WeChat's switch-over;
- JSAPI paySign: `APPID\\nTIMESTAMP\\nNONCE\\nprepay_id=…\\n`.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
# WeChat sends these on purpose to check that a merchant really verifies signatures.
PROBE_PREFIX = "WECHATPAY/SIGNTEST/"


class SignatureError(Exception):
    """A signature that does not verify, a probe, an unknown key or a stale timestamp."""


class DecryptError(Exception):
    """A resource that does not decrypt with the API v3 key (tampered or not for us)."""


def nonce() -> str:
    """32 random characters for `nonce_str`."""
    return secrets.token_hex(16).upper()


def load_private_key(path: Path) -> rsa.RSAPrivateKey:
    """The merchant's API private key (`apiclient_key.pem`)."""
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path} is not an RSA private key")
    return key


def rsa_sign(key: rsa.RSAPrivateKey, message: str) -> str:
    """Base64 SHA256withRSA signature of `message`."""
    raw = key.sign(message.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(raw).decode("ascii")


def authorization(
    key: rsa.RSAPrivateKey, mch_id: str, serial_no: str, method: str, path: str, body: str,
    timestamp: int, nonce_str: str,
) -> str:
    """The `Authorization` header of one API request."""
    message = f"{method}\n{path}\n{timestamp}\n{nonce_str}\n{body}\n"
    signature = rsa_sign(key, message)
    return (f'{SIGNATURE_TYPE} mchid="{mch_id}",nonce_str="{nonce_str}",'
            f'signature="{signature}",timestamp="{timestamp}",serial_no="{serial_no}"')


def pay_sign(key: rsa.RSAPrivateKey, app_id: str, prepay_id: str, timestamp: int,
             nonce_str: str) -> dict[str, str]:
    """The parameters of `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` (JSAPI)."""
    package = f"prepay_id={prepay_id}"
    message = f"{app_id}\n{timestamp}\n{nonce_str}\n{package}\n"
    return {"appId": app_id, "timeStamp": str(timestamp), "nonceStr": nonce_str,
            "package": package, "signType": "RSA", "paySign": rsa_sign(key, message)}


@dataclass
class PlatformKeys:
    """The platform's verification keys by serial: its public key id and/or certificates."""

    keys: dict[str, rsa.RSAPublicKey] = field(default_factory=dict)

    @classmethod
    def load(cls, public_key_file: Path | None, public_key_id: str,
             cert_dir: Path | None) -> PlatformKeys:
        """Both kinds together: a `PUB_KEY_ID_…` key and every certificate in `cert_dir`."""
        found = cls()
        if public_key_file and public_key_id:
            key = serialization.load_pem_public_key(public_key_file.read_bytes())
            if not isinstance(key, rsa.RSAPublicKey):
                raise ValueError(f"{public_key_file} is not an RSA public key")
            found.keys[public_key_id] = key
        if cert_dir and cert_dir.is_dir():
            for path in sorted(cert_dir.glob("*.pem")):
                found.add_certificate(path.read_bytes())
        return found

    def add_certificate(self, pem: bytes) -> str:
        """Add one platform certificate; returns its serial (upper-case hex)."""
        cert = x509.load_pem_x509_certificate(pem)
        public = cert.public_key()
        if not isinstance(public, rsa.RSAPublicKey):
            raise ValueError("platform certificate without an RSA key")
        serial = format(cert.serial_number, "X")
        self.keys[serial] = public
        return serial

    def key_for(self, serial: str) -> rsa.RSAPublicKey | None:
        """The key named by `Wechatpay-Serial` (certificate serials compare case-insensitively)."""
        if serial in self.keys:
            return self.keys[serial]
        return self.keys.get(serial.upper().lstrip("0") or "0")


def verify(keys: PlatformKeys, headers: Any, body: bytes, now_ts: float, tolerance: int) -> None:
    """Check the platform's signature over an answer or notification; SignatureError if not."""
    signature = headers.get("Wechatpay-Signature", "")
    timestamp = headers.get("Wechatpay-Timestamp", "")
    nonce_str = headers.get("Wechatpay-Nonce", "")
    serial = headers.get("Wechatpay-Serial", "")
    kind = headers.get("Wechatpay-Signature-Type", SIGNATURE_TYPE)
    if not (signature and timestamp and nonce_str and serial):
        raise SignatureError("missing signature headers")
    if signature.startswith(PROBE_PREFIX):
        raise SignatureError("signature probe")
    if kind != SIGNATURE_TYPE:
        raise SignatureError(f"unsupported signature type {kind[:40]}")
    if not timestamp.isdigit() or abs(now_ts - int(timestamp)) > tolerance:
        raise SignatureError("stale timestamp")
    key = keys.key_for(serial)
    if key is None:
        raise SignatureError(f"unknown platform serial {serial[:64]}")
    try:
        raw = base64.b64decode(signature, validate=True)
        message = timestamp.encode() + b"\n" + nonce_str.encode() + b"\n" + body + b"\n"
        key.verify(raw, message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError) as err:
        raise SignatureError("bad signature") from err


def decrypt_text(api_v3_key: bytes, resource: dict[str, Any]) -> str:
    """The plaintext of an AEAD_AES_256_GCM resource (notifications, certificates)."""
    if resource.get("algorithm") != "AEAD_AES_256_GCM":
        raise DecryptError("unsupported algorithm")
    try:
        return AESGCM(api_v3_key).decrypt(
            str(resource.get("nonce", "")).encode(),
            base64.b64decode(str(resource.get("ciphertext", ""))),
            str(resource.get("associated_data", "")).encode(),
        ).decode("utf-8")
    except (InvalidTag, ValueError) as err:
        raise DecryptError("resource does not decrypt") from err


def decrypt_resource(api_v3_key: bytes, resource: dict[str, Any]) -> dict[str, Any]:
    """The plaintext JSON of a notification's `resource` (AEAD_AES_256_GCM)."""
    try:
        data = json.loads(decrypt_text(api_v3_key, resource))
    except ValueError as err:
        raise DecryptError("resource is not JSON") from err
    if not isinstance(data, dict):
        raise DecryptError("resource is not an object")
    return data


def encrypt_resource(api_v3_key: bytes, data: dict[str, Any] | str, associated: str,
                     original_type: str) -> dict[str, str]:
    """The inverse of decrypt_resource (the fake platform in tests uses it)."""
    nonce_str = secrets.token_hex(6)
    plain = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    cipher = AESGCM(api_v3_key).encrypt(nonce_str.encode(), plain.encode(), associated.encode())
    return {"algorithm": "AEAD_AES_256_GCM", "ciphertext": base64.b64encode(cipher).decode(),
            "associated_data": associated, "nonce": nonce_str, "original_type": original_type}


def same(a: str, b: str) -> bool:
    """Constant-time string comparison."""
    return hmac.compare_digest(a.encode(), b.encode())
