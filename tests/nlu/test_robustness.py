"""Odd input never crashes the parser and stays fast."""

from __future__ import annotations

import time

import pytest

from nlu.embedded import EmbeddedParser

NO_CONTENT = ["", "   ", "\n\t", "😀😀😀", "🙏", "？？？", "...", "\x00\x01\x02",
              bytes(range(256)).decode("latin-1"), "\ufffd" * 40]


@pytest.mark.parametrize("text", NO_CONTENT, ids=[repr(t[:12]) for t in NO_CONTENT])
def test_nothing_to_read_is_out_of_scope(nlu_parser: EmbeddedParser, text: str) -> None:
    result = nlu_parser.parse(text)
    assert result["text"] == text
    assert result["intent"] == {"name": "out_of_scope", "confidence": 1.0}
    assert len(result["intent_ranking"]) == 10
    assert result["entities"] == []


ODD = ["'; DROP TABLE bills; --", "SELECT * FROM users WHERE 1=1", "<script>alert(1)</script>",
       "{{7*7}}", "%s%s%s%n", "a" * 5000, "物业费" * 3000, "\ud800 半个代理对", "İstanbul"]


@pytest.mark.parametrize("text", ODD, ids=[repr(t[:16]) for t in ODD])
def test_odd_text_parses(nlu_parser: EmbeddedParser, text: str) -> None:
    result = nlu_parser.parse(text)
    assert set(result) == {"text", "intent", "intent_ranking", "entities"}
    assert 0.0 <= result["intent"]["confidence"] <= 1.0
    for e in result["entities"]:
        assert 0 <= e["start"] < e["end"] <= len(text)


def test_huge_text_is_truncated_and_fast(nlu_parser: EmbeddedParser) -> None:
    text = "我家卫生间漏水了" + "啊" * 100_000
    started = time.perf_counter()
    result = nlu_parser.parse(text)
    assert time.perf_counter() - started < 0.5
    assert result["text"] == text
    assert result["intent"]["name"] == "report_repair"


def test_non_str_input_is_coerced(nlu_parser: EmbeddedParser) -> None:
    result = nlu_parser.parse("电梯坏了".encode())  # type: ignore[arg-type]
    assert result["text"] == "电梯坏了"
