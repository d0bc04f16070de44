"""`wechat-pay certificates`: download WeChat Pay's platform certificates into
`wechat_pay.platform_cert_dir` (merchants that still verify with certificates, or both kinds
during the switch-over to the platform public key).

`GET /v3/certificates` is signed by one of the certificates it returns, so the answer's
signature cannot be checked before the first download; each certificate is instead trusted
because it decrypts (AEAD_AES_256_GCM, authenticated) with our own APIv3 key, which only
WeChat shares with us.
"""

from __future__ import annotations

import argparse
import os
import sys

from bot.app import App
from bot.payments.wechatpay import crypto
from bot.payments.wechatpay.provider import WechatPayProvider
from handlers.payment_gateway import GatewayError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `wechat-pay certificates`."""
    cmd = subparsers.add_parser("wechat-pay", help="WeChat Pay maintenance (platform certificates)")
    actions = cmd.add_subparsers(dest="wechat_pay_action", required=True, metavar="ACTION")
    certs = actions.add_parser("certificates", help="download the platform certificates into platform_cert_dir")
    certs.set_defaults(func=_certificates)


def _certificates(args: argparse.Namespace, app: App) -> int:
    provider = app.deps.payments
    folder = app.settings.wechat_pay.platform_cert_dir
    if not isinstance(provider, WechatPayProvider) or folder is None:
        print("wuye: set wechat_pay.mch_id and wechat_pay.platform_cert_dir first", file=sys.stderr)
        return 2
    try:
        answer = provider.client.call("GET", "/v3/certificates", unverified=True)
    except GatewayError as err:
        print(f"wuye: WeChat Pay refused: {err}", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    saved = 0
    for item in answer.get("data") or []:
        try:
            pem = crypto.decrypt_text(provider.api_v3_key, item["encrypt_certificate"])
            serial = crypto.PlatformKeys().add_certificate(pem.encode())
        except (crypto.DecryptError, KeyError, TypeError, ValueError) as err:
            print(f"wuye: a certificate was skipped: {err}", file=sys.stderr)
            continue
        path = folder / f"{serial}.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        with os.fdopen(fd, "w") as handle:
            handle.write(pem)
        print(f"{path} (expires {item.get('expire_time', '?')})")
        saved += 1
    return 0 if saved else 1
