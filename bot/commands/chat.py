"""`chat`: talk to the assistant in the terminal, like `rasa shell` (or JSON lines for scripts)."""

from __future__ import annotations

import argparse
import sys

from bot.app import App
from bot.channels import terminal


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `chat`."""
    chat = subparsers.add_parser(
        "chat", help="chat in the terminal (upgrades the database first)",
        description="Type messages; buttons appear as numbered lines, type the number to press one. "
        "A line like /check_bill is sent as a button payload.",
    )
    chat.add_argument("--user", default="demo", help="terminal user id (default: demo, bound to a home by `seed --demo`)")
    chat.add_argument(
        "--jsonl", action="store_true",
        help='read one message per stdin line, write one {"replies": [...]} JSON line each',
    )
    chat.set_defaults(func=_chat)


def _chat(args: argparse.Namespace, app: App) -> int:
    from bot.commands.serve import EXIT_STARTUP, database_problem

    problem = database_problem(app.settings)  # migrates; one line instead of a traceback
    if problem is not None:
        print(f"wuye: {problem}", file=sys.stderr)
        return EXIT_STARTUP
    # Whatever the locale of the machine: UTF-8 in and out, and bad bytes never crash a run.
    sys.stdin.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    if args.jsonl:
        return terminal.run_jsonl(app.deps, args.user, sys.stdin, sys.stdout)
    return terminal.run_interactive(app.deps, args.user, sys.stdin, sys.stdout)
