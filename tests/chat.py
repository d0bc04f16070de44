"""The chat harness: a dialogue test is `replies = chat.say("我家物业费还欠多少")`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers import dispatch
from handlers.deps import Deps
from handlers.messages import Incoming, Location, MediaRef, Reply
from storage.models import ChannelIdentity


class FakeClock:
    """An injectable clock that only moves when told to."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now


@dataclass
class Chat:
    deps: Deps
    user: str = "owner-1"
    channel: str = "web"
    transcript: list[tuple[str, list[Reply]]] = field(default_factory=list)

    def say(self, text: str, **forced: object) -> list[Reply]:
        """Send text; `intent="check_bill", entities={...}` bypasses the NLU (unit tests)."""
        if forced:
            entities = forced.get("entities") or {}
            payload = f"/{forced['intent']}" + (json.dumps(entities, ensure_ascii=False) if entities else "")
            return self._send(Incoming(self.channel, self.user, text=text, button=payload))
        return self._send(Incoming(self.channel, self.user, text=text))

    def press(self, payload: str) -> list[Reply]:
        return self._send(Incoming(self.channel, self.user, button=payload))

    def photo(self, ref: str, text: str = "") -> list[Reply]:
        return self._send(Incoming(self.channel, self.user, text=text, media=MediaRef("photo", ref, "image/jpeg")))

    def location(self, lat: float, lon: float, label: str = "") -> list[Reply]:
        return self._send(Incoming(self.channel, self.user, location=Location(lat, lon, label)))

    def _send(self, incoming: Incoming) -> list[Reply]:
        replies = list(dispatch.handle(incoming, self.deps).replies)
        self.transcript.append((incoming.text or incoming.button or "", replies))
        return replies

    def text(self, replies: list[Reply]) -> str:
        return "\n".join(r.text for r in replies)

    def bind_to(self, home_id: int, owner_id: int) -> None:
        """Bind this chat account directly (for tests that are not about binding)."""
        now = self.deps.clock()
        with self.deps.uow() as uow:
            identity = uow.session.query(ChannelIdentity).filter_by(
                channel=self.channel, external_id=self.user
            ).one_or_none()
            if identity is None:
                identity = ChannelIdentity(channel=self.channel, external_id=self.user, created_at=now)
                uow.session.add(identity)
            identity.owner_id, identity.home_id, identity.verified = owner_id, home_id, True
            uow.commit()
