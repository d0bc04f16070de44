"""Run a conversation through the real NLU and dispatch on a fresh demo database."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from bot.conversations.spec import Conversation, Step
from handlers import dispatch
from handlers.binding import CODE_ALPHABET, is_bare_code
from handlers.demo_seed import content
from handlers.deps import Deps, HandlerSettings, Parser
from handlers.jobs import JOBS
from handlers.messages import Button, Incoming, MediaRef, Reply
from storage.db import make_session_factory
from storage.models import (
    Building,
    ChannelIdentity,
    Community,
    Home,
    HomeMember,
    InviteCode,
    OutboxMessage,
    Staff,
    Ticket,
)
from storage.stores.memory import MemoryClaimStore, MemoryKeyValueStore
from storage.uow import UnitOfWork


class ConversationClock:
    """The conversation's `now`; moves only on a `wait` step."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        """Seconds for the in-memory stores' expiry, moving with `now`."""
        return self.now.timestamp()


@dataclass
class Result:
    """How one conversation went: passed, or the first failing step and why."""

    conversation: Conversation
    passed: bool
    failed_step: int | None = None  # 1-based
    reason: str = ""
    transcript: list[tuple[str, str]] = field(default_factory=list)  # (sent, replies)

    @property
    def status(self) -> str:
        """passed / failed / xfail (failed as expected) / xpass (a known failure now passes)."""
        if self.conversation.xfail:
            return "xpass" if self.passed else "xfail"
        return "passed" if self.passed else "failed"


class StepFailed(AssertionError):
    """A step's replies did not show what the conversation expects."""


def run_conversation(conversation: Conversation, engine: Engine, parser: Parser,
                     settings: HandlerSettings) -> Result:
    """Play every step against `engine` (a fresh demo database); stop at the first failure."""
    clock = ConversationClock(conversation.now)
    session_factory = make_session_factory(engine)
    deps = Deps(
        uow=lambda: UnitOfWork(session_factory), parser=parser,
        state=MemoryKeyValueStore(clock.monotonic), claims=MemoryClaimStore(clock.monotonic),
        clock=clock, settings=settings,
    )
    player = _Player(conversation, deps, clock)
    result = Result(conversation, passed=True, transcript=player.transcript)
    try:
        player.setup()
        for number, step in enumerate(conversation.steps, 1):
            result.failed_step = number
            player.play(step)
        result.failed_step = None
    except StepFailed as failure:
        result.passed, result.reason = False, str(failure)
    except Exception as err:  # a crash in setup or a step is a failure of that conversation
        result.passed, result.reason = False, f"{type(err).__name__}: {err}"
    return result


class _Player:
    """Sends a conversation's steps as its speakers and checks what comes back."""

    def __init__(self, conversation: Conversation, deps: Deps, clock: ConversationClock) -> None:
        self.conversation = conversation
        self.deps = deps
        self.clock = clock
        self.accounts: dict[str, str] = {}  # speaker → external id
        self.last: list[Reply] = []
        self.transcript: list[tuple[str, str]] = []

    def setup(self) -> None:
        """Community settings, then the main speaker's account."""
        if self.conversation.community:
            with self.deps.uow() as uow:
                community = uow.session.scalars(
                    select(Community).where(Community.name == content.COMMUNITY["name"])).one()
                for key, value in self.conversation.community.items():
                    setattr(community, key, value)
                uow.commit()
        for code, whom in self.conversation.invites.items():
            _make_invite(self.deps, code, whom)
        self.account(self.conversation.speaker)

    def account(self, speaker: str) -> str:
        """The external id speaking as `speaker`, made (and bound) on first use."""
        if speaker not in self.accounts:
            external_id = f"conv-{len(self.accounts) + 1}"
            _make_account(self.deps, self.conversation.channel, external_id, speaker)
            self.accounts[speaker] = external_id
        return self.accounts[speaker]

    def play(self, step: Step) -> None:
        """Send one step and check it."""
        tickets_before, outbox_before = self._counts()
        replies = self._send(step)
        tickets_after, _ = self._counts()
        pushes = self._pushes_since(outbox_before)
        shown = "\n".join(r.text for r in replies)
        if step.kind == "job":
            shown = "\n".join(pushes)
        self.transcript.append((step.describe(), shown + _buttons_line(replies)))
        if step.kind != "wait":
            self.last = replies or self.last
        check(step, shown, replies, tickets_after - tickets_before, pushes)

    def _send(self, step: Step) -> list[Reply]:
        if step.kind == "wait":
            self.clock.now += _duration(step.value)
            return []
        if step.kind == "job":
            name = str(step.value)
            if name not in JOBS:
                raise StepFailed(f"unknown job {name!r}; jobs: {', '.join(JOBS)}")
            JOBS[name](self.deps, self.clock.now)
            return []
        speaker = step.speaker or self.conversation.speaker
        incoming = Incoming(self.conversation.channel, self.account(speaker))
        if step.kind == "user":
            incoming = replace(incoming, text=str(step.value))
        elif step.kind == "press":
            incoming = replace(incoming, button=self._button(step.value).payload)
        else:  # photo
            ref = self._photo(str(step.value))
            incoming = replace(incoming, text=step.text, media=MediaRef("photo", ref, "image/jpeg"))
        return list(dispatch.handle(incoming, self.deps).replies)

    def _button(self, wanted: Any) -> Button:
        offered = [b for r in self.last for b in r.buttons]
        if isinstance(wanted, int):
            if 1 <= wanted <= len(offered):
                return offered[wanted - 1]
        else:
            exact = [b for b in offered if b.title == str(wanted)]
            partial = [b for b in offered if str(wanted) in b.title]
            if exact or partial:
                return (exact or partial)[0]
        titles = " / ".join(b.title for b in offered) or "none"
        raise StepFailed(f"no button {wanted!r} to press; offered: {titles}")

    def _photo(self, name: str) -> str:
        folder = Path(self.deps.settings.media_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.conversation.name[:40]}-{name}.jpg".replace("/", "_")
        path.write_bytes(b"\xff\xd8\xff\xe0conversation-photo\xff\xd9")
        return str(path)

    def _counts(self) -> tuple[int, int]:
        with self.deps.uow() as uow:
            tickets = uow.session.scalar(select(func.count(Ticket.id))) or 0
            outbox = uow.session.scalar(select(func.max(OutboxMessage.id))) or 0
        return tickets, outbox

    def _pushes_since(self, outbox_id: int) -> list[str]:
        """Texts of the pushes written since `outbox_id` to this conversation's accounts."""
        ids = list(self.accounts.values())
        with self.deps.uow() as uow:
            rows = uow.session.scalars(
                select(OutboxMessage.payload).join(
                    ChannelIdentity, ChannelIdentity.id == OutboxMessage.identity_id)
                .where(OutboxMessage.id > outbox_id, ChannelIdentity.external_id.in_(ids),
                       ChannelIdentity.channel == self.conversation.channel)
                .order_by(OutboxMessage.id)).all()
        texts = []
        for payload in rows:
            try:
                texts.append(str(json.loads(payload).get("text") or payload))
            except (ValueError, AttributeError):
                texts.append(payload)
        return texts


def check(step: Step, shown: str, replies: list[Reply], tickets: int, pushes: list[str]) -> None:
    """Raise StepFailed naming the first expectation the step's replies do not meet."""
    titles = [b.title for r in replies for b in r.buttons]
    problems = [f"missing {s!r}" for s in step.expect if s not in shown]
    if step.expect_any and not any(s in shown for s in step.expect_any):
        problems.append(f"none of {list(step.expect_any)!r}")
    problems += [f"must not say {s!r}" for s in step.absent if s in shown]
    problems += [f"no match for /{p}/" for p in step.match if not re.search(p, shown)]
    problems += [f"must not match /{p}/" for p in step.not_match if re.search(p, shown)]
    problems += [f"no button {s!r} (offered: {titles})" for s in step.buttons
                 if not any(s in t for t in titles)]
    if step.no_buttons and titles:
        problems.append(f"buttons offered: {titles}")
    if step.tickets is not None and tickets != step.tickets:
        problems.append(f"{tickets} ticket(s) created, expected {step.tickets}")
    joined = "\n".join(pushes)
    problems += [f"no push saying {s!r}" for s in step.pushed if s not in joined]
    problems += [f"a push says {s!r}" for s in step.not_pushed if s in joined]
    if problems:
        raise StepFailed(f"{step.describe()} → {'; '.join(problems)}\n  replied: {shown!r}")


def _buttons_line(replies: list[Reply]) -> str:
    titles = [b.title for r in replies for b in r.buttons]
    return f"\n[{' | '.join(titles)}]" if titles else ""


def _duration(value: Any) -> timedelta:
    """`wait: {minutes: 31}` or `wait: 31m` / `2h` / `3d`."""
    if isinstance(value, dict):
        return timedelta(**{str(k): float(v) for k, v in value.items()})
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", str(value))
    if not found:
        raise StepFailed(f"wait {value!r}: use e.g. 30m, 2h, 3d or {{minutes: 30}}")
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[found.group(2)]
    return timedelta(**{unit: float(found.group(1))})


def _make_account(deps: Deps, channel: str, external_id: str, speaker: str) -> None:
    """Create the account for `unbound`, `owner [HOME]` or `staff NAME|ROLE`."""
    kind, _, arg = speaker.strip().partition(" ")
    now = deps.clock()
    with deps.uow() as uow:
        identity = uow.identities.get_or_create(channel, external_id, now)
        if kind == "owner":
            home_id, owner_id = _home_owner(uow, arg.strip() or "-".join(content.DEMO_HOME))
            identity.owner_id, identity.home_id, identity.verified = owner_id, home_id, True
        elif kind == "staff":
            identity.staff_id, identity.verified = _staff(uow, arg.strip() or "manager"), True
        elif kind != "unbound":
            raise StepFailed(f"`as: {speaker}`: use unbound, owner [B-U-R] or staff [NAME|ROLE]")
        uow.commit()


def _make_invite(deps: Deps, code: str, whom: str) -> None:
    """An unused invite code for a home's owner (`5-1-302`) or a staff member (`staff 张建军`)."""
    if not is_bare_code(code):
        raise StepFailed(f"invite {code!r}: codes are 8 of {CODE_ALPHABET} mixing letters and digits")
    now = deps.clock()
    with deps.uow() as uow:
        kind, _, arg = whom.partition(" ")
        home_id = None if kind == "staff" else _home_owner(uow, whom)[0]
        staff_id = _staff(uow, arg.strip()) if kind == "staff" else None
        uow.identities.add_invite(InviteCode(code=code, home_id=home_id, staff_id=staff_id,
                                             created_at=now, expires_at=now + timedelta(days=90)))
        uow.commit()


def _home_owner(uow: UnitOfWork, label: str) -> tuple[int, int]:
    building, unit, room = (label.split("-") + ["", "", ""])[:3]
    row = uow.session.execute(
        select(Home.id, HomeMember.owner_id).join(Building, Building.id == Home.building_id)
        .join(HomeMember, HomeMember.home_id == Home.id)
        .where(Building.name == building, Home.unit == unit, Home.room == room,
               HomeMember.role == "owner")).first()
    if row is None:
        raise StepFailed(f"no home {label!r} with an owner in the demo")
    return int(row[0]), int(row[1])


def _staff(uow: UnitOfWork, who: str) -> int:
    found = uow.session.scalars(select(Staff.id).where(
        (Staff.name == who) | (Staff.role == who)).order_by(Staff.id)).first()
    if found is None:
        raise StepFailed(f"no staff member or role {who!r} in the demo")
    return int(found)


