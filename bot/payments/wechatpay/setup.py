"""Build the WeChat Pay provider from the `wechat_pay` section (None while it is off)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable

from bot.config import Settings
from bot.payments.wechatpay import crypto
from bot.payments.wechatpay.client import WechatPayClient
from bot.payments.wechatpay.provider import WechatPayProvider

log = logging.getLogger(__name__)
NOTIFY_PATH = "/pay/notify/wechat"


def order_signature(secret: bytes, reference: str) -> str:
    """The order link's signature: whoever holds the link the chat sent may open that order."""
    return hmac.new(secret, b"wuye-pay-order\0" + reference.encode(), hashlib.sha256).hexdigest()[:32]


def build_provider(settings: Settings, clock: Callable[[], float] = time.time) -> WechatPayProvider | None:
    """The provider, with keys loaded from their files; None while `mch_id` is empty."""
    pay = settings.wechat_pay
    if not pay.enabled:
        return None
    from bot.channels import web as web_channel  # the web secret signs the order links

    assert pay.private_key_file is not None  # the section's validator requires it when on
    platform = crypto.PlatformKeys.load(pay.platform_public_key_file, pay.platform_public_key_id,
                                        pay.platform_cert_dir)
    if not platform.keys:
        raise ValueError("wechat_pay: no platform public key or certificate could be loaded")
    client = WechatPayClient(
        api_base=pay.api_base, mch_id=pay.mch_id, serial_no=pay.cert_serial_no,
        private_key=crypto.load_private_key(pay.private_key_file), platform=platform,
        timeout=pay.http_timeout, tolerance=pay.timestamp_tolerance, clock=clock)
    secret = web_channel.load_secret(settings.web)
    base = settings.server.base_url  # public_base_url, or this server's own host:port

    def link(reference: str) -> str:
        return f"{base}/pay/{reference}?s={order_signature(secret, reference)}"

    log.info("wechat pay: on, merchant %s (%s mode), %d platform key(s)", pay.mch_id,
             "service-provider" if pay.sub_mch_mode else "direct", len(platform.keys))
    return WechatPayProvider(
        client=client, app_id=pay.app_id, api_v3_key=pay.api_v3_key.get_secret_value().encode(),
        notify_url=pay.notify_url or base + NOTIFY_PATH, sub_mch_mode=pay.sub_mch_mode,
        company=pay.company, order_minutes=pay.order_minutes, link=link)
