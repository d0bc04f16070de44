"""The message contract between channel adapters and the core: nothing platform-shaped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Button:
    """A choice; `payload` comes back as `Incoming.button` when pressed (or typed as its number)."""

    title: str
    payload: str


@dataclass(frozen=True)
class MediaRef:
    """A photo/video/voice/file an adapter has already downloaded and stored (`ref` = stored path)."""

    kind: Literal["photo", "video", "voice", "file"]
    ref: str
    content_type: str = ""


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    label: str = ""


@dataclass(frozen=True)
class Incoming:
    """One message from one chat account on one channel."""

    channel: str  # web/terminal/telegram/wechat/wecom
    external_id: str
    text: str = ""
    button: str | None = None  # a Button.payload
    media: MediaRef | None = None
    location: Location | None = None
    message_id: str | None = None
    display_name: str = ""


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()
    image: str | None = None  # URL or stored path

    def as_dict(self) -> dict[str, object]:
        """The JSON shape the web channel and `bot chat --jsonl` print."""
        out: dict[str, object] = {
            "text": self.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
        }
        if self.image:
            out["image"] = self.image
        return out


@dataclass(frozen=True)
class Outcome:
    """What a capability returns: replies, and the dialogue state to keep (None = clear)."""

    replies: tuple[Reply, ...] = field(default_factory=tuple)
    state: dict[str, object] | None = None
