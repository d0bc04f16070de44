"""Photos owners send: the largest size is downloaded at once and kept under the media dir."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from aiogram import Bot
from aiogram.types import PhotoSize

from handlers.messages import MediaRef

SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic"}


class MissingFileError(RuntimeError):
    """getFile answered without a file path: the file cannot be fetched (too big for the API)."""


def largest(sizes: Sequence[PhotoSize]) -> PhotoSize:
    """Telegram sends each photo in several sizes; keep the biggest."""
    return max(sizes, key=lambda p: (p.width * p.height, p.file_size or 0))


async def download_image(
    bot: Bot, file_id: str, unique_id: str, media_dir: Path, now: datetime,
    content_type: str = "image/jpeg",
) -> MediaRef:
    """Fetch one image via getFile and store it under the media dir; returns its MediaRef."""
    file = await bot.get_file(file_id)
    if not file.file_path:
        raise MissingFileError(f"getFile returned no file_path for {file_id}")
    # file_unique_id is stable across redeliveries: a redelivered photo overwrites itself.
    name = "".join(ch for ch in unique_id if ch.isalnum() or ch in "-_") or "photo"
    suffix = SUFFIXES.get(content_type, ".jpg")
    dest = media_dir / "telegram" / now.strftime("%Y%m") / f"{name}{suffix}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_suffix(".part")
    await bot.download_file(file.file_path, destination=partial)
    os.replace(partial, dest)  # never leave a half-written photo under the real name
    return MediaRef("photo", str(dest), content_type)
