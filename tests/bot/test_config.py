"""Configuration: defaults < YAML file < WUYE_* environment; errors are one clear line."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

import bot
from bot.cli import main
from bot.config import ConfigError, Settings, is_loopback, load_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No WUYE_* setting from the outer environment, and no ./config.yaml around."""
    import os

    for key in list(os.environ):
        if key.startswith("WUYE_") and not key.startswith("WUYE_TEST_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_default_file_means_defaults() -> None:
    settings = load_settings()
    assert settings.database.url == "sqlite:///var/wuye.sqlite3"
    assert settings.redis.url == ""
    assert (settings.server.host, settings.server.port) == ("127.0.0.1", 8080)
    assert settings.nlu.backend == "embedded"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.web.demo_mode is False and settings.demo_mode is False  # an explicit choice


def test_default_file_in_working_directory_is_read(tmp_path: Path) -> None:
    write(tmp_path / "config.yaml", "server:\n  port: 9001\n")
    assert load_settings().server.port == 9001


def test_named_file_is_read_and_unset_keys_keep_defaults(tmp_path: Path) -> None:
    path = write(tmp_path / "other.yaml", "database:\n  url: sqlite:///x.db\nserver:\n  port: 9000\n")
    settings = load_settings(path)
    assert settings.database.url == "sqlite:///x.db"
    assert settings.server.port == 9000
    assert settings.server.host == "127.0.0.1"


def test_environment_beats_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "c.yaml", "database:\n  url: sqlite:///file.db\nredis:\n  url: redis://file\n")
    monkeypatch.setenv("WUYE_DATABASE__URL", "postgresql://env@db/wuye")
    monkeypatch.setenv("WUYE_WEB__DEMO_MODE", "false")
    settings = load_settings(path)
    assert settings.database.url == "postgresql://env@db/wuye"
    assert settings.redis.url == "redis://file"
    assert settings.web.demo_mode is False


def test_env_overrides_one_key_of_a_section_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "c.yaml", "server:\n  host: 127.0.0.2\n  port: 9000\n")
    monkeypatch.setenv("WUYE_SERVER__PORT", "9100")
    settings = load_settings(path)
    assert (settings.server.host, settings.server.port) == ("127.0.0.2", 9100)


def test_empty_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path / "c.yaml", "# nothing\n")) == load_settings()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("server:\n  port: abc\n", "server.port"),
        ("server:\n  port: 70000\n", "server.port"),
        ("nlu:\n  backend: gpt\n", "nlu.backend"),
        ("timezone: Mars/Olympus\n", "unknown time zone"),
        ("serverr:\n  port: 1\n", "serverr: unknown key"),
        ("server:\n  prot: 1\n", "server.prot: unknown key"),
        ("server: [1, 2\n", "not valid YAML"),
        ("- a\n- b\n", "must be a mapping"),
    ],
    ids=["not-a-number", "out-of-range", "unknown-backend", "bad-zone", "typo-section",
         "typo-key", "broken-yaml", "list-at-top"],
)
def test_bad_file_is_one_clear_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path / "bad.yaml", text))
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message


def test_bad_environment_value_names_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUYE_SERVER__PORT", "eighty")
    with pytest.raises(ConfigError, match=r"server\.port.*'eighty'"):
        load_settings()


def test_named_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "typo.yaml")


def test_cli_reports_config_error_in_one_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "bad.yaml", "server:\n  port: abc\n")
    assert main(["--config", str(path), "db", "upgrade"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("wuye: invalid configuration") and "server.port" in err
    assert len(err.splitlines()) == 1


def test_config_option_is_accepted_after_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "bad.yaml", "server:\n  port: abc\n")
    assert main(["db", "upgrade", "--config", str(path)]) == 2
    assert "server.port" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True),
     ("[::1]", True), ("0.0.0.0", False), ("::", False), ("192.168.1.10", False),
     ("example.com", False)],
)
def test_demo_mode_only_on_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    settings = Settings(server={"host": host}, web={"demo_mode": True})
    assert settings.demo_mode is loopback


def _undocumented(model: type[BaseModel], data: dict[str, Any], prefix: str = "") -> list[str]:
    """Keys of `model` that the YAML mapping `data` does not spell out."""
    missing: list[str] = []
    for name, field in model.model_fields.items():
        kind = field.annotation
        if name not in data:
            missing.append(prefix + name)
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            missing += _undocumented(kind, data[name] or {}, f"{prefix}{name}.")
    return missing


def test_root_config_yaml_documents_every_key_and_loads() -> None:
    path = ROOT / "config.yaml"
    load_settings(path)  # unknown keys would fail here
    assert _undocumented(Settings, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_version_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert bot.__version__ == project["version"]
