"""WeChat callback messages → the core's Incoming, and the work one message takes.

Message types: https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
Events: https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from bot.channels.wechat import render
from bot.channels.wechat.api import CHANNEL, WechatApi, WechatApiError, WechatUnavailableError
from bot.channels.wechat.tokens import TokenError
from bot.channels.wechat.xml import field
from bot.texts_wechat import wt
from handlers import dispatch, identity_events
from handlers.deps import Deps
from handlers.messages import Incoming, Location, MediaRef
from handlers.texts import t

log = logging.getLogger(__name__)

Kind = Literal["message", "image", "subscribe", "unsubscribe", "voice_unclear", "unsupported", "ignore"]
SUPPORTED_EVENTS = frozenset({"subscribe", "unsubscribe", "CLICK"})
PHOTO_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}


@dataclass(frozen=True)
class Inbound:
    """One parsed callback: who, what to do, and the key that makes a retry the same message."""

    kind: Kind
    openid: str
    account: str  # our own account id (ToUserName), the sender of a passive reply
    dedupe_key: str
    incoming: Incoming | None = None
    media_id: str = ""


def classify(message: dict[str, object]) -> Inbound | None:
    """The Inbound for a parsed message; None when it names no sender (not a WeChat message)."""
    openid, account = field(message, "FromUserName"), field(message, "ToUserName")
    if not openid or not account:
        return None
    msg_type = field(message, "MsgType").lower()
    if msg_type == "event":
        return _event(message, openid, account)
    msg_id = field(message, "MsgId") or f"{openid}:{field(message, 'CreateTime')}"
    key = f"wechat:msg:{msg_id}"

    def make(kind: Kind, text: str = "", location: Location | None = None) -> Inbound:
        incoming = Incoming(CHANNEL, openid, text=text, location=location, message_id=msg_id)
        return Inbound(kind, openid, account, key, incoming, field(message, "MediaId"))

    if msg_type == "text":
        return make("message", text=field(message, "Content"))
    if msg_type == "voice":
        recognised = field(message, "Recognition")  # needs speech recognition enabled in the console
        return make("message", text=recognised) if recognised else make("voice_unclear")
    if msg_type == "location":
        return make("message", location=_location(message))
    if msg_type == "image":
        return make("image")
    return make("unsupported")


def _event(message: dict[str, object], openid: str, account: str) -> Inbound:
    event = field(message, "Event")
    key = f"wechat:evt:{openid}:{field(message, 'CreateTime')}:{event}"
    if event not in SUPPORTED_EVENTS:
        return Inbound("ignore", openid, account, key)  # VIEW, SCAN, LOCATION, job reports…
    if event == "CLICK":
        payload = field(message, "EventKey")
        payload = payload if payload.startswith("/") else "/" + payload
        return Inbound("message", openid, account, key, Incoming(CHANNEL, openid, button=payload))
    return Inbound(event, openid, account, key)  # type: ignore[arg-type]


def _location(message: dict[str, object]) -> Location | None:
    try:
        lat, lon = float(field(message, "Location_X")), float(field(message, "Location_Y"))
    except ValueError:
        return None
    return Location(lat, lon, field(message, "Label"))


async def process(inbound: Inbound, deps: Deps, api: WechatApi) -> str:
    """Do what the message asks; the text to answer with ('' when nothing is to be said)."""
    if inbound.kind == "unsubscribe":
        await asyncio.to_thread(identity_events.mark_unreachable, deps, CHANNEL, inbound.openid)
        return ""
    if inbound.kind == "subscribe":
        bound = await asyncio.to_thread(identity_events.subscribed, deps, CHANNEL, inbound.openid)
        return wt("welcome_back") if bound else wt("welcome") + "\n\n" + t("bind_ask", "zh")
    if inbound.kind in ("unsupported", "voice_unclear"):
        return wt(inbound.kind)
    incoming = inbound.incoming
    if inbound.kind == "image":
        media = await _download_photo(inbound, deps, api)
        if media is None:
            return wt("photo_failed")
        incoming = replace(incoming, media=media) if incoming else None
    if incoming is None:
        return ""
    outcome = await asyncio.to_thread(dispatch.handle, incoming, deps)
    return render.reply_text(outcome.replies)


async def _download_photo(inbound: Inbound, deps: Deps, api: WechatApi) -> MediaRef | None:
    """Temporary media lives 3 days at WeChat: fetch and keep it now."""
    try:
        content, ctype = await api.download_media(inbound.media_id)
    except (WechatApiError, WechatUnavailableError, TokenError) as err:
        log.warning("wechat photo %s not downloaded: %s", inbound.media_id[:12], err)
        return None
    day = deps.clock().astimezone(deps.settings.timezone).strftime("%Y%m%d")
    path = Path(deps.settings.media_dir) / CHANNEL / day / (uuid.uuid4().hex + PHOTO_SUFFIXES.get(ctype, ".bin"))
    await asyncio.to_thread(_write, path, content)
    return MediaRef("photo", str(path), ctype)


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
