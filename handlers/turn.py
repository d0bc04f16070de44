"""A Turn: one incoming message with everything a capability needs to answer it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from handlers.deps import Deps
from handlers.messages import Incoming
from storage.models import ChannelIdentity
from storage.uow import UnitOfWork


@dataclass
class Turn:
    incoming: Incoming
    identity: ChannelIdentity
    uow: UnitOfWork
    deps: Deps
    now: datetime
    locale: str  # "zh" or "en"
    parse: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)  # the active flow's state, {} if none

    @property
    def intent(self) -> str:
        return str(self.parse.get("intent", {}).get("name") or "")

    @property
    def text(self) -> str:
        return self.incoming.text

    def entity(self, name: str) -> str | None:
        """The first value of entity `name`, or None."""
        for ent in self.parse.get("entities", []):
            if ent.get("entity") == name:
                return str(ent.get("value"))
        return None

    def entities(self, name: str) -> list[str]:
        return [str(e["value"]) for e in self.parse.get("entities", []) if e.get("entity") == name]

    @property
    def actor(self) -> str:
        """Who acts, for the audit log and ticket timeline."""
        if self.identity.staff_id:
            return f"staff:{self.identity.staff_id}"
        if self.identity.owner_id:
            return f"owner:{self.identity.owner_id}"
        return f"identity:{self.identity.id}"
