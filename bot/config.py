"""Settings: defaults < the YAML file (`--config PATH`) < `WUYE_*` environment variables.

One pydantic model per section; a new section is one class here (messaging channels: in
bot/config_channels.py), one field on `Settings` and its keys (each with a comment) in
config.yaml.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from bot.config_channels import TelegramSettings, WechatSettings, WecomSettings
from bot.config_console import ConsoleSettings
from bot.config_pay import WechatPaySettings
from bot.config_section import Section
from bot.config_supervision import SupervisionConfig

DEFAULT_CONFIG_PATH = Path("config.yaml")

# The YAML file of the `load_settings` call under way: a context variable rather than a
# class attribute, so two loads (threads, tests) never see each other's file.
_yaml_path: ContextVar[Path | None] = ContextVar("wuye_yaml_path", default=None)


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line, fit for a terminal."""


class DatabaseSettings(Section):
    url: str = "sqlite:///var/wuye.sqlite3"


class RedisSettings(Section):
    url: str = ""  # empty: dialogue state and dedupe stay in this process (or the database)
    timeout_seconds: float = Field(1.0, gt=0)  # one command; a stalled Redis fails this fast
    connect_timeout_seconds: float = Field(1.0, gt=0)


class ServerSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    public_base_url: str = ""  # empty: http://HOST:PORT, so it follows --port

    @property
    def base_url(self) -> str:
        """The address links point to: public_base_url, or this server's own host and port."""
        if self.public_base_url:
            return self.public_base_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"


class NluSettings(Section):
    backend: Literal["embedded", "rasa"] = "embedded"
    rasa_url: str = "http://127.0.0.1:5005"
    cache_dir: Path = Path("var/nlu-cache")
    min_intent_confidence: float = Field(0.45, ge=0, le=1)


class WebSettings(Section):
    # An explicit choice (`make run` sets it): honoured only when server.host is a loopback
    # address, and then only for requests from loopback that carry no proxy headers.
    demo_mode: bool = False
    secret: str = ""  # HMAC key for web tokens; empty: generated into secret_file
    secret_file: Path = Path("var/web_secret")
    token_days: int = Field(30, ge=1)
    max_body_bytes: int = Field(16 * 1024, ge=256)
    max_photo_bytes: int = Field(10 * 1024 * 1024, ge=1024)


class DialogueSettings(Section):
    ttl_seconds: int = Field(30 * 60, ge=1)
    max_text_chars: int = Field(2000, ge=1)
    max_tickets_per_day: int = Field(10, ge=0)


class MediaSettings(Section):
    dir: Path = Path("var/media")


class SafetySettings(Section):
    # Where emergency reports (and other messages) wait while the database is down.
    spool_dir: Path = Path("var/spool")


class LogSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class NoticesSettings(Section):
    """Broadcast notices (`notice create`)."""

    safety_always_on: bool = True  # outage and lift notices reach owners who turned notices off


class SenderSettings(Section):
    """The outbox sender: drains pushes through the channels at their rate limits."""

    enabled: bool = True  # run inside `serve`; false when `sender run` processes do the work
    concurrency: int = Field(8, ge=1, le=256)  # deliveries under way at once (per process)
    batch_size: int = Field(100, ge=1, le=5000)  # pushes claimed per database round trip
    lease_seconds: float = Field(60, gt=0)  # a claim held this long by a dead process is retried
    poll_seconds: float = Field(1.0, gt=0)  # idle wait before looking for new pushes
    max_attempts: int = Field(8, ge=1)  # transient failures before a push is given up
    backoff_seconds: float = Field(30, gt=0)  # first retry delay; doubles each time
    backoff_max_seconds: float = Field(3600, gt=0)
    delivery_timeout: float = Field(60, gt=0)  # one delivery taking longer counts as failed


class JobSchedule(Section):
    """When one scheduled job runs: a crontab line or an interval, in `timezone`."""

    cron: str = ""  # "minute hour day month weekday"; APScheduler counts weekdays from 0 = Monday
    every_minutes: float = Field(0, ge=0)
    misfire_grace_seconds: int | None = Field(None, ge=1)  # None: 3 h for cron, the interval otherwise
    enabled: bool = True

    @model_validator(mode="after")
    def _one_trigger(self) -> JobSchedule:
        if not self.enabled and not (self.cron or self.every_minutes):
            return self  # `{enabled: false}` alone switches a job off
        if bool(self.cron) == bool(self.every_minutes):
            raise ValueError("give exactly one of cron and every_minutes")
        if self.cron:
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(self.cron)
            except ValueError as err:
                raise ValueError(f"invalid cron {self.cron!r}: {err}") from err
        return self


class SchedulerSettings(Section):
    """The clock inside `serve`: APScheduler with its job store in the database, one leader."""

    enabled: bool = True  # false: this process never schedules (another one does)
    leader_lock: str = "scheduler-leader"  # lock name shared by every process of one deployment
    leader_ttl_seconds: int = Field(30, ge=3)  # a dead leader is replaced after at most this
    leader_check_seconds: float = Field(10, gt=0)  # refresh / take-over attempts
    job_lock_ttl_seconds: int = Field(900, ge=10)  # one run of a job at a time, CLI included
    jobstore_table: str = "apscheduler_jobs"
    bill_reminders: JobSchedule = JobSchedule(cron="0 9 * * *")
    notice_reminders: JobSchedule = JobSchedule(every_minutes=10)
    ticket_escalations: JobSchedule = JobSchedule(every_minutes=5)
    satisfaction_requests: JobSchedule = JobSchedule(every_minutes=15)
    daily_digest: JobSchedule = JobSchedule(cron="30 8 * * *")
    service_tasks: JobSchedule = JobSchedule(every_minutes=5)
    payment_sync: JobSchedule = JobSchedule(every_minutes=10)
    payment_reconciliation: JobSchedule = JobSchedule(cron="30 10 * * *")
    supervision_escalations: JobSchedule = JobSchedule(cron="15 9 * * *")

    @model_validator(mode="after")
    def _ttl_outlives_checks(self) -> SchedulerSettings:
        if self.leader_check_seconds * 2 > self.leader_ttl_seconds:
            raise ValueError("leader_ttl_seconds must be at least twice leader_check_seconds")
        return self

    def schedules(self) -> dict[str, JobSchedule]:
        """Job name → its schedule (every job of handlers.jobs.JOBS has a field here)."""
        return {name: getattr(self, name) for name in type(self).model_fields
                if isinstance(getattr(self, name), JobSchedule)}


class RemindersSettings(Section):
    """What the scheduled jobs push: bill reminders, notice reminders, escalations."""

    bill_days_before: list[int] = [7, 1]  # remind this many days before the due date
    bill_overdue_every_days: int = Field(7, ge=0)  # then every N days once overdue; 0 = never
    quiet_start: str = "22:00"  # no bill reminders or rating requests from here…
    quiet_end: str = "08:00"  # …to here (local time); equal values: no quiet hours
    notice_before_start_hours: float = Field(12, ge=0)
    notice_catch_up_hours: float = Field(24, gt=0)  # a missed notice push still goes this late
    escalate_unassigned_minutes: int = Field(30, ge=1)  # overdue tickets escalate at sla_due_at
    satisfaction_after_hours: float = Field(2, ge=0)
    satisfaction_max_age_hours: float = Field(72, gt=0)

    @field_validator("quiet_start", "quiet_end")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        from datetime import time

        try:
            time.fromisoformat(value)
        except ValueError as err:
            raise ValueError(f"expected HH:MM, got {value!r}") from err
        return value

    @field_validator("bill_days_before")
    @classmethod
    def _not_negative(cls, value: list[int]) -> list[int]:
        if any(d < 0 for d in value):
            raise ValueError("days before the due date cannot be negative")
        return value


class Settings(BaseSettings):
    """The whole configuration; build it with `load_settings`."""

    model_config = SettingsConfigDict(
        env_prefix="WUYE_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    database: DatabaseSettings = DatabaseSettings()
    redis: RedisSettings = RedisSettings()
    server: ServerSettings = ServerSettings()
    nlu: NluSettings = NluSettings()
    timezone: str = "Asia/Shanghai"
    web: WebSettings = WebSettings()
    dialogue: DialogueSettings = DialogueSettings()
    media: MediaSettings = MediaSettings()
    safety: SafetySettings = SafetySettings()
    log: LogSettings = LogSettings()
    wechat: WechatSettings = WechatSettings()
    telegram: TelegramSettings = TelegramSettings()
    wecom: WecomSettings = WecomSettings()
    notices: NoticesSettings = NoticesSettings()
    sender: SenderSettings = SenderSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    reminders: RemindersSettings = RemindersSettings()
    console: ConsoleSettings = ConsoleSettings()
    wechat_pay: WechatPaySettings = WechatPaySettings()
    supervision: SupervisionConfig = SupervisionConfig()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"unknown time zone {value!r}") from err
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Earlier sources win: explicit arguments, then the environment, then the file."""
        path = _yaml_path.get()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if path is not None:
            sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=path))
        return tuple(sources)

    @property
    def demo_mode(self) -> bool:
        """Web chat without tokens: asked for in the config AND served on loopback only."""
        return self.web.demo_mode and is_loopback(self.server.host)


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1; anything else may be reachable from outside."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def load_settings(path: Path | str | None = None, **overrides: Any) -> Settings:
    """Read `path` (default ./config.yaml; that one may be missing), apply env, validate.

    An explicitly named file that does not exist is an error: a typo must not silently
    run the defaults.
    """
    explicit = path is not None
    config_path = Path(path) if explicit else DEFAULT_CONFIG_PATH
    if not config_path.exists():
        if explicit:
            raise ConfigError(f"config file not found: {config_path}")
        config_path_or_none: Path | None = None
    else:
        config_path_or_none = config_path
        _check_yaml(config_path)
    token = _yaml_path.set(config_path_or_none)
    try:
        return Settings(**overrides)
    except ValidationError as err:
        raise ConfigError(_one_line(err, config_path_or_none)) from err
    finally:
        _yaml_path.reset(token)


def _check_yaml(path: Path) -> None:
    """Parse errors and a non-mapping top level become a one-line ConfigError."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read config file {path}: {err}") from err
    except yaml.YAMLError as err:
        detail = " ".join(str(err).split())
        raise ConfigError(f"config file {path} is not valid YAML: {detail}") from err
    if data is not None and not isinstance(data, dict):
        raise ConfigError(f"config file {path} must be a mapping of sections, not {type(data).__name__}")


def _one_line(err: ValidationError, path: Path | None) -> str:
    where = f" ({path} or WUYE_* environment)" if path else " (WUYE_* environment)"
    parts = []
    for item in err.errors():
        key = ".".join(str(p) for p in item["loc"]) or "(root)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        elif item["type"] == "value_error":
            message = str(item.get("ctx", {}).get("error", message))
        elif "input" in item and not isinstance(item["input"], dict):
            message += f", got {item['input']!r}"
        parts.append(f"{key}: {message}")
    return "invalid configuration" + where + ": " + "; ".join(parts)
