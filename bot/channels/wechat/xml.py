"""Defensive XML for WeChat callbacks: no DTDs, no entities, bounded depth, streaming.

WeChat messages are a flat `<xml>` with CDATA fields. The parser is expat driven directly:
a DOCTYPE, an entity declaration or an element deeper than MAX_DEPTH stops it at once (no
tree is built first, nothing recursive runs on attacker-chosen depth), so XXE, billion
laughs and deep nesting all end as XmlError (HTTP 400). Safe mode signs only the `<Encrypt>`
element: `encrypted_part` takes it out of the envelope with the same refusals and an even
smaller depth, before the signature is checked and before anything else is parsed.
"""

from __future__ import annotations

import time
from typing import Any
from xml.parsers import expat

MAX_DEPTH = 4  # <xml><ScanCodeInfo><ScanResult> is the deepest WeChat sends
ENVELOPE_DEPTH = 2  # <xml><Encrypt>


class XmlError(ValueError):
    """The body is not a WeChat XML message: answer 400, nothing processed."""


class _Refused(Exception):
    """Raised inside expat's callbacks to stop the parse."""


class _Builder:
    """Builds xmltodict's shape (text → str, children → dict, repeats → list) as it streams."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.stack: list[tuple[str, dict[str, Any], list[str]]] = []
        self.root: tuple[str, Any] | None = None

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        if len(self.stack) >= self.max_depth:
            raise _Refused("too deeply nested")
        self.stack.append((name, {}, []))

    def end(self, name: str) -> None:
        _, children, text = self.stack.pop()
        value: Any = children if children else ("".join(text).strip() or None)
        if not self.stack:
            self.root = (name, value)
            return
        parent = self.stack[-1][1]
        if name in parent:
            previous = parent[name]
            parent[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            parent[name] = value

    def text(self, data: str) -> None:
        if self.stack:
            self.stack[-1][2].append(data)


def _refuse(*_: object) -> None:
    raise _Refused("DTD and entity declarations are refused")


def _parse_tree(text: str, max_depth: int) -> tuple[str, Any]:
    builder = _Builder(max_depth)
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse  # type: ignore[assignment]
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.text
    try:
        parser.Parse(text, True)
    except _Refused as err:
        raise XmlError(str(err)) from None
    except expat.ExpatError as err:
        raise XmlError(f"not well-formed XML: {err}") from None
    if builder.root is None:
        raise XmlError("no root element")
    return builder.root


def parse(body: bytes | str, max_depth: int = MAX_DEPTH) -> dict[str, object]:
    """The children of the root `<xml>` element as a dict; XmlError for anything else."""
    name, root = _parse_tree(_as_text(body), max_depth)
    if name != "xml" or not isinstance(root, dict):
        raise XmlError("the root element must be <xml> with child elements")
    return root


def encrypted_part(body: bytes | str) -> tuple[str, dict[str, object]]:
    """(the `<Encrypt>` text, the envelope's fields) of a safe-mode body, parsed no deeper
    than `<xml><Encrypt>`; XmlError when it is not such an envelope."""
    envelope = parse(body, ENVELOPE_DEPTH)
    encrypt = field(envelope, "Encrypt")
    if not encrypt:
        raise XmlError("no <Encrypt> element")
    return encrypt, envelope


def field(message: dict[str, object], name: str) -> str:
    """A text field, stripped; '' when missing or not text."""
    value = message.get(name)
    return value.strip() if isinstance(value, str) else ""


def _as_text(body: bytes | str) -> str:
    if isinstance(body, str):
        text = body
    else:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as err:
            raise XmlError("body is not UTF-8") from err
    if "\x00" in text:
        # A UTF-16 document passes a UTF-8 decode with NULs between letters: refuse it.
        raise XmlError("NUL bytes are refused")
    return text.lstrip("\ufeff")


def cdata(value: str) -> str:
    """`value` as a CDATA section; a literal `]]>` is split so it cannot close it early."""
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(to_user: str, from_user: str, content: str, create_time: int | None = None) -> str:
    """A passive text reply (the only reply type the bot sends passively)."""
    created = int(time.time()) if create_time is None else create_time
    return (
        "<xml>"
        f"<ToUserName>{cdata(to_user)}</ToUserName>"
        f"<FromUserName>{cdata(from_user)}</FromUserName>"
        f"<CreateTime>{created}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(content)}</Content>"
        "</xml>"
    )
