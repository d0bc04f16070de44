"""`POST /api/photo`: a photo from the web chat, stored and dispatched like a WeChat photo.

The page sends the image bytes as the body (`Content-Type: image/…`) with `?user=U[&token=T]`
(or `Authorization: Bearer T`), the same token rules as /api/chat. The bytes are checked to
really be an image (by their first bytes, not the header the client claims), written under
`media.dir/web/YYYYMMDD/`, and dispatched as `Incoming(media=MediaRef("photo", path, type))` —
the repair and complaint flows attach it to the ticket exactly as they do WeChat photos.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from pathlib import Path

from aiohttp import web

from bot.channels import web as web_channel
from bot.channels.body import read_capped
from handlers import dispatch
from handlers.messages import Incoming, MediaRef

log = logging.getLogger(__name__)

SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
            "image/gif": ".gif", "image/heic": ".heic"}


def sniff_image(data: bytes) -> str | None:
    """The image type the bytes really are, or None (an HTML page renamed .jpg is not one)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"heim", b"hevc"):
        return "image/heic"
    return None


def store_photo(media_dir: Path, day: str, data: bytes, content_type: str) -> Path:
    """Write the photo under media_dir/web/DAY/ atomically; its path."""
    dest = media_dir / web_channel.CHANNEL / day / (uuid.uuid4().hex + SUFFIXES[content_type])
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, dest)  # never a half-written photo under the real name
    return dest


class PhotoEndpoint:
    """Receives photos for the chat endpoint's conversations (same per-user lock)."""

    def __init__(self, chat: web_channel.ChatEndpoint) -> None:
        self.chat = chat
        self.app = chat.app
        self.limit = self.app.settings.web.max_photo_bytes

    async def handle(self, request: web.Request) -> web.Response:
        """Validate, authenticate, store, dispatch; answer like /api/chat."""
        user = request.query.get("user", "")
        if not web_channel.valid_user_id(user):
            return _error(400, "bad_request", "user must be 1-64 letters, digits or _ . : @ -")
        token = request.query.get("token") or _bearer(request)
        if not self.chat.auth.allows(request, user, token):
            return _error(401, "unauthorized", "a valid token for this user is required")
        data = await read_capped(request, self.limit)
        if data is None:
            return _error(413, "too_large", f"photo larger than {self.limit} bytes")
        content_type = sniff_image(data)
        if content_type is None:
            return _error(415, "not_an_image", "body must be a JPEG, PNG, WebP, GIF or HEIC image")
        deps = self.app.deps
        day = deps.clock().astimezone(deps.settings.timezone).strftime("%Y%m%d")
        path = await asyncio.to_thread(store_photo, Path(deps.settings.media_dir), day, data,
                                       content_type)
        text = request.query.get("text", "")[:500]
        incoming = Incoming(web_channel.CHANNEL, user, text=text,
                            media=MediaRef("photo", str(path), content_type))
        async with self.chat.conversations.hold(user):
            outcome = await asyncio.to_thread(dispatch.handle, incoming, deps)
        return web.json_response(
            {"replies": [reply.as_dict() for reply in outcome.replies]},
            dumps=lambda obj: json.dumps(obj, ensure_ascii=False),
        )


def _bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)
