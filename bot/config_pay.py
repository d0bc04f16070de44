"""Config section `wechat_pay`: WeChat Pay API v3, direct or service-provider mode.

Off while `mch_id` is empty (the demo provider is used then). Secrets come from files
(`private_key_file`) or the environment (`WUYE_WECHAT_PAY__API_V3_KEY`); `api_v3_key` is a
SecretStr so it never shows in a log line or a repr.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator

from bot.config_section import Section


class WechatPaySettings(Section):
    """One merchant (direct mode) or the service provider's credentials (sub_mch_mode)."""

    mch_id: str = ""  # 商户号; in sub_mch_mode the service provider's own (sp_mchid)
    app_id: str = ""  # the Official Account's AppID bound to the merchant (sp_appid in sub_mch_mode)
    api_v3_key: SecretStr = SecretStr("")  # 32-byte APIv3 key; better from the environment
    private_key_file: Path | None = None  # apiclient_key.pem: signs every request
    cert_serial_no: str = ""  # serial of the merchant API certificate of that key
    platform_public_key_file: Path | None = None  # 微信支付公钥 (pub_key.pem)
    platform_public_key_id: str = ""  # its id, PUB_KEY_ID_…
    platform_cert_dir: Path | None = None  # optional: platform certificates (*.pem), the older kind
    notify_url: str = ""  # empty: server.public_base_url + /pay/notify/wechat
    api_base: str = "https://api.mch.weixin.qq.com"
    sub_mch_mode: bool = False  # 服务商模式: each company's sub_mchid (`company set`)
    company: str = ""  # direct mode: the company this merchant belongs to (empty: the only one)
    order_minutes: int = Field(120, ge=5, le=7 * 24 * 60)  # time_expire of an order
    timestamp_tolerance: int = Field(300, ge=1)  # notifications further from now are refused
    http_timeout: float = Field(10.0, gt=0)
    max_body_bytes: int = Field(64 * 1024, ge=1024)

    @field_validator("api_base")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _complete_when_on(self) -> WechatPaySettings:
        if not self.mch_id:
            return self
        missing = [name for name in ("app_id", "cert_serial_no") if not getattr(self, name)]
        if not self.private_key_file:
            missing.append("private_key_file")
        if len(self.api_v3_key.get_secret_value().encode()) != 32:
            missing.append("api_v3_key (32 characters)")
        has_key = bool(self.platform_public_key_file and self.platform_public_key_id)
        if not has_key and not self.platform_cert_dir:
            missing.append("platform_public_key_file + platform_public_key_id or platform_cert_dir")
        if missing:
            raise ValueError("mch_id is set, so these are needed too: " + ", ".join(missing))
        return self

    @property
    def enabled(self) -> bool:
        """Real payments are on once a merchant number is configured."""
        return bool(self.mch_id)
