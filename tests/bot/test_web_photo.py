"""Photos from the web chat (POST /api/photo) reach the ticket like WeChat photos."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import App
from bot.channels.web_photo import sniff_image
from storage.models import Attachment, Ticket
from tests.bot import test_web
from tests.bot.test_web import start
from tests.factories import bind_identity, build_world

make_app = test_web.make_app  # the same app factory fixture as the web API tests


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A real, decodable PNG (solid grey), made without any imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
              + chunk(b"IEND", b""))
    return out.getvalue()


@pytest.fixture
async def owner(make_app: Any, clock: Any) -> AsyncIterator[tuple[TestClient, App]]:
    """Demo-mode server with 王建国 (3-2-501) bound as web user u-wang."""
    app = make_app()
    with app.deps.uow() as uow:
        world = build_world(uow)
        bind_identity(uow, "web", "u-wang", clock(), owner_id=world.owner_ids["13812345678"],
                      home_id=world.home_ids["3-2-501"])
        uow.commit()
    client = await start(app)
    yield client, app
    await client.close()


async def say(client: TestClient, text: str) -> str:
    response = await client.post("/api/chat", json={"user": "u-wang", "text": text})
    assert response.status == 200
    return "\n".join(r["text"] for r in (await response.json())["replies"])


async def test_a_photo_in_the_repair_flow_is_stored_and_attached(
    owner: tuple[TestClient, App], tmp_path: Path
) -> None:
    client, app = owner
    await say(client, "阳台窗户关不上了")
    response = await client.post("/api/photo?user=u-wang", data=png_bytes(),
                                 headers={"Content-Type": "image/png"})
    assert response.status == 200
    assert (await response.json())["replies"], "the flow answers the photo"
    reply = await client.post("/api/chat", json={"user": "u-wang", "button": "repair:confirm"})
    assert "已附照片1张" in "\n".join(r["text"] for r in (await reply.json())["replies"])
    with app.deps.uow() as uow:
        attachment = uow.session.scalars(select(Attachment)).one()
        ticket = uow.session.scalars(select(Ticket)).one()
        assert attachment.ticket_id == ticket.id
        stored = Path(attachment.ref)
    assert stored.is_relative_to(tmp_path / "media" / "web") and stored.suffix == ".png"
    assert stored.read_bytes() == png_bytes()


async def test_a_photo_first_is_kept_for_the_next_report(owner: tuple[TestClient, App]) -> None:
    client, _ = owner
    response = await client.post("/api/photo?user=u-wang", data=png_bytes(),
                                  headers={"Content-Type": "image/png"})
    text = "\n".join(r["text"] for r in (await response.json())["replies"])
    assert "照片已收到并保存" in text


@pytest.mark.parametrize(("body", "status"), [
    (b"<html>not an image</html>", 415),
    (b"", 415),
    (b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024), 413),
])
async def test_what_is_not_a_photo_is_refused_and_nothing_is_stored(
    make_app: Any, tmp_path: Path, body: bytes, status: int
) -> None:
    app = make_app(max_photo_bytes=1024 * 1024)
    client = await start(app)
    try:
        response = await client.post("/api/photo?user=u-x", data=body,
                                     headers={"Content-Type": "image/jpeg"})
        assert response.status == status
        assert set(await response.json()) == {"error", "message"}
    finally:
        await client.close()
    assert not (tmp_path / "media" / "web").exists()


async def test_outside_demo_mode_a_photo_needs_the_token(make_app: Any, tmp_path: Path) -> None:
    app = make_app(demo_mode=False)
    client = await start(app)
    try:
        response = await client.post("/api/photo?user=u-x", data=png_bytes())
        assert response.status == 401
        bad = await client.post("/api/photo?user=bad%20id", data=png_bytes())
        assert bad.status == 400
    finally:
        await client.close()
    assert not (tmp_path / "media" / "web").exists()


def test_sniffing_trusts_bytes_not_names() -> None:
    assert sniff_image(png_bytes()) == "image/png"
    assert sniff_image(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff_image(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff_image(b"\x00\x00\x00\x18ftypheic") == "image/heic"
    assert sniff_image(b"GIF89a...") == "image/gif"
    assert sniff_image(b"%PDF-1.7") is None
