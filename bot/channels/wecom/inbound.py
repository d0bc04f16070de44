"""WeCom callback messages → the core's Incoming, and the work one message takes.

Messages: https://developer.work.weixin.qq.com/document/path/90239 (接收普通消息)
Events: https://developer.work.weixin.qq.com/document/path/90240 (接收事件; template_card_event)
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from bot.channels.wechat.tokens import TokenError
from bot.channels.wechat.xml import field
from bot.channels.wecom.api import CHANNEL, WecomApi, WecomApiError, WecomUnavailableError
from bot.channels.wecom.texts import wt
from handlers import dispatch, identity_events
from handlers.deps import Deps
from handlers.messages import Incoming, MediaRef, Reply

log = logging.getLogger(__name__)

Kind = Literal["message", "image", "subscribe", "unsubscribe", "unsupported", "ignore"]
# Button clicks on our cards, and clicks on the app's own menu: both carry a payload.
BUTTON_EVENTS = frozenset({"template_card_event", "click"})
PHOTO_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}


@dataclass(frozen=True)
class Inbound:
    """One parsed callback: who, what to do, and the key that makes a retry the same message."""

    kind: Kind
    userid: str
    dedupe_key: str
    incoming: Incoming | None = None
    media_id: str = ""


def classify(message: dict[str, object], agent_id: int) -> Inbound | None:
    """The Inbound for a decrypted message; None when it names no sender (not WeCom's)."""
    userid = field(message, "FromUserName")
    if not userid:
        return None
    msg_type = field(message, "MsgType").lower()
    agent = field(message, "AgentID")
    if agent and agent != str(agent_id):
        # Another app of the corp sharing our callback settings: not ours to answer.
        return Inbound("ignore", userid, f"wecom:other-agent:{agent}")
    if msg_type == "event":
        return _event(message, userid)
    msg_id = field(message, "MsgId") or f"{userid}:{field(message, 'CreateTime')}"
    key = f"wecom:msg:{msg_id}"
    incoming = Incoming(CHANNEL, userid, text=field(message, "Content"), message_id=msg_id)
    if msg_type == "text":
        return Inbound("message", userid, key, incoming)
    if msg_type == "image":
        return Inbound("image", userid, key, replace(incoming, text=""), field(message, "MediaId"))
    return Inbound("unsupported", userid, key)  # voice, video, file, location, link


def _event(message: dict[str, object], userid: str) -> Inbound:
    event = field(message, "Event")
    payload = field(message, "EventKey")
    # Two clicks in one second on two cards are two events: the key and task tell them apart.
    digest = hashlib.sha1(f"{payload}|{field(message, 'TaskId')}".encode()).hexdigest()[:12]
    key = f"wecom:evt:{userid}:{field(message, 'CreateTime')}:{event}:{digest}"
    if event in BUTTON_EVENTS and payload:
        button = payload if payload.startswith("/") else "/" + payload
        return Inbound("message", userid, key, Incoming(CHANNEL, userid, button=button))
    if event in ("subscribe", "unsubscribe"):
        return Inbound(event, userid, key)  # type: ignore[arg-type]
    return Inbound("ignore", userid, key)  # enter_agent, LOCATION, view, batch jobs…


async def process(inbound: Inbound, deps: Deps, api: WecomApi) -> tuple[Reply, ...]:
    """Do what the message asks; the replies to send (none when nothing is to be said)."""
    if inbound.kind == "unsubscribe":
        await asyncio.to_thread(identity_events.mark_unreachable, deps, CHANNEL, inbound.userid)
        return ()
    if inbound.kind == "subscribe":
        bound = await asyncio.to_thread(identity_events.subscribed, deps, CHANNEL, inbound.userid)
        return (Reply(wt("welcome_back" if bound else "welcome")),)
    if inbound.kind == "unsupported":
        return (Reply(wt("unsupported")),)
    incoming = inbound.incoming
    if incoming is None:
        return ()
    if inbound.kind == "image":
        media = await _download_photo(inbound, deps, api)
        if media is None:
            return (Reply(wt("photo_failed")),)
        incoming = replace(incoming, media=media)
    outcome = await asyncio.to_thread(dispatch.handle, incoming, deps)
    return outcome.replies


async def _download_photo(inbound: Inbound, deps: Deps, api: WecomApi) -> MediaRef | None:
    """A staff photo (temporary media, 3 days at WeCom): fetch and keep it now."""
    try:
        content, ctype = await api.download_media(inbound.media_id)
    except (WecomApiError, WecomUnavailableError, TokenError) as err:
        log.warning("wecom photo %s not downloaded: %s", inbound.media_id[:12], err)
        return None
    day = deps.clock().astimezone(deps.settings.timezone).strftime("%Y%m%d")
    name = uuid.uuid4().hex + PHOTO_SUFFIXES.get(ctype, ".bin")
    path = Path(deps.settings.media_dir) / CHANNEL / day / name
    await asyncio.to_thread(_write, path, content)
    return MediaRef("photo", str(path), ctype)


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(content)
    partial.replace(path)  # never leave a half-written photo under the real name
