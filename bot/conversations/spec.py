"""The conversation file format (`tests/conversations/*.yml`): load and check it.

A file holds `conversations:`, a list; each has a `name`, optional setup (`as`, `now`,
`channel`, `community`, `xfail`) and `steps`. A step sends one thing (`user` text, a `press`
of a button by title or number, a `photo`, a `job` run, or a `wait`) and states what the
replies must (`expect`, `expect_any`, `match`, `buttons`) and must not (`not`, `not_match`,
`no_buttons`) contain, how many tickets it creates (`tickets`) and what it pushes (`pushed`).
See tests/conversations/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

DEFAULT_NOW = "2026-11-27T10:00:00+08:00"
SEND_KEYS = ("user", "press", "photo", "job", "wait")
CHECK_KEYS = ("expect", "expect_any", "not", "match", "not_match", "buttons", "no_buttons",
              "tickets", "pushed", "not_pushed")
STEP_KEYS = frozenset((*SEND_KEYS, *CHECK_KEYS, "as", "text", "note"))
CONVERSATION_KEYS = frozenset(
    ("name", "as", "now", "channel", "community", "invites", "xfail", "steps", "tags", "note"))
COMMUNITY_FIELDS = frozenset(("service_phone", "emergency_phone", "front_desk_hours",
                              "heating_provider", "district", "street"))


class SpecError(ValueError):
    """A conversation file that cannot be run; the message names the file and the place."""


@dataclass(frozen=True)
class Step:
    """One thing sent and what its replies must show."""

    kind: str  # user / press / photo / job / wait
    value: Any
    text: str = ""  # the caption of a photo
    speaker: str | None = None  # `as` for this step only
    expect: tuple[str, ...] = ()
    expect_any: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    match: tuple[str, ...] = ()
    not_match: tuple[str, ...] = ()
    buttons: tuple[str, ...] = ()
    no_buttons: bool = False
    tickets: int | None = None
    pushed: tuple[str, ...] = ()
    not_pushed: tuple[str, ...] = ()

    def describe(self) -> str:
        """How the step reads in a report: `用户: 我家物业费还欠多少`."""
        return f"{self.kind}: {self.value}"


@dataclass(frozen=True)
class Conversation:
    """A named conversation from a file, with its setup."""

    name: str
    source: str  # file:index, for messages
    steps: tuple[Step, ...]
    speaker: str = "unbound"
    now: datetime = field(default_factory=lambda: datetime.fromisoformat(DEFAULT_NOW))
    channel: str = "web"
    community: dict[str, str] = field(default_factory=dict)
    invites: dict[str, str] = field(default_factory=dict)  # code → home label or `staff NAME`
    xfail: str = ""
    tags: tuple[str, ...] = ()


def load_paths(paths: list[Path], tz: ZoneInfo | None = None) -> list[Conversation]:
    """Every conversation in the given files and folders (folders: their `*.yml`, sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted([*path.glob("*.yml"), *path.glob("*.yaml")]))
        elif path.exists():
            files.append(path)
        else:
            raise SpecError(f"{path}: no such file or folder")
    found: list[Conversation] = []
    for file in files:
        found.extend(load_file(file, tz))
    names = [c.name for c in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SpecError(f"conversation names must be unique: {', '.join(duplicates)}")
    return found


def load_file(path: Path, tz: ZoneInfo | None = None) -> list[Conversation]:
    """The conversations of one file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise SpecError(f"{path}: not valid YAML: {err}") from err
    items = data.get("conversations") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SpecError(f"{path}: expected a top-level `conversations:` list")
    return [_conversation(item, f"{path.name}#{i + 1}", tz) for i, item in enumerate(items)]


def _conversation(item: Any, where: str, tz: ZoneInfo | None) -> Conversation:
    if not isinstance(item, dict) or not item.get("name") or not item.get("steps"):
        raise SpecError(f"{where}: a conversation needs `name` and `steps`")
    _no_unknown(item, CONVERSATION_KEYS, where)
    where = f"{where} ({item['name']})"
    community = item.get("community") or {}
    if not isinstance(community, dict) or set(community) - COMMUNITY_FIELDS:
        raise SpecError(f"{where}: `community` may set {', '.join(sorted(COMMUNITY_FIELDS))}")
    steps = item["steps"]
    if not isinstance(steps, list):
        raise SpecError(f"{where}: `steps` must be a list")
    return Conversation(
        name=str(item["name"]),
        source=where,
        steps=tuple(_step(s, f"{where} step {i + 1}") for i, s in enumerate(steps)),
        speaker=str(item.get("as") or "unbound"),
        now=_moment(item.get("now") or DEFAULT_NOW, where, tz),
        channel=str(item.get("channel") or "web"),
        community={k: "" if v is None else str(v) for k, v in community.items()},
        invites=_invites(item.get("invites"), where),
        xfail=str(item.get("xfail") or ""),
        tags=tuple(str(t) for t in item.get("tags") or ()),
    )


def _invites(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SpecError(f"{where}: `invites` maps a code to a home (`AB12CD34: 5-1-302`)")
    return {str(code).upper(): str(whom) for code, whom in value.items()}


def _step(item: Any, where: str) -> Step:
    if isinstance(item, str):  # a bare line is a user message with no checks
        item = {"user": item}
    if not isinstance(item, dict):
        raise SpecError(f"{where}: a step is a mapping such as `- user: 你好`")
    _no_unknown(item, STEP_KEYS, where)
    sends = [k for k in SEND_KEYS if k in item]
    if len(sends) != 1:
        raise SpecError(f"{where}: a step sends exactly one of {', '.join(SEND_KEYS)}")
    kind = sends[0]
    patterns = _strings(item, "match", where) + _strings(item, "not_match", where)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as err:
            raise SpecError(f"{where}: bad regular expression {pattern!r}: {err}") from err
    tickets = item.get("tickets")
    if tickets is not None and not isinstance(tickets, int):
        raise SpecError(f"{where}: `tickets` is a number of tickets created by this step")
    return Step(
        kind=kind, value=item[kind], text=str(item.get("text") or ""),
        speaker=str(item["as"]) if item.get("as") else None,
        expect=_strings(item, "expect", where), expect_any=_strings(item, "expect_any", where),
        absent=_strings(item, "not", where), match=_strings(item, "match", where),
        not_match=_strings(item, "not_match", where), buttons=_strings(item, "buttons", where),
        no_buttons=bool(item.get("no_buttons")), tickets=tickets,
        pushed=_strings(item, "pushed", where), not_pushed=_strings(item, "not_pushed", where),
    )


def _strings(item: dict, key: str, where: str) -> tuple[str, ...]:
    value = item.get(key)
    if value is None:
        return ()
    if isinstance(value, (str, int, float)):
        return (str(value),)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(str(v) for v in value)
    raise SpecError(f"{where}: `{key}` is a string or a list of strings")


def _moment(value: Any, where: str, tz: ZoneInfo | None) -> datetime:
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError as err:
        raise SpecError(f"{where}: `now` {value!r} is not an ISO date-time") from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz or ZoneInfo("Asia/Shanghai"))
    return moment


def _no_unknown(item: dict, allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise SpecError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
