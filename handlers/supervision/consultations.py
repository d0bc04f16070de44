"""Consultations (征求意见): a question with choices and room for comments.

Sent to the managers of the companies in scope and, where the channel allows such a push
(Telegram, web chat), to owners in scope. Answers come back through the chat — a button,
or `意见 Q3 2 理由…` — one per account, changeable until it closes; results by community
and company.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime

import handlers.texts.supervision  # noqa: F401 - registers the texts used here
from handlers import notify
from handlers.errors import Invalid, NotFound
from handlers.messages import Button, Outcome, Reply
from handlers.notify import local_time, payload
from handlers.supervision import cases
from handlers.supervision.policies import OWNER_PUSH_CHANNELS
from handlers.supervision.scope import RegulatorScope, communities, company_ids
from handlers.texts import t
from handlers.turn import Turn
from storage.models import ChannelIdentity, Consultation, ConsultationAnswer
from storage.uow import UnitOfWork

_TYPED = re.compile(r"^\s*意见\s*[Qq]\s*(\d+)\s+(\d+)\s*(.*)$", re.S)


def open_consultation(
    uow: UnitOfWork, scope: RegulatorScope, question: str, choices: list[str],
    closes_at: datetime, now: datetime,
) -> tuple[Consultation, int]:
    """Store it and push it; (consultation, pushes)."""
    choices = [c.strip() for c in choices if c.strip()]
    if not question.strip() or len(choices) < 2:
        raise Invalid("sup_consultation_bad")
    if closes_at <= now:
        raise Invalid("supervision_bad_deadline", deadline=closes_at.isoformat())
    found = Consultation(regulator_id=scope.regulator_id, district=scope.district, street=scope.street,
                         question=question.strip(), choices=json.dumps(choices, ensure_ascii=False),
                         opened_at=now, closes_at=closes_at)
    uow.session.add(found)
    uow.flush()
    places = communities(uow, scope)
    targets = [i for cid in sorted(company_ids(uow, scope))
               for m in cases.company_managers(uow, cid) for i in uow.identities.for_staff(m.id)]
    targets += [i for i in uow.supervision.owner_identities([c.id for c in places])
                if i.channel in OWNER_PUSH_CHANNELS and i.verified]
    pushes = sum(_push(uow, found, i, now) for i in targets)
    return found, pushes


def _push(uow: UnitOfWork, found: Consultation, identity: ChannelIdentity, now: datetime) -> int:
    loc = identity.locale or "zh"
    choices = json.loads(found.choices)
    lines = "\n".join(f"{n}. {c}" for n, c in enumerate(choices, start=1))
    text = t("sup_consultation_push", loc, id=found.id, question=found.question, choices=lines,
             closes=local_time(found.closes_at, loc))
    buttons = tuple(Button(f"{n}. {c}"[:20], payload("consultation_answer", consultation=found.id, choice=n))
                    for n, c in enumerate(choices, start=1))
    msg = notify.push(uow, identity, "consultation", text, buttons,
                      dedupe_key=f"consultation:{found.id}:{identity.id}", now=now)
    return int(msg is not None)


def typed_answer(turn: Turn) -> str | None:
    """`意见 Q3 2 理由` as the payload of the answer action, else None."""
    match = _TYPED.match(turn.text or "")
    if match is None:
        return None
    return payload("consultation_answer", consultation=match.group(1), choice=match.group(2),
                   comment=match.group(3).strip()[:1000])


def consultation_answer(turn: Turn) -> Outcome:
    """Record this account's answer (replacing an earlier one while it is open)."""
    ref, choice = turn.entity("consultation") or "0", turn.entity("choice") or "0"
    if not (ref.isdigit() and choice.isdigit()):
        raise NotFound("sup_consultation_not_found", id=ref)
    row, changed = answer(turn.uow, int(ref), turn.identity, int(choice),
                          turn.entity("comment") or "", turn.now)
    key = "sup_consultation_changed" if changed else "sup_consultation_thanks"
    chosen = json.loads(turn.uow.session.get(Consultation, row.consultation_id).choices)[row.choice - 1]
    return Outcome((Reply(t(key, turn.locale, id=row.consultation_id, choice=chosen)),))


def answer(
    uow: UnitOfWork, consultation_id: int, identity: ChannelIdentity, choice: int, comment: str,
    now: datetime,
) -> tuple[ConsultationAnswer, bool]:
    """Upsert one account's answer; (row, was it a change?). Only accounts in scope, only while open."""
    found = uow.session.get(Consultation, consultation_id)
    scope = RegulatorScope(found.district, found.street) if found else None
    community_id, company_id, role = _whose(uow, identity, scope) if scope else (None, None, "")
    if found is None or not role:
        raise NotFound("sup_consultation_not_found", id=consultation_id)
    if now >= found.closes_at:
        raise Invalid("sup_consultation_closed", id=consultation_id)
    if not 1 <= choice <= len(json.loads(found.choices)):
        raise Invalid("sup_consultation_bad_choice", id=consultation_id)
    row = uow.supervision.consultation_answer(consultation_id, identity.id)
    changed = row is not None
    if row is None:
        row = ConsultationAnswer(consultation_id=consultation_id, identity_id=identity.id)
        uow.session.add(row)
    row.community_id, row.company_id, row.role = community_id, company_id, role
    row.choice, row.answered_at = choice, now
    row.comment = comment.strip()[:1000] or (row.comment if changed else "")
    uow.flush()
    return row, changed


def _whose(uow: UnitOfWork, identity: ChannelIdentity, scope: RegulatorScope) -> tuple[int | None, int | None, str]:
    """(community, company, role) of an account inside the scope; role "" when outside it."""
    if identity.staff_id:
        staff = uow.org.staff(identity.staff_id)
        if staff is not None and staff.company_id in company_ids(uow, scope):
            return None, staff.company_id, "staff"
    if identity.owner_id and identity.verified:
        for home in uow.identities.homes_of(identity.owner_id):
            community = home.building.community
            if scope.covers(community):
                return community.id, community.company_id, "owner"
    return None, None, ""


def results(uow: UnitOfWork, scope: RegulatorScope, consultation_id: int, now: datetime) -> dict[str, object]:
    """Counts per choice overall, by community (owners) and by company; the comments."""
    found = uow.session.get(Consultation, consultation_id)
    if found is None or found.district != scope.district or (scope.street and found.street != scope.street):
        raise NotFound("sup_consultation_not_found", id=consultation_id)
    choices = json.loads(found.choices)
    rows = uow.supervision.consultation_answers(consultation_id)

    def counts(subset: list[ConsultationAnswer]) -> list[int]:
        tally = Counter(r.choice for r in subset)
        return [tally.get(n, 0) for n in range(1, len(choices) + 1)]

    def grouped(key: str, name: object) -> list[dict[str, object]]:
        ids = sorted({getattr(r, key) for r in rows if getattr(r, key) is not None})
        return [{"id": i, "name": name(i), "counts": counts([r for r in rows if getattr(r, key) == i])}
                for i in ids]

    return {"id": found.id, "question": found.question, "choices": choices,
            "status": "open" if now < found.closes_at else "closed",
            "closes_at": found.closes_at.isoformat(), "total": counts(rows),
            "by_community": grouped("community_id", lambda i: uow.org.community(i).name),
            "by_company": grouped("company_id", lambda i: uow.org.company(i).name),
            "comments": [{"choice": r.choice, "role": r.role, "comment": r.comment} for r in rows if r.comment]}
