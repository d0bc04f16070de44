"""`python -m nlu` as a subprocess: parse, stdin streaming, evaluate, export-rasa, train."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nlu.embedded import EmbeddedParser
from tests.nlu.conftest import ROOT, TEST_CACHE

NOW = "2026-11-27T10:00:00+08:00"


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI against the suite's model cache."""
    return subprocess.run(
        [sys.executable, "-m", "nlu", *args], input=stdin, capture_output=True, text=True,
        encoding="utf-8", cwd=ROOT, timeout=120, check=True,
    )


@pytest.fixture(scope="module", autouse=True)
def _trained(nlu_parser: EmbeddedParser) -> None:
    """Subprocesses find the model already in the cache."""


def test_parse_one() -> None:
    out = run_cli("parse", "上个月水费多少", "--now", NOW, "--cache-dir", str(TEST_CACHE))
    result = json.loads(out.stdout)
    assert result["text"] == "上个月水费多少"
    assert result["intent"]["name"] == "check_bill"
    assert {(e["entity"], e["value"]) for e in result["entities"]} == {
        ("period", "2026-10"), ("bill_item", "water")}
    assert "上个月" in out.stdout  # ensure_ascii=False


def test_parse_stdin_keeps_order_and_empty_lines() -> None:
    lines = ["你好", "", "电梯坏了", "缴费记录", "   "]
    out = run_cli("parse", "--now", NOW, "--cache-dir", str(TEST_CACHE),
                  stdin="\n".join(lines) + "\n")
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["text"] for r in results] == lines
    assert [r["intent"]["name"] for r in results] == [
        "greet", "out_of_scope", "report_repair", "payment_history", "out_of_scope"]


def test_evaluate(tmp_path: Path) -> None:
    cases = [
        {"text": "上个月水费多少", "intent": "check_bill",
         "entities": [{"entity": "period", "value": "2026-10"},
                      {"entity": "bill_item", "value": "water"}]},
        {"text": "上个月水费多少", "intent": "check_bill", "now": "2026-01-10T08:00:00+08:00",
         "entities": [{"entity": "period", "value": "2025-12"},
                      {"entity": "bill_item", "value": "water"}]},
        {"text": "电梯坏了", "intent": "report_repair", "entities": []},
        {"text": "讲个笑话", "intent": "check_bill", "entities": []},
    ]
    path = tmp_path / "eval.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases), "utf-8")
    out = run_cli("evaluate", str(path), "--now", NOW, "--json",
                  "--cache-dir", str(TEST_CACHE))
    report = json.loads(out.stdout)
    assert report["n"] == 4
    assert report["intent_accuracy"] == 0.75
    assert report["entity_f1"] == 1.0
    assert report["confusions"][0]["gold"] == "check_bill"
    assert report["median_ms"] > 0
    text = run_cli("evaluate", str(path), "--now", NOW, "--cache-dir", str(TEST_CACHE)).stdout
    assert "intent accuracy" in text and "75.00%" in text


def test_export_rasa(tmp_path: Path) -> None:
    run_cli("export-rasa", str(tmp_path / "rasa"))
    config = yaml.safe_load((tmp_path / "rasa" / "config.yml").read_text("utf-8"))
    names = [step["name"] for step in config["pipeline"]]
    assert names[0] == "JiebaTokenizer" and "DIETClassifier" in names
    domain = yaml.safe_load((tmp_path / "rasa" / "domain.yml").read_text("utf-8"))
    assert "check_bill" in domain["intents"] and "unit" in domain["entities"]
    nlu = yaml.safe_load((tmp_path / "rasa" / "data" / "nlu.yml").read_text("utf-8"))
    assert nlu["version"] == "3.1"
    intents = {item["intent"] for item in nlu["nlu"] if "intent" in item}
    assert intents == set(domain["intents"])
    synonyms = {item["synonym"] for item in nlu["nlu"] if "synonym" in item}
    assert "property_fee" in synonyms


def test_train(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "d.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - 你好\n'
        "- intent: goodbye\n  examples: |\n    - 再见\n", "utf-8")
    out = run_cli("train", "--data-dir", str(data), "--cache-dir", str(tmp_path / "c"))
    assert "trained on 2 examples" in out.stdout
    assert list((tmp_path / "c").glob("*.npz"))
