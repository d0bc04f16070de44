"""The terminal channel: rendering, `/payload` lines, JSON lines in order, the prompt loop."""

from __future__ import annotations

import io
import json

from bot.channels import terminal
from handlers.deps import Deps
from handlers.messages import Button, Reply
from handlers.texts import t


def test_buttons_render_as_numbered_lines() -> None:
    replies = [
        Reply("请选择：\n第二行", (Button("查账单", "/check_bill"), Button("报修", "/report_repair"))),
        Reply("好的"),
    ]
    assert terminal.render(replies).splitlines() == [
        "管家 > 请选择：",
        "       第二行",
        "   1. 查账单",
        "   2. 报修",
        "管家 > 好的",
    ]


def test_a_typed_payload_is_a_button_press_and_plain_text_is_text() -> None:
    pressed = terminal.incoming_for("u1", '/check_bill{"period": "2026-11"}\n')
    assert pressed.button == '/check_bill{"period": "2026-11"}' and pressed.text == ""
    said = terminal.incoming_for("u1", "/ 不是命令\n")
    assert said.button is None and said.text == "/ 不是命令"
    assert said.channel == "terminal" and said.external_id == "u1"


def test_jsonl_answers_every_line_in_order(deps: Deps) -> None:
    limit = deps.settings.max_text_chars
    stdin = io.StringIO("你好\n\n" + "长" * (limit + 1) + "\n谢谢\n")
    stdout = io.StringIO()
    assert terminal.run_jsonl(deps, "u1", stdin, stdout) == 0
    lines = stdout.getvalue().splitlines()
    assert len(lines) == 4
    records = [json.loads(line) for line in lines]
    for record in records:
        assert record["replies"] and all({"text", "buttons"} <= set(r) for r in record["replies"])
    assert records[1]["replies"][0]["text"] == t("empty", "zh")
    assert records[2]["replies"][0]["text"] == t("too_long", "zh", limit=limit)


def test_interactive_loop_prompts_answers_and_quits(deps: Deps) -> None:
    stdin = io.StringIO("\n/quit\n这行不会被发送\n")
    stdout = io.StringIO()
    assert terminal.run_interactive(deps, "u1", stdin, stdout) == 0
    out = stdout.getvalue()
    assert out.count(terminal.PROMPT) == 2
    assert "管家 > " + t("empty", "zh") in out


def test_interactive_loop_ends_at_end_of_input(deps: Deps) -> None:
    stdout = io.StringIO()
    assert terminal.run_interactive(deps, "u1", io.StringIO(""), stdout) == 0
