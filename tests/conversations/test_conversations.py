"""Every conversation in tests/conversations/*.yml, one test each (id = its name).

The same runner as `python -m bot test-conversations`: the real NLU and dispatch on a fresh
copy of the demo community, SQLite, or PostgreSQL when WUYE_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.conversations import Conversation, PostgresWorlds, SqliteWorlds, load_paths, run_one
from handlers.deps import HandlerSettings

HERE = Path(__file__).parent
CONVERSATIONS = load_paths([HERE])


def _param(conversation: Conversation) -> object:
    marks = [pytest.mark.xfail(reason=conversation.xfail, strict=False)] if conversation.xfail else []
    return pytest.param(conversation, id=conversation.name, marks=marks)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteWorlds | PostgresWorlds]:
    url = os.environ.get("WUYE_TEST_DATABASE_URL", "")
    made = PostgresWorlds(url) if url else SqliteWorlds(tmp_path_factory.mktemp("conversations"))
    yield made
    made.close()


@pytest.mark.parametrize("conversation", [_param(c) for c in CONVERSATIONS])
def test_conversation(conversation: Conversation, worlds: SqliteWorlds | PostgresWorlds,
                      parser: object, tmp_path: Path) -> None:
    result = run_one(conversation, worlds, parser, HandlerSettings(media_dir=tmp_path))  # type: ignore[arg-type]
    transcript = "\n".join(f"> {sent}\n{shown}" for sent, shown in result.transcript)
    assert result.passed, f"{result.reason}\n--- transcript ---\n{transcript}"


def test_at_least_one_conversation_per_file() -> None:
    files = sorted(HERE.glob("*.yml"))
    assert files and all(load_paths([f]) for f in files)
