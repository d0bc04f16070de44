"""The console API's shared shapes: errors, pagination, ids, times. Use these in new endpoints."""

from __future__ import annotations

import functools
import json
from typing import Any

from aiohttp import web

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["error", "message"], "additionalProperties": False,
    "properties": {
        "error": {"type": "string", "enum": [
            "unauthorized", "forbidden", "not_found", "invalid", "csrf", "too_many_attempts",
            "conflict", "unavailable",
        ]},
        "message": {"type": "string"},
    },
}
ID = {"type": "integer", "minimum": 1}
TIME = {"type": "string", "format": "date-time"}
TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
LIMIT_QUERY = {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}
CURSOR_QUERY = {"type": "string", "pattern": "^[0-9]+$"}
PAGING_QUERY: dict[str, dict[str, Any]] = {"limit": LIMIT_QUERY, "cursor": CURSOR_QUERY}
DEFAULT_LIMIT = 50
dumps = functools.partial(json.dumps, ensure_ascii=False)  # Chinese readable in the wire


def ok(body: Any, status: int = 200) -> web.Response:
    """A JSON answer."""
    return web.json_response(body, status=status, dumps=dumps)


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    """`{"error": code, "message": message}` with `status`."""
    return web.json_response({"error": code, "message": message}, status=status,
                             headers=headers, dumps=dumps)


def list_schema(name: str, item: dict[str, Any]) -> dict[str, Any]:
    """`{name: [item…], "next_cursor": "123" | null}` — every paginated list looks like this."""
    return {
        "type": "object", "required": [name, "next_cursor"], "additionalProperties": False,
        "properties": {name: {"type": "array", "items": item},
                       "next_cursor": {"type": ["string", "null"]}},
    }


def paging(query: dict[str, Any]) -> tuple[int, int | None]:
    """(limit, cursor id) from the checked query: lists run newest first, below the cursor."""
    limit = int(query.get("limit") or DEFAULT_LIMIT)
    cursor = query.get("cursor")
    return limit, int(cursor) if cursor else None


def next_cursor(ids: list[int], limit: int) -> str | None:
    """The cursor of the next page: the last id, when the page was full."""
    return str(ids[-1]) if len(ids) == limit and ids else None
