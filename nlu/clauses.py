"""Run-on messages with two requests: split into clauses, and parse each request.

Owners write "卫生间漏水了 另外这个月物业费多少" as one message. The classifier gives one
intent per text, so dispatch asks here first:

    parts = split_requests(parser, text, now)   # [parse] or [parse, parse, …]

Each element is a Rasa-shaped parse of one request, with `start`/`end` of its clause and
entity offsets that index the ORIGINAL text. One element means one request (the normal case).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Protocol

from nlu.entities import code_spans
from nlu.normalize import MAX_CHARS, canonical, has_content

# Sentence ends always separate; connectors that open another matter separate before them.
_HARD = re.compile(r"[。！？!?；;\n]+")
# A connector opens a clause only after a pause or a sentence-final particle: the 还有 of
# 维修基金还有多少 is "still", not "and also".
_CONNECTOR = re.compile(
    r"(?:^|(?<=[\s,，、.。!?！？;；:：了吗呢啊吧呀哈啦嘛]))"
    r"(?:另外|还有就是|还有个事|还有一件事|还有|顺便问一下|顺便问下|顺便说一下|顺便|对了|再问一下|再问下"
    r"|此外|另一个事|另一件事|还想问一下|还想问|也想问一下|也想问|然后还有"
    r"|(?:and also|also|btw|by the way|another thing)(?![a-z]))"
)
# Commas and spaces separate only between substantial pieces (not inside 3号楼 2单元 501).
_SOFT = re.compile(r"[,，、\s]+")
_MIN_SOFT_CHARS = 4
# Intents that are not a request of their own: they ride along with their neighbour.
NOT_A_REQUEST = frozenset({
    "greet", "goodbye", "thanks", "affirm", "deny", "help", "out_of_scope",
})
MIN_CONFIDENCE = 0.6


class _Parser(Protocol):
    def parse(self, text: str, now: datetime | None = None) -> dict: ...


def _content_len(text: str) -> int:
    return sum(1 for c in text if c.isalnum())


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of `text`, trimmed, in order; offsets index `text`."""
    sample = text[:MAX_CHARS]
    canon = canonical(sample)
    cuts = {0, len(sample)}
    cuts.update(m.start() for m in _HARD.finditer(canon))
    cuts.update(m.end() for m in _HARD.finditer(canon))
    cuts.update(m.start() for m in _CONNECTOR.finditer(canon))
    pieces = _pieces(sample, sorted(cuts))
    codes = [(c.start, c.end) for c in code_spans(canon)]  # 3号楼 2单元 501 is one home
    spans: list[tuple[int, int]] = []
    for start, end in pieces:
        spans += _soft_split(sample, start, end, codes)
    return [(s, e) for s, e in spans if has_content(sample[s:e])]


def _pieces(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Trimmed spans between consecutive cut points."""
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def _soft_split(text: str, start: int, end: int,
                codes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split at commas/spaces where both sides have at least a few characters of content."""
    canon = canonical(text[start:end])
    cuts = [start]
    for m in _SOFT.finditer(canon):
        if any(a < start + m.start() and start + m.end() < b for a, b in codes):
            continue
        left = text[cuts[-1]:start + m.start()]
        right = text[start + m.end():end]
        if _content_len(left) >= _MIN_SOFT_CHARS and _content_len(right) >= _MIN_SOFT_CHARS \
                and not (left[-1:].isascii() and right[:1].isascii()):  # English keeps spaces
            cuts.append(start + m.end())
    cuts.append(end)
    return _pieces(text, cuts)


def split_clauses(text: str) -> list[str]:
    """The clauses of a message as strings (see `clause_spans`)."""
    return [text[s:e] for s, e in clause_spans(text)]


def split_requests(parser: _Parser, text: str, now: datetime | None = None,
                   min_confidence: float = MIN_CONFIDENCE) -> list[dict[str, Any]]:
    """One parse per request in the message; a single-request message gives `[parse(text)]`.

    Clauses whose intent is no request of its own (greet, thanks, out_of_scope, …) or is
    unsure (< min_confidence) join the clause before them (or after, when first); neighbours
    with the same intent join too. Each returned parse carries `start`/`end` of its part, and
    its entity offsets index `text`.
    """
    spans = clause_spans(text)
    if len(spans) < 2:
        return [_whole(parser, text, now)]
    groups: list[list[Any]] = []  # [start, end, intent]
    for start, end in spans:
        parse = parser.parse(text[start:end], now)
        intent = str(parse["intent"]["name"])
        weak = (intent in NOT_A_REQUEST or float(parse["intent"]["confidence"]) < min_confidence
                or _mostly_entities(parse))
        if groups and (weak or groups[-1][2] in (intent, None)):
            groups[-1][1] = end
            if groups[-1][2] is None and not weak:
                groups[-1][2] = intent
        else:
            groups.append([start, end, None if weak else intent])
    if len(groups) < 2:
        return [_whole(parser, text, now)]
    return [_part(parser, text, start, end, now) for start, end, _ in groups]


def _mostly_entities(parse: dict[str, Any]) -> bool:
    """A clause that is little but a home, phone or code (房号5-1-302) names, not asks."""
    text = str(parse.get("text") or "")
    chars = list(text)
    for e in parse.get("entities") or []:
        if e.get("entity") in ("unit", "phone", "ticket_id"):
            chars[int(e["start"]):int(e["end"])] = " " * (int(e["end"]) - int(e["start"]))
    return bool(parse.get("entities")) and _content_len("".join(chars)) <= 2 and any(
        e.get("entity") in ("unit", "phone", "ticket_id") for e in parse.get("entities") or [])


def _whole(parser: _Parser, text: str, now: datetime | None) -> dict[str, Any]:
    parse = dict(parser.parse(text, now))
    parse.update(start=0, end=len(text))
    return parse


def _part(parser: _Parser, text: str, start: int, end: int,
          now: datetime | None) -> dict[str, Any]:
    """Parse of text[start:end] with entity offsets shifted into the whole text."""
    parse = dict(parser.parse(text[start:end], now))
    parse["entities"] = [
        {**e, "start": int(e["start"]) + start, "end": int(e["end"]) + start}
        for e in parse.get("entities") or []
    ]
    parse.update(start=start, end=end)
    return parse
