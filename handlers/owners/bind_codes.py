"""Invite codes typed any way, in any state: `绑定 CODE`, `bind CODE`, `/start CODE`, or a bare code."""

from __future__ import annotations

import re

from handlers.binding import bind_account, is_bare_code
from handlers.messages import Outcome
from handlers.turn import Turn

_COMMAND = re.compile(
    r"^\s*(?:请?帮?我?绑定|綁定|绑|bind|link|/start|/bind|code|邀请码|邀請碼)\s*[:：]?\s*([A-Za-z0-9]{8})\s*[。.!！]?\s*$",
    re.I,
)


def code_message(text: str, button: str = "") -> bool:
    """Whether the whole message is an invite code, alone or after a bind word."""
    typed = (text or "").strip() or (button if button.startswith("/start") else "")
    if not typed:
        return False
    found = _COMMAND.match(typed)
    return is_bare_code(found.group(1) if found else typed)


def bind(turn: Turn) -> Outcome:
    """Bind with the code, leaving whatever flow was open (a code is never a flow's answer)."""
    turn.state = {}
    turn.parse = {"text": turn.incoming.text, "entities": [],
                  "intent": {"name": "bind_account", "confidence": 1.0}}
    return bind_account(turn)
