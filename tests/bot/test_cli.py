"""`python -m bot`: commands found, `chat --jsonl` over a real pipe, `serve` stops on SIGTERM."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.commands import COMMAND_MODULES
from bot.logs import configure_logging
from handlers.texts import t

ROOT = Path(__file__).resolve().parents[2]
NLU_CACHE = ROOT / ".cache" / "nlu-test"  # shared with tests/conftest.py's parser


def bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment for a `python -m bot` child: its own database, the shared NLU cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WUYE_") or k.startswith("WUYE_TEST_")}
    env.update(
        PYTHONPATH=str(ROOT),
        WUYE_DATABASE__URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        WUYE_NLU__CACHE_DIR=str(NLU_CACHE),
        WUYE_WEB__SECRET_FILE=str(tmp_path / "web_secret"),
        WUYE_MEDIA__DIR=str(tmp_path / "media"),
        **extra,
    )
    return env


def test_every_listed_command_module_is_registered() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert {"db", "serve", "chat", "web-token"} <= set(sub.choices)  # type: ignore[attr-defined]
    assert len(COMMAND_MODULES) == len(set(COMMAND_MODULES))


def test_chat_jsonl_answers_each_line_in_order(tmp_path: Path) -> None:
    limit = 2000
    lines = ["你好".encode(), b"", ("长" * (limit + 1)).encode(), b"\xff\xfe not utf-8", "谢谢".encode()]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--jsonl", "--user", "script"],
        input=b"\n".join(lines), capture_output=True, cwd=tmp_path, env=bot_env(tmp_path),
        timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode("utf-8").splitlines()
    assert len(out) == len(lines)
    records = [json.loads(line) for line in out]
    for record in records:
        assert set(record) == {"replies"} and record["replies"]
        for reply in record["replies"]:
            assert isinstance(reply["text"], str) and reply["text"]
            assert all(set(b) == {"title", "payload"} for b in reply["buttons"])
    assert records[1]["replies"][0]["text"] == t("empty", "zh")
    assert records[2]["replies"][0]["text"] == t("too_long", "zh", limit=limit)
    assert (tmp_path / "cli.sqlite3").exists()  # chat upgraded the database on start


def test_db_upgrade_is_idempotent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(f"database:\n  url: sqlite:///{tmp_path / 'db' / 'w.sqlite3'}\n", encoding="utf-8")
    monkeypatch.delenv("WUYE_DATABASE__URL", raising=False)
    assert main(["--config", str(config), "db", "upgrade"]) == 0
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    assert (tmp_path / "db" / "w.sqlite3").exists()


def test_web_token_refuses_an_odd_user_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(f"web:\n  secret_file: {tmp_path / 's'}\n", encoding="utf-8")
    assert main(["--config", str(config), "web-token", "a b"]) == 2
    assert "invalid user id" in capsys.readouterr().err


def test_web_token_url_is_a_chat_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        f"server:\n  public_base_url: https://wy.example.cn/\nweb:\n  secret_file: {tmp_path / 's'}\n",
        encoding="utf-8",
    )
    assert main(["--config", str(config), "web-token", "owner-1", "--url", "--days", "7"]) == 0
    assert capsys.readouterr().out.startswith("https://wy.example.cn/?user=owner-1&token=")


def test_logs_mask_phone_numbers(capfd: pytest.CaptureFixture[str]) -> None:
    undo = configure_logging("INFO")
    try:
        logging.getLogger("wuye.test").info("owner %s called from 13812345678", "13900001111")
        try:
            raise ValueError("bad phone 15011112222")
        except ValueError:
            logging.getLogger("wuye.test").exception("failed")
    finally:
        undo()
    err = capfd.readouterr().err
    assert "138****5678" in err and "139****1111" in err and "150****2222" in err
    assert "13812345678" not in err and "15011112222" not in err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_health_checks_and_stops_gracefully_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)], cwd=tmp_path,
        env=bot_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        health = None
        for _ in range(600):  # bounded: up to ~60 s for imports and the migration
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as resp:
                    health = json.loads(resp.read())
                    break
            except OSError:
                assert process.poll() is None, process.communicate()[1]
                time.sleep(0.1)
        assert health is not None and health["db"] is True
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "server stopped" in err
