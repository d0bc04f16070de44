"""Read Rasa 3 NLU YAML training data: intents, examples, inline entity annotations."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_DATA_DIR = Path(__file__).parent / "data"

# [surface](entity) or [surface]{"entity": "unit", "value": "3-2-501"}
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<name>[^)]+)\)|(?P<json>\{[^}]*\}))")


@dataclass(frozen=True, slots=True)
class Annotation:
    """An entity marked in a training example; value None means 'the rule decides'."""

    entity: str
    value: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Example:
    """One training utterance with its intent."""

    text: str
    intent: str
    entities: tuple[Annotation, ...]


def strip_annotations(raw: str) -> tuple[str, tuple[Annotation, ...]]:
    """Plain text of an annotated example and the entities marked in it."""
    parts: list[str] = []
    found: list[Annotation] = []
    pos, length = 0, 0
    for m in _ANNOTATION.finditer(raw):
        parts.append(raw[pos:m.start()])
        length += m.start() - pos
        surface = m["text"]
        if m["json"]:
            meta = json.loads(m["json"])
            entity, value = str(meta["entity"]), meta.get("value")
        else:
            entity, value = m["name"], None
        found.append(Annotation(entity, None if value is None else str(value),
                                length, length + len(surface)))
        parts.append(surface)
        length += len(surface)
        pos = m.end()
    parts.append(raw[pos:])
    return "".join(parts), tuple(found)


def data_files(data_dir: Path) -> list[Path]:
    """The YAML files of a data directory, in a stable order."""
    return sorted(p for p in data_dir.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def content_hash(data_dir: Path, salt: str = "") -> str:
    """SHA-256 over file names and bytes (plus a code-version salt): the cache key."""
    digest = hashlib.sha256(salt.encode())
    for path in data_files(data_dir):
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _examples_block(block: str) -> list[str]:
    """Lines of a Rasa `examples: |` block without their '- ' bullets."""
    lines = []
    for line in block.splitlines():
        line = line.strip()
        if line.startswith("- "):
            line = line[2:].strip()
        elif line == "-":
            line = ""
        else:
            continue
        if line:
            lines.append(line)
    return lines


def load_examples(data_dir: Path = DEFAULT_DATA_DIR) -> list[Example]:
    """All intent examples of every YAML file; a repeated text is kept once.

    Raises ValueError when one text is filed under two intents: the data contradicts itself.
    """
    examples: list[Example] = []
    seen: dict[str, str] = {}
    for path in data_files(data_dir):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu") or []:
            if not isinstance(item, dict) or "intent" not in item:
                continue  # synonym / lookup / regex entries carry no intent
            for raw in _examples_block(str(item.get("examples") or "")):
                text, entities = strip_annotations(raw)
                intent = str(item["intent"])
                if text in seen:
                    if seen[text] != intent:
                        raise ValueError(f"{text!r} is both {seen[text]} and {intent}")
                    continue
                seen[text] = intent
                examples.append(Example(text, intent, entities))
    return examples
