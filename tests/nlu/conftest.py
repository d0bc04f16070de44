"""One trained embedded parser for the whole NLU suite (cached on disk between runs)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from nlu.clock import BEIJING
from nlu.embedded import EmbeddedParser

ROOT = Path(__file__).resolve().parents[2]
# Same cache the handler tests use, so one training serves every suite.
TEST_CACHE = ROOT / ".cache" / "nlu-test"
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=BEIJING)


@pytest.fixture(scope="session")
def nlu_parser() -> EmbeddedParser:
    """The embedded parser trained on nlu/data."""
    return EmbeddedParser.from_data(cache_dir=TEST_CACHE)


@pytest.fixture
def now() -> datetime:
    """The suite's reference time: 2026-11-27 10:00 Beijing."""
    return NOW
