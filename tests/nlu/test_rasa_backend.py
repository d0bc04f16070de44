"""backend="rasa" against a fake Rasa server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from nlu import NluBackendError, build_parser
from nlu.clock import BEIJING


class FakeRasa(BaseHTTPRequestHandler):
    """Answers POST /model/parse like Rasa 3, with raw (unnormalised) entities."""

    received: list[dict[str, object]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasa.received.append({"path": self.path, **body})
        if self.path != "/model/parse":
            self.send_error(404)
            return
        text = body["text"]
        answer = {
            "text": text,
            "intent": {"name": "check_bill", "confidence": 0.91},
            "intent_ranking": [{"name": "check_bill", "confidence": 0.91},
                               {"name": "fee_question", "confidence": 0.05}],
            "entities": [
                {"entity": "period", "value": "上个月", "start": 0, "end": 3,
                 "extractor": "DIETClassifier"},
                {"entity": "person", "value": "王师傅", "start": 0, "end": 1,
                 "extractor": "DIETClassifier"},
            ],
        }
        data = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def rasa_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    FakeRasa.received.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_rasa_parse_with_our_entities(rasa_url: str) -> None:
    parser = build_parser("rasa", rasa_url=rasa_url + "/", timeout=2.0)
    now = datetime(2026, 1, 15, 9, 0, tzinfo=BEIJING)
    result = parser.parse("上个月水费多少", now)
    assert FakeRasa.received[0]["path"] == "/model/parse"
    assert FakeRasa.received[0]["text"] == "上个月水费多少"
    assert "message_id" in FakeRasa.received[0]
    assert result["intent"] == {"name": "check_bill", "confidence": 0.91}
    assert result["intent_ranking"][1]["name"] == "fee_question"
    values = [(e["entity"], e["value"], e["extractor"]) for e in result["entities"]]
    # Rasa's raw period is replaced by ours; its other entity types are kept.
    assert ("period", "2025-12", "wuye_rules") in values
    assert ("bill_item", "water", "wuye_rules") in values
    assert ("person", "王师傅", "DIETClassifier") in values
    assert ("period", "上个月", "DIETClassifier") not in values


def test_rasa_unreachable_raises() -> None:
    parser = build_parser("rasa", rasa_url="http://127.0.0.1:9", timeout=0.5)
    with pytest.raises(NluBackendError):
        parser.parse("你好")


def test_rasa_needs_url() -> None:
    with pytest.raises(ValueError, match="rasa_url"):
        build_parser("rasa")


def test_rasa_entity_only_message_is_decided_by_our_rule(rasa_url: str) -> None:
    # The fake server says check_bill at 0.91 for everything; a bare phone is still binding.
    parser = build_parser("rasa", rasa_url=rasa_url, timeout=2.0)
    result = parser.parse("13812345678")
    assert result["intent"] == {"name": "bind_account", "confidence": 0.6}
    assert [r["name"] for r in result["intent_ranking"]] == ["bind_account", "check_bill",
                                                            "fee_question"]
    assert abs(sum(r["confidence"] for r in result["intent_ranking"]) - 1.0) < 1e-9
