"""Defensive XML for WeChat callbacks: no DTDs, no entities, flat string fields only.

WeChat messages are a flat `<xml>` with CDATA fields. Anything declaring a DTD or an entity
is refused before any parser sees it (XXE, billion laughs); xmltodict>=1.0.2 also refuses
entity declarations itself, as a second line.
"""

from __future__ import annotations

import re
import time
from xml.parsers.expat import ExpatError

import xmltodict

_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)", re.IGNORECASE)
MAX_DEPTH = 4  # <xml><ScanCodeInfo><ScanResult> is the deepest WeChat sends


class XmlError(ValueError):
    """The body is not a WeChat XML message: answer 400, nothing processed."""


def parse(body: bytes | str) -> dict[str, object]:
    """The children of the root `<xml>` element as a dict; XmlError for anything else."""
    text = _as_text(body)
    if _DECLARATION.search(text):
        raise XmlError("DTD and entity declarations are refused")
    try:
        doc = xmltodict.parse(text, disable_entities=True)
    except (ExpatError, ValueError) as err:
        raise XmlError(f"not well-formed XML: {err}") from err
    if not isinstance(doc, dict) or list(doc) != ["xml"] or not isinstance(doc["xml"], dict):
        raise XmlError("the root element must be <xml> with child elements")
    root: dict[str, object] = doc["xml"]
    if _depth(root) > MAX_DEPTH:
        raise XmlError("too deeply nested")
    return root


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


def _depth(node: object) -> int:
    if isinstance(node, dict):
        return 1 + max((_depth(v) for v in node.values()), default=0)
    if isinstance(node, list):
        return max((_depth(v) for v in node), default=0)
    return 0


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
