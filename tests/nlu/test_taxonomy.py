"""nlu/TAXONOMY.md is the repository's copy of the shared label contract; keep them in step."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from nlu.entities import ENTITY_TYPES
from nlu.training_data import load_examples

ROOT = Path(__file__).resolve().parents[2]
COPY = ROOT / "nlu" / "TAXONOMY.md"


def _shared() -> Path | None:
    """The shared contract beside the checkout (…/shared/nlu-taxonomy.md), if there is one."""
    override = os.environ.get("WUYE_SHARED_TAXONOMY")
    if override:
        return Path(override)
    for parent in ROOT.parents:
        candidate = parent / "shared" / "nlu-taxonomy.md"
        if candidate.is_file():
            return candidate
    return None


def test_copy_matches_the_shared_contract() -> None:
    shared = _shared()
    if shared is None:
        pytest.skip("no shared/nlu-taxonomy.md beside this checkout")
    assert COPY.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8"), (
        f"nlu/TAXONOMY.md differs from {shared}: copy the shared file over it")


def _table_names(heading: str) -> set[str]:
    text = COPY.read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| ([a-z_]+) \|", section, flags=re.M)) - {"intent", "entity"}


def test_training_data_speaks_the_contract() -> None:
    intents = {e.intent for e in load_examples()}
    assert intents == _table_names("Intents (owner side)")
    assert set(ENTITY_TYPES) == _table_names("Entities")
