"""Text → parse in Rasa's `/model/parse` shape; deterministic given (text, now).

    parser = build_parser()                       # embedded, trained/cached in .cache/nlu/
    parser.parse("上个月水费多少", now)             # {"text", "intent", "intent_ranking", "entities"}

Imports nothing else of the project.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from nlu.rasa_http import NluBackendError

__all__ = ["NluBackendError", "Parser", "build_parser"]


@runtime_checkable
class Parser(Protocol):
    """Anything that turns a text into a Rasa-shaped parse."""

    def parse(self, text: str, now: datetime | None = None) -> dict: ...


def build_parser(
    backend: str = "embedded",
    rasa_url: str = "",
    cache_dir: str | Path | None = None,
    timeout: float = 3.0,
    *,
    data_dir: str | Path | None = None,
) -> Parser:
    """A parser for `backend` ("embedded" or "rasa").

    embedded: trains from `data_dir` (default nlu/data) or loads the model cached in
    `cache_dir` (default .cache/nlu relative to the working directory) for that data's hash.
    rasa: POSTs to `{rasa_url}/model/parse` with `timeout`, our entity rules merged in.
    """
    if backend == "embedded":
        from nlu.embedded import EmbeddedParser

        return EmbeddedParser.from_data(data_dir=data_dir, cache_dir=cache_dir)
    if backend == "rasa":
        from nlu.rasa_http import RasaHttpParser

        return RasaHttpParser(rasa_url, timeout=timeout)
    raise ValueError(f"unknown NLU backend {backend!r}; use 'embedded' or 'rasa'")
