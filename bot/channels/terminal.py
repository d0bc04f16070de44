"""The terminal channel: `bot chat` interactively (like `rasa shell`) or as JSON lines."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from typing import TextIO

from handlers import dispatch
from handlers.deps import Deps
from handlers.messages import Incoming, Reply

CHANNEL = "terminal"
PROMPT = "你 > "
BOT_PREFIX = "管家 > "
INDENT = " " * 7  # the display width of BOT_PREFIX: two wide characters and " > "
QUIT_WORDS = frozenset({"/quit", "/exit", "/stop"})
# A typed `/intent` or `/intent{"k": "v"}` is a button press: handy to reach an action directly.
_PAYLOAD = re.compile(r"^/[A-Za-z_][A-Za-z0-9_]*(\{.*\})?$")


def incoming_for(user: str, line: str) -> Incoming:
    """One typed line → an Incoming (a `/payload` line presses that button)."""
    text = line.rstrip("\r\n")
    if _PAYLOAD.match(text.strip()):
        return Incoming(CHANNEL, user, button=text.strip())
    return Incoming(CHANNEL, user, text=text)


def render(replies: Iterable[Reply]) -> str:
    """Replies as terminal text; buttons degrade to numbered lines (type the number)."""
    lines: list[str] = []
    for reply in replies:
        body = reply.text.splitlines() or [""]
        lines.append(BOT_PREFIX + body[0])
        lines.extend(INDENT + rest for rest in body[1:])
        if reply.image:
            lines.append(f"   [图片] {reply.image}")
        lines.extend(f"   {i}. {button.title}" for i, button in enumerate(reply.buttons, 1))
    return "\n".join(lines)


def run_jsonl(deps: Deps, user: str, stdin: TextIO, stdout: TextIO) -> int:
    """One stdin line in, one `{"replies": [...]}` line out, in order; flushed per line."""
    for line in stdin:
        outcome = dispatch.handle(incoming_for(user, line), deps)
        record = {"replies": [reply.as_dict() for reply in outcome.replies]}
        stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def run_interactive(deps: Deps, user: str, stdin: TextIO, stdout: TextIO) -> int:
    """A prompt loop until EOF (Ctrl-D) or /quit."""
    stdout.write("物业管家 — 输入消息与管家对话；按钮显示为编号，输入编号即可选择；/quit 退出。\n")
    while True:
        line = _read_line(stdin, stdout)
        if line is None or line.strip() in QUIT_WORDS:
            stdout.write("\n")
            return 0
        outcome = dispatch.handle(incoming_for(user, line), deps)
        stdout.write(render(outcome.replies) + "\n")
        stdout.flush()


def _read_line(stdin: TextIO, stdout: TextIO) -> str | None:
    """The next line, or None at end of input; a real terminal gets line editing."""
    if stdin is sys.stdin and stdin.isatty() and stdout.isatty():
        import readline  # noqa: F401  (imported for its side effect: arrow keys, history)

        try:
            return input(PROMPT)
        except EOFError:
            return None
    stdout.write(PROMPT)
    stdout.flush()
    return stdin.readline() or None
