"""Evaluate a parser on JSONL lines {"text", "intent", "entities", "now"?}."""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nlu.clock import parse_iso


@dataclass
class Report:
    """Scores of one evaluation run."""

    n: int = 0
    intent_accuracy: float = 0.0
    intent_macro_f1: float = 0.0
    entity_precision: float = 0.0
    entity_recall: float = 0.0
    entity_f1: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    cpu_median_ms: float = 0.0  # thread CPU time: immune to other processes on the core
    cpu_p95_ms: float = 0.0
    confusions: list[dict[str, object]] = field(default_factory=list)
    entity_misses: list[dict[str, object]] = field(default_factory=list)
    per_intent_f1: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return dict(self.__dict__)


def read_cases(path: Path) -> list[dict[str, object]]:
    """Non-blank JSON lines of an evaluation file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _macro_f1(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Per-label F1 over every label that occurs as gold or prediction."""
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    scores = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        scores[label] = _f1(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)
    return scores


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def evaluate(parser: object, cases: Iterable[dict[str, object]], now: datetime,
             worst: int = 10) -> Report:
    """Score intents (accuracy, macro-F1) and entities (by type+value multiset) and time."""
    pairs: list[tuple[str, str]] = []
    times: list[float] = []
    cpu_times: list[float] = []
    tp = fp = fn = 0
    misses: list[dict[str, object]] = []
    confusion_examples: dict[tuple[str, str], str] = {}
    for case in cases:
        ref = parse_iso(str(case["now"])) if case.get("now") else now
        started, cpu_started = time.perf_counter(), time.thread_time()
        result = parser.parse(str(case["text"]), ref)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.thread_time() - cpu_started) * 1000)
        gold, pred = str(case["intent"]), str(result["intent"]["name"])
        pairs.append((gold, pred))
        if gold != pred:
            confusion_examples.setdefault((gold, pred), str(case["text"]))
        want = Counter((str(e["entity"]), str(e["value"])) for e in case.get("entities") or [])
        got = Counter((str(e["entity"]), str(e["value"])) for e in result["entities"])
        hit = sum((want & got).values())
        tp, fp, fn = tp + hit, fp + sum(got.values()) - hit, fn + sum(want.values()) - hit
        if want != got:
            misses.append({"text": case["text"], "missing": sorted(want - got),
                           "extra": sorted(got - want)})
    if not pairs:
        return Report()
    per_label = _macro_f1(pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    counts = Counter((g, p) for g, p in pairs if g != p)
    return Report(
        n=len(pairs),
        intent_accuracy=sum(g == p for g, p in pairs) / len(pairs),
        intent_macro_f1=statistics.fmean(per_label.values()),
        entity_precision=precision,
        entity_recall=recall,
        entity_f1=_f1(precision, recall),
        median_ms=statistics.median(times),
        p95_ms=_percentile(times, 0.95),
        cpu_median_ms=statistics.median(cpu_times),
        cpu_p95_ms=_percentile(cpu_times, 0.95),
        confusions=[{"gold": g, "predicted": p, "count": c, "example": confusion_examples[(g, p)]}
                    for (g, p), c in counts.most_common(worst)],
        entity_misses=misses[:worst],
        per_intent_f1=per_label,
    )


def format_report(report: Report) -> str:
    """Human-readable summary."""
    lines = [
        f"cases            {report.n}",
        f"intent accuracy  {report.intent_accuracy:.2%}",
        f"intent macro-F1  {report.intent_macro_f1:.4f}",
        f"entity P/R/F1    {report.entity_precision:.4f} / {report.entity_recall:.4f} / "
        f"{report.entity_f1:.4f}",
        f"parse time       median {report.median_ms:.3f} ms, p95 {report.p95_ms:.3f} ms "
        f"(CPU: median {report.cpu_median_ms:.3f} ms, p95 {report.cpu_p95_ms:.3f} ms)",
        "worst confusions (gold → predicted):",
    ]
    lines += [f"  {c['count']:>3}  {c['gold']} → {c['predicted']}   e.g. {c['example']}"
              for c in report.confusions]
    if report.entity_misses:
        lines.append("entity mismatches (first few):")
        lines += [f"  {m['text']}  missing={m['missing']} extra={m['extra']}"
                  for m in report.entity_misses]
    return "\n".join(lines)
