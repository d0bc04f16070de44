"""`serve` at start: a busy port or an unusable database is one clear line, not a traceback;
links follow the port the server really listens on."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings


def config_file(tmp_path: Path, database_url: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(
        f"database:\n  url: {database_url}\nweb:\n  secret_file: {tmp_path / 's'}\n"
        "scheduler:\n  enabled: false\nsender:\n  enabled: false\n",
        encoding="utf-8",
    )
    return path


def test_a_busy_port_is_one_line(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = config_file(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
        assert main(["--config", str(config), "serve", "--port", str(port)]) == 1
    err = capfd.readouterr().err.strip().splitlines()
    assert err == [f"wuye: port {port} on 127.0.0.1 is already in use (is another `serve` "
                   "running?); pick another with --port or WUYE_SERVER__PORT"]


def test_an_unreachable_database_is_one_line_without_the_password(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        dead = closed.getsockname()[1]
    config = config_file(tmp_path, f"postgresql://wuye:s3cret@127.0.0.1:{dead}/wuye")
    assert main(["--config", str(config), "serve", "--port", "0"]) == 1
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"wuye: cannot use the database postgresql://wuye:***@127.0.0.1:{dead}/wuye: ")
    assert "s3cret" not in err[0] and "Traceback" not in err[0]


def test_chat_says_the_same_about_the_database(tmp_path: Path,
                                               capfd: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = closed.getsockname()[1]
    config = config_file(tmp_path, f"postgresql://wuye@127.0.0.1:{dead}/wuye")
    assert main(["--config", str(config), "chat"]) == 1
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("wuye: cannot use the database"), err


def test_links_follow_the_port_unless_the_public_address_is_set() -> None:
    assert Settings().server.base_url == "http://127.0.0.1:8080"
    assert Settings(server={"port": 9123}).server.base_url == "http://127.0.0.1:9123"
    assert Settings(server={"host": "0.0.0.0", "port": 81}).server.base_url == "http://127.0.0.1:81"
    explicit = Settings(server={"port": 9123, "public_base_url": "https://wy.example.cn/"})
    assert explicit.server.base_url == "https://wy.example.cn"


def test_serve_port_reaches_the_payment_links(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.app import build_app
    from bot.commands.serve import _adjust
    from bot.config import load_settings

    monkeypatch.setenv("WUYE_SERVER__PORT", "8700")
    monkeypatch.setenv("WUYE_DATABASE__URL", "sqlite://")
    settings = load_settings(None)
    assert settings.server.base_url == "http://127.0.0.1:8700"

    class Args:
        host, port = None, 8811

    app = build_app(_adjust(Args(), settings))  # type: ignore[arg-type]
    try:
        assert app.deps.settings.public_base_url == "http://127.0.0.1:8811"
    finally:
        app.close()
