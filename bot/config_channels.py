"""Config sections of the messaging channels: WeChat Official Account, Telegram, WeCom.

A channel without credentials is off; each `enabled` property says what "credentials" means.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from bot.config_section import Section


class ChannelSection(Section):
    """What every platform section shares: an `api_base` without a trailing slash, and the
    43-character EncodingAESKey of Tencent's platforms (where the section has one)."""

    @field_validator("api_base", check_fields=False)
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("encoding_aes_key", check_fields=False)
    @classmethod
    def _aes_key_length(cls, value: str) -> str:
        if value and len(value) != 43:
            raise ValueError("encoding_aes_key must be the 43 characters shown in the admin console")
        return value


class WechatSettings(ChannelSection):
    """The WeChat Official Account channel; off until app_id, app_secret and token are set."""

    app_id: str = ""
    app_secret: str = ""
    token: str = ""  # the callback Token set in the WeChat admin console
    encoding_aes_key: str = ""  # 43 characters; set = safe mode only (plain POSTs refused)
    account_id: str = ""  # the account's 原始ID (gh_…): callbacks to any other ToUserName are refused
    api_base: str = "https://api.weixin.qq.com"
    templates: dict[str, str] = {}  # outbox kind (bill_reminder, notice, ticket_update) → template id
    template_summary_field: str = "thing1"  # template keyword that carries a text summary
    passive_reply_deadline: float = Field(4.5, gt=0, lt=5)  # WeChat gives up after 5 s
    max_body_bytes: int = Field(64 * 1024, ge=1024)
    timestamp_tolerance: int = Field(300, ge=1)  # seconds; older or newer requests are refused
    http_timeout: float = Field(10.0, gt=0)
    media_max_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    rate_limit: float = Field(30, gt=0)  # pushes per second over all accounts
    per_chat_rate: float = Field(1.0, gt=0)  # pushes per second to one account

    @property
    def enabled(self) -> bool:
        """A channel without credentials is simply off."""
        return bool(self.app_id and self.app_secret and self.token)


class TelegramSettings(ChannelSection):
    """The Telegram bot; off until `token` is set (from @BotFather)."""

    token: str = ""
    mode: Literal["webhook", "polling"] = "webhook"  # polling: development, no public URL needed
    webhook_secret: str = ""  # required in webhook mode; Telegram echoes it in a header
    webhook_url: str = ""  # public HTTPS URL to register; empty: server.public_base_url + /webhook/telegram
    api_base: str = "https://api.telegram.org"  # or a local Bot API server (tests: a fake one)
    bot_username: str = ""  # without @; binding letters then carry t.me/NAME?start=CODE links
    rate_limit: float = Field(30, gt=0)  # messages per second overall (Telegram's broadcast limit)
    per_chat_rate: float = Field(1.0, gt=0)  # messages per second to one chat
    poll_timeout: int = Field(30, ge=0, le=50)  # getUpdates long-poll seconds (polling mode)
    max_body_bytes: int = Field(256 * 1024, ge=1024)  # webhook request cap

    @field_validator("webhook_secret")
    @classmethod
    def _secret_charset(cls, value: str) -> str:
        # Bot API: secret_token is 1-256 characters, only A-Z, a-z, 0-9, _ and -.
        if value and (len(value) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in value)):
            raise ValueError("webhook_secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _secret_in_webhook_mode(self) -> TelegramSettings:
        if self.token and self.mode == "webhook" and not self.webhook_secret:
            raise ValueError("webhook_secret is required when mode is webhook")
        return self

    @property
    def enabled(self) -> bool:
        """A channel without credentials is simply off."""
        return bool(self.token)


class WecomSettings(ChannelSection):
    """WeCom (企业微信) for staff; off until corp_id, agent_id, secret, token and AES key are set."""

    corp_id: str = ""  # 我的企业 → 企业信息 → 企业ID
    agent_id: int = Field(0, ge=0)  # the self-built app's AgentId
    secret: str = ""  # the app's Secret (not the corp's contacts secret)
    token: str = ""  # API接收消息 → Token
    encoding_aes_key: str = ""  # API接收消息 → EncodingAESKey (43 characters; WeCom always encrypts)
    api_base: str = "https://qyapi.weixin.qq.com"
    # The sender's limits. WeCom silently DROPS messages past 30 a minute to one person:
    # per_chat_rate must stay at or below 0.5 (the sender keeps every person under it).
    rate_limit: float = Field(30, gt=0)  # pushes per second over all people
    per_chat_rate: float = Field(0.5, gt=0, le=0.5)  # WeCom caps one person at 30 messages a minute
    reply_deadline: float = Field(4.0, gt=0, lt=5)  # WeCom drops the connection after 5 s and retries
    max_body_bytes: int = Field(64 * 1024, ge=1024)
    timestamp_tolerance: int = Field(300, ge=1)  # seconds; older or newer callbacks are refused
    http_timeout: float = Field(10.0, gt=0)
    media_max_bytes: int = Field(10 * 1024 * 1024, ge=1024)

    @property
    def enabled(self) -> bool:
        """A channel without credentials is simply off (WeCom callbacks are always encrypted)."""
        return bool(
            self.corp_id and self.agent_id and self.secret and self.token and self.encoding_aes_key
        )
