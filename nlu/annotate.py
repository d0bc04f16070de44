"""Annotate every entity mention in the training YAML with the rule extractor, and check it.

    python -m nlu annotate [--check] [DATA_DIR]

Rasa learns entity spans only from annotated examples, so `export-rasa` gives Rasa a fair
start only when every mention is marked. The rules are the reference: each example line is
rewritten with exactly the entities `extract_entities` finds (values normalised: bill items
and ratings as their value, homes as B-U-R; relative periods as `(period)`, since their value
depends on the reference time). A hand annotation the rules disagree with is reported, never
overwritten silently. `--check` changes nothing and fails when a file is not up to date.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nlu.clock import BEIJING
from nlu.entities import extract_entities
from nlu.training_data import DEFAULT_DATA_DIR, data_files, strip_annotations

# The reference time the data is annotated against (it only matters for explicit values).
REFERENCE = datetime(2026, 11, 27, 10, 0, tzinfo=BEIJING)
_EXAMPLE_LINE = re.compile(r"^(?P<indent>\s*- )(?P<body>.*\S)\s*$")
# Entity types whose value is relative to the reference time: Rasa gets the span only.
_SPAN_ONLY = frozenset({"period"})


@dataclass
class AnnotationReport:
    """What an annotation pass found."""

    files_changed: list[str] = field(default_factory=list)
    examples: int = 0
    annotated_examples: int = 0
    mentions: Counter[str] = field(default_factory=Counter)
    added: int = 0
    conflicts: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few human-readable lines."""
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.mentions.items()))
        lines = [f"{self.examples} examples, {self.annotated_examples} with entities; "
                 f"mentions: {kinds}; newly annotated: {self.added}",
                 f"files to change: {', '.join(self.files_changed) or 'none'}"]
        lines += [f"conflict: {c}" for c in self.conflicts]
        return "\n".join(lines)


def _markup(surface: str, entity: str, value: str) -> str:
    """Rasa inline annotation for one mention."""
    if entity in _SPAN_ONLY or value == surface:
        return f"[{surface}]({entity})"
    meta = json.dumps({"entity": entity, "value": value}, ensure_ascii=False)
    return f"[{surface}]{meta}"


def annotate_text(raw: str, report: AnnotationReport | None = None) -> str:
    """One example line (annotated or not) → the line with every rule entity annotated."""
    text, marked = strip_annotations(raw)
    found = extract_entities(text, REFERENCE)
    spans = {(e["entity"], e["start"], e["end"]): str(e["value"]) for e in found}
    if report is not None:
        for a in marked:
            key = (a.entity, a.start, a.end)
            if key not in spans or (a.value is not None and a.entity not in _SPAN_ONLY
                                    and spans[key] != a.value):
                report.conflicts.append(f"{raw!r}: {a} vs rules {found}")
        report.examples += 1
        report.annotated_examples += bool(found)
        report.mentions.update(str(e["entity"]) for e in found)
        report.added += max(0, len(found) - len(marked))
    parts, pos = [], 0
    for e in found:
        start, end = int(e["start"]), int(e["end"])
        parts += [text[pos:start], _markup(text[start:end], str(e["entity"]), str(e["value"]))]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def annotate_file(path: Path, report: AnnotationReport) -> str:
    """The file's text with its example lines annotated (other lines untouched)."""
    out = []
    in_examples = False
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("examples:"):
            in_examples = True
        elif stripped and not line.startswith(" "):  # the next `- intent:` / `- synonym:`
            in_examples = False
        m = _EXAMPLE_LINE.match(line.rstrip("\n"))
        if in_examples and m and not stripped.startswith("examples:"):
            newline = "\n" if line.endswith("\n") else ""
            line = m["indent"] + annotate_text(m["body"], report) + newline
        out.append(line)
    return "".join(out)


def annotate_dir(data_dir: Path = DEFAULT_DATA_DIR, write: bool = True) -> AnnotationReport:
    """Annotate (or, with write=False, only check) every YAML file of `data_dir`."""
    report = AnnotationReport()
    for path in data_files(data_dir):
        new = annotate_file(path, report)
        if new != path.read_text(encoding="utf-8"):
            report.files_changed.append(path.name)
            if write:
                path.write_text(new, encoding="utf-8")
    return report
