"""`test-conversations [PATH…]`: replay conversation files and print a pass/fail table.

A property office adds its own `*.yml` files (format: tests/conversations/README.md) and runs
them against a fresh copy of the demo community; exit status 1 when any conversation fails.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bot.app import App, handler_settings
from bot.conversations import DEFAULT_PATH, Result, SpecError, load_paths, run_suite, worlds_for

EXIT_FAILED = 1
EXIT_USAGE = 2
STYLES = {"passed": "green", "failed": "bold red", "xfail": "yellow", "xpass": "magenta"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `test-conversations`."""
    cmd = subparsers.add_parser(
        "test-conversations", help="replay conversation files (tests/conversations/*.yml)",
        description="Each conversation runs through the real NLU and dispatch on a fresh copy "
        "of the demo community. Exit status 1 when any conversation fails.",
    )
    cmd.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                     help=f"conversation files or folders (default: {DEFAULT_PATH})")
    cmd.add_argument("-k", dest="keyword", default="",
                     help="only conversations whose name contains this text")
    cmd.add_argument("--database-url", default="",
                     help="PostgreSQL server to run on (schemas are made and dropped); default: SQLite")
    cmd.add_argument("-v", "--verbose", action="store_true",
                     help="print the transcript of every failed conversation")
    cmd.set_defaults(func=_run)


def _run(args: argparse.Namespace, app: App) -> int:
    console = Console()
    try:
        conversations = load_paths(args.paths or [DEFAULT_PATH])
    except SpecError as err:
        print(f"wuye: {err}", file=sys.stderr)
        return EXIT_USAGE
    conversations = [c for c in conversations if args.keyword in c.name]
    if not conversations:
        print("wuye: no conversations to run", file=sys.stderr)
        return EXIT_USAGE
    media = Path(tempfile.mkdtemp(prefix="wuye-conversation-media-"))
    settings = dataclasses.replace(handler_settings(app.settings), media_dir=media)
    worlds = worlds_for(args.database_url)
    results: list[Result] = []
    try:
        with console.status("running conversations…"):
            for result in run_suite(conversations, worlds, app.deps.parser, settings):
                results.append(result)
    finally:
        worlds.close()
    console.print(_table(results))
    if args.verbose:
        _transcripts(console, [r for r in results if r.status in ("failed", "xfail")])
    counts = {s: sum(r.status == s for r in results) for s in STYLES}
    console.print(f"{counts['passed']} passed, {counts['failed']} failed"
                  f" ({counts['xfail']} known failures, {counts['xpass']} now passing)")
    return EXIT_FAILED if counts["failed"] else 0


def _table(results: list[Result]) -> Table:
    table = Table(title="对话测试 conversations", show_lines=False)
    table.add_column("conversation")
    table.add_column("file")
    table.add_column("result")
    table.add_column("why", overflow="fold")
    for result in results:
        status = result.status
        why = result.reason.splitlines()[0] if result.reason else ""
        if status in ("xfail", "xpass"):
            why = f"known: {result.conversation.xfail}" + (f" — {why}" if why else "")
        elif result.failed_step:
            why = f"step {result.failed_step}: {why}"
        table.add_row(result.conversation.name, result.conversation.source.split("#")[0],
                      f"[{STYLES[status]}]{status}[/]", why)
    return table


def _transcripts(console: Console, results: list[Result]) -> None:
    for result in results:
        console.rule(result.conversation.name)
        for sent, shown in result.transcript:
            console.print(f"[cyan]> {sent}[/]", highlight=False)
            console.print(shown, highlight=False, markup=False)
        console.print(result.reason, style="red", highlight=False, markup=False)
