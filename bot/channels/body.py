"""Reading a webhook or API request body without letting a client make us buffer too much."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

CHUNK_BYTES = 64 * 1024


async def read_capped(request: web.Request, limit: int) -> bytes | None:
    """The body, or None when it is (or claims to be) over `limit` bytes; reads no further."""
    if request.content_length is not None and request.content_length > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


MAX_JSON_DEPTH = 32  # no request we take nests deeper than a handful of levels


class BadJsonError(ValueError):
    """The body is not JSON we accept (malformed, not UTF-8, or nested too deeply): 400."""


def parse_json(body: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The decoded JSON of `body`; BadJsonError for anything malformed or deeper than `max_depth`.

    Python's decoder recurses once per level: a body of 100,000 `[` would raise
    RecursionError (a 500 with a traceback) rather than a ValueError.
    """
    try:
        data = json.loads(body)
    except RecursionError:
        raise BadJsonError("JSON nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise BadJsonError(f"not JSON: {type(err).__name__}") from None
    if _too_deep(data, max_depth):
        raise BadJsonError(f"JSON nested deeper than {max_depth} levels")
    return data


def _too_deep(data: Any, max_depth: int) -> bool:
    """Iterative (never recursive) depth check of decoded JSON."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False
