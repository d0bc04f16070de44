"""Run-on messages: clause splitting and one parse per request (what dispatch needs)."""

from __future__ import annotations

from datetime import datetime

import pytest

from nlu.clauses import split_clauses, split_requests
from nlu.embedded import EmbeddedParser

CLAUSES = [
    ("卫生间漏水了 另外这个月物业费多少", ["卫生间漏水了", "另外这个月物业费多少"]),
    ("卫生间漏水了另外这个月物业费多少", ["卫生间漏水了", "另外这个月物业费多少"]),
    ("厨房水管漏了。上个月电费多少？", ["厨房水管漏了", "上个月电费多少"]),
    ("电梯坏了，顺便问下停水通知", ["电梯坏了", "顺便问下停水通知"]),
    ("维修基金还有多少", ["维修基金还有多少"]),
    ("3号楼 2单元 501 厨房漏水", ["3号楼 2单元 501", "厨房漏水"]),
    ("the lift is broken. also how much is my water bill",
     ["the lift is broken", "also how much is my water bill"]),
    ("", []),
    ("！！！", []),
]


@pytest.mark.parametrize(("text", "expected"), CLAUSES, ids=[c[0] or "empty" for c in CLAUSES])
def test_split_clauses(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected


REQUESTS = [
    ("卫生间漏水了 另外这个月物业费多少", ["report_repair", "check_bill"]),
    ("厨房水管漏了。上个月电费多少？", ["report_repair", "check_bill"]),
    ("电梯坏了，顺便问下停水通知", ["report_repair", "query_notice"]),
    # One request, however many clauses: greetings and thanks ride along, same intents join.
    ("你好，我想交物业费", ["pay_bill"]),
    ("楼上太吵了 晚上十二点还在装修 能不能管管", ["complaint"]),
    ("谢谢 再见", ["thanks"]),
    ("维修基金还有多少", ["query_maintenance_fund"]),
]


@pytest.mark.parametrize(("text", "intents"), REQUESTS, ids=[r[0] for r in REQUESTS])
def test_split_requests(nlu_parser: EmbeddedParser, now: datetime, text: str,
                        intents: list[str]) -> None:
    parts = split_requests(nlu_parser, text, now)
    assert [p["intent"]["name"] for p in parts] == intents
    for part in parts:  # entity offsets index the whole text
        for e in part["entities"]:
            assert part["start"] <= e["start"] < e["end"] <= part["end"]
            assert text[e["start"]:e["end"]]


def test_split_requests_keeps_entities_in_place(nlu_parser: EmbeddedParser, now: datetime) -> None:
    text = "卫生间漏水了 另外上个月物业费多少"
    repair, bill = split_requests(nlu_parser, text, now)
    assert repair["entities"] == []
    found = {(e["entity"], e["value"], text[e["start"]:e["end"]]) for e in bill["entities"]}
    assert found == {("period", "2026-10", "上个月"), ("bill_item", "property_fee", "物业费")}
    assert text[bill["start"]:bill["end"]] == "另外上个月物业费多少"
