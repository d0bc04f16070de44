"""Binding letters: one printable page per home with its invite code and a link to bind.

The office prints a building's letters and slips one under each door. Printing again gives
every home of the selection a fresh code and expires the older unused ones (the same rule as
`invite --community … --all`): only the newest printed letter works, so a lost letter can be
replaced and the lost code stops working.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

import handlers.texts.letters  # noqa: F401 - registers the letter texts
from handlers.binding import issue_invite
from handlers.errors import Invalid, NotFound
from handlers.office import audit
from handlers.office.access import Actor, in_scope, require
from storage.uow import UnitOfWork

MAX_HOMES_PER_BATCH = 2000  # one print run; a whole community goes building by building


@dataclass(frozen=True)
class LetterLinks:
    """Where a scanned letter leads: a Telegram deep link when the bot's username is set, else
    the web chat (the adapter signs the link so it works outside demo mode too)."""

    web_link: Callable[[str, datetime], str]  # (code, expires) → URL that binds with the code
    telegram_bot_username: str = ""

    def for_code(self, code: str, expires: datetime) -> tuple[str, str]:
        """(channel label, URL) the QR code opens."""
        if self.telegram_bot_username:
            return "Telegram", f"https://t.me/{self.telegram_bot_username}?start={quote(code)}"
        return "网页", self.web_link(code, expires)


@dataclass(frozen=True)
class Letter:
    """One home's page."""

    community: str
    home: str  # "3-2-501"
    code: str
    expires_at: datetime
    channel: str
    url: str


@dataclass(frozen=True)
class LetterBatch:
    """Everything the PDF needs: the pages and the office's phone for the footer."""

    community: str
    building: str
    service_phone: str
    letters: tuple[Letter, ...]


def building_letters(
    uow: UnitOfWork, actor: Actor, community_name: str, building: str | None,
    homes: list[str] | None, now: datetime, links: LetterLinks, ttl_days: int,
) -> LetterBatch:
    """Issue fresh codes for a building (or a list of homes) of a community in scope."""
    require(actor, "letters.print")
    community = uow.org.community_by_name(community_name.strip())
    in_scope(actor, community)  # another company's community: 404 like a missing one
    assert community is not None
    selected = [
        h for h in uow.org.homes_in_community(community.id)
        if (building is None or h.building.name == building) and (not homes or h.label in homes)
        and _home_in_scope(actor, community, h.building_id)
    ]
    if not selected:
        raise NotFound("letters_no_homes")
    if len(selected) > MAX_HOMES_PER_BATCH:
        raise Invalid("letters_too_many", limit=MAX_HOMES_PER_BATCH)
    letters = []
    for home in sorted(selected, key=lambda h: _sort_key(h.label)):
        for old in uow.identities.open_invites_for_home(home.id, now):
            old.expires_at = now  # only the newest printed letter works
        code = issue_invite(uow, now, home_id=home.id, ttl_days=ttl_days)
        expires = now + timedelta(days=ttl_days)
        channel, url = links.for_code(code, expires)
        letters.append(Letter(community.name, home.label, code, expires, channel, url))
    audit.record(uow, actor, "letters.print", f"community:{community.id}", now,
                 building=building, homes=len(letters))
    return LetterBatch(community.name, building or "", community.service_phone, tuple(letters))


def _home_in_scope(actor: Actor, community: object, building_id: int) -> bool:
    try:
        in_scope(actor, community, building_id)  # type: ignore[arg-type]
    except NotFound:
        return False
    return True


def _sort_key(label: str) -> tuple[int | str, ...]:
    """3-2-501 before 3-2-1001 and 12-1-101 after 3-…: number-aware order, as on the doors."""
    return tuple(int(part) if part.isdigit() else part for part in label.split("-"))
