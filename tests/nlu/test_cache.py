"""The model cache: keyed by the data's content hash, retrained when the data changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import build_parser, model
from nlu.embedded import EmbeddedParser, model_path

TINY = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - 你好
    - 在吗
    - hello
- intent: check_bill
  examples: |
    - 物业费还欠多少
    - 这个月水费多少
    - 查账单
- intent: out_of_scope
  examples: |
    - 讲个笑话
    - 明天天气
    - 买什么股票
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    (d / "nlu.yml").write_text(TINY, encoding="utf-8")
    return d


def test_trains_once_then_loads(data_dir: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first = build_parser(cache_dir=cache, data_dir=data_dir)
    assert first.parse("物业费欠多少")["intent"]["name"] == "check_bill"
    files = list(cache.glob("*.npz"))
    assert files == [model_path(cache, data_dir)]

    def no_training(*_: object, **__: object) -> None:
        raise AssertionError("retrained although the data did not change")

    monkeypatch.setattr(model, "train", no_training)
    again = build_parser(cache_dir=cache, data_dir=data_dir)
    assert again.parse("物业费欠多少") == first.parse("物业费欠多少")


def test_retrains_when_data_changes(data_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build_parser(cache_dir=cache, data_dir=data_dir)
    old = model_path(cache, data_dir)
    (data_dir / "nlu.yml").write_text(
        TINY + "- intent: thanks\n  examples: |\n    - 谢谢\n    - 多谢\n", encoding="utf-8")
    new = model_path(cache, data_dir)
    assert new != old
    parser = build_parser(cache_dir=cache, data_dir=data_dir)
    assert "thanks" in parser.model.labels  # type: ignore[attr-defined]
    assert list(cache.glob("*.npz")) == [new]  # the stale model is gone


def test_corrupt_cache_is_retrained(data_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    model_path(cache, data_dir).write_bytes(b"not a model")
    parser = EmbeddedParser.from_data(data_dir, cache)
    assert parser.parse("你好")["intent"]["name"] == "greet"


def test_unknown_backend() -> None:
    with pytest.raises(ValueError, match="backend"):
        build_parser("spacy")


def test_fresh_and_cached_models_parse_identically(data_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = EmbeddedParser.from_data(data_dir, cache, force_train=True)
    cached = EmbeddedParser.from_data(data_dir, cache)
    for text in ("物业费欠多少", "你好", "讲个笑话吧"):
        assert fresh.parse(text) == cached.parse(text)
