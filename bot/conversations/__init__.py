"""Conversations as data (tests/conversations/*.yml), replayed through the real NLU and dispatch.

`python -m bot test-conversations [PATH…]` and the pytest suite both use `run_suite`; each
conversation gets a fresh copy of the demo community (`seed --demo` as of its `now`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from bot.conversations.runner import Result, run_conversation
from bot.conversations.spec import Conversation, SpecError, load_paths
from bot.conversations.world import PostgresWorlds, SqliteWorlds, worlds_for
from handlers.deps import HandlerSettings, Parser

DEFAULT_PATH = Path("tests/conversations")

__all__ = [
    "DEFAULT_PATH", "Conversation", "PostgresWorlds", "Result", "SpecError", "SqliteWorlds",
    "load_paths", "run_one", "run_suite", "worlds_for",
]


def run_one(conversation: Conversation, worlds: SqliteWorlds | PostgresWorlds, parser: Parser,
            settings: HandlerSettings) -> Result:
    """One conversation on a fresh world."""
    with worlds.world(conversation.now) as engine:
        return run_conversation(conversation, engine, parser, settings)


def run_suite(conversations: Iterable[Conversation], worlds: SqliteWorlds | PostgresWorlds,
              parser: Parser, settings: HandlerSettings) -> Iterator[Result]:
    """Each conversation in turn, each on its own fresh world."""
    for conversation in conversations:
        yield run_one(conversation, worlds, parser, settings)
