"""The training data covers the taxonomy and agrees with the rule extractor."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from nlu.clock import BEIJING
from nlu.entities import ENTITY_TYPES, extract_entities
from nlu.training_data import load_examples, strip_annotations

TAXONOMY_INTENTS = {
    "greet", "goodbye", "thanks", "help", "affirm", "deny", "human_handoff", "out_of_scope",
    "bind_account", "check_bill", "pay_bill", "payment_history", "fee_question",
    "report_repair", "complaint", "suggestion", "ticket_status", "cancel_ticket",
    "rate_service", "query_notice", "notification_settings", "query_house_info",
    "query_contract", "query_facilities", "query_service_standard", "query_maintenance_fund",
    "query_policy",
}
EXAMPLES = load_examples()


def test_every_intent_has_enough_examples() -> None:
    counts = Counter(e.intent for e in EXAMPLES)
    assert set(counts) == TAXONOMY_INTENTS
    assert min(counts.values()) >= 60, counts.most_common()[-3:]


def test_annotation_syntax() -> None:
    text, found = strip_annotations('绑定[3号楼2单元501]{"entity": "unit", "value": "3-2-501"}'
                                    "[上个月](period)")
    assert text == "绑定3号楼2单元501上个月"
    assert [(a.entity, a.value, text[a.start:a.end]) for a in found] == [
        ("unit", "3-2-501", "3号楼2单元501"), ("period", None, "上个月")]


ANNOTATED = [e for e in EXAMPLES if e.entities]


@pytest.mark.parametrize("example", ANNOTATED, ids=[e.text for e in ANNOTATED])
def test_annotations_match_rules(example: object) -> None:
    found = extract_entities(example.text, datetime(2026, 11, 27, tzinfo=BEIJING))  # type: ignore[attr-defined]
    spans = {(e["entity"], e["start"], e["end"]): e["value"] for e in found}
    for a in example.entities:  # type: ignore[attr-defined]
        assert a.entity in ENTITY_TYPES
        key = (a.entity, a.start, a.end)
        assert key in spans, (a, found)
        if a.value is not None:
            assert spans[key] == a.value


def test_every_entity_mention_is_annotated() -> None:
    # `python -m nlu annotate` keeps this true: Rasa learns spans only from annotated lines.
    from nlu.annotate import annotate_dir

    report = annotate_dir(write=False)
    assert report.conflicts == []
    assert report.files_changed == [], "run: python -m nlu annotate"
    assert sum(report.mentions.values()) >= 600


def test_annotate_marks_every_mention_and_keeps_hand_values() -> None:
    from nlu.annotate import AnnotationReport, annotate_text

    report = AnnotationReport()
    line = annotate_text("[上个月](period)水费和物业费 3号楼2单元501 打5分", report)
    assert line == ('[上个月](period)[水费]{"entity": "bill_item", "value": "water"}和'
                    '[物业费]{"entity": "bill_item", "value": "property_fee"} '
                    '[3号楼2单元501]{"entity": "unit", "value": "3-2-501"} '
                    '打[5分]{"entity": "rating", "value": "5"}')
    assert report.added == 4 and report.conflicts == []
    annotate_text('[物业费]{"entity": "bill_item", "value": "water"}', report)
    assert len(report.conflicts) == 1  # a wrong hand annotation is reported, not hidden
