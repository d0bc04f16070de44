"""Reading a webhook or API request body without letting a client make us buffer too much."""

from __future__ import annotations

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
