"""Rectification notices (整改通知): issued → answered → accepted | returned; → overdue.

The regulator issues one to a company in its scope (optionally on a case), the company's
managers are pushed at once, a manager answers with text and photos (chat: `整改 Z12 …`,
photos first), the regulator accepts or returns it. A notice still issued or returned after
its deadline is flagged overdue by the `supervision_escalations` job; `overdue_at` stays
set and counts in the grade. A case's owner hears each step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import handlers.texts.supervision  # noqa: F401 - registers the texts used here
from handlers.errors import DomainError, Invalid, NotFound
from handlers.supervision import cases, credit
from handlers.supervision.scope import RegulatorScope, company_ids, require_case
from handlers.texts import t
from storage.models import RectificationNotice, RectificationPhoto
from storage.uow import UnitOfWork

ANSWERABLE = ("issued", "returned", "overdue")


class BadRectificationStep(DomainError):
    """A step the state machine does not allow (accepting an unanswered notice…)."""

    text_key = "supervision_bad_transition"


def issue(
    uow: UnitOfWork, scope: RegulatorScope, company_ref: str | int, text: str, deadline: date,
    now: datetime, tz: ZoneInfo, case_id: int | None = None,
) -> RectificationNotice:
    """A new notice to a company of the scope; managers (and the case's owner) pushed now."""
    company = uow.supervision.company_by_ref(company_ref)
    if company is None or company.id not in company_ids(uow, scope):
        raise NotFound("supervision_company_not_found", company=company_ref)
    if not text.strip():
        raise Invalid("supervision_empty_text")
    today = now.astimezone(tz).date()
    if deadline <= today:
        raise Invalid("supervision_bad_deadline", deadline=deadline.isoformat())
    found = require_case(uow, scope, case_id) if case_id is not None else None
    if found is not None and found.company_id not in (None, company.id):
        raise NotFound("supervision_case_not_found", case=case_id)
    notice = uow.supervision.add_rectification(RectificationNotice(
        company_id=company.id, issued_on=today, due_on=deadline, reason=text.strip()[:4000],
        status="issued", case_id=found.id if found else None, regulator_id=scope.regulator_id,
        answer="", decision_note="",
    ))
    _audit(uow, scope, notice, "rectification_issued", now)
    _managers(uow, notice, "issued", now, text=notice.reason)
    if found is not None:
        cases.tell_owner(uow, found, "sup_push_owner_issued", now, f"issued:{notice.id}",
                         deadline=deadline.isoformat())
    return notice


def answer(
    uow: UnitOfWork, company_id: int, notice_id: int, text: str, photos: Sequence[str],
    now: datetime, actor: str,
) -> RectificationNotice:
    """The company's answer: what it did, with photos. Only its own notices."""
    notice = uow.supervision.rectification(notice_id, for_update=True)
    if notice is None or notice.company_id != company_id:
        raise NotFound("supervision_rectification_not_found", notice=notice_id)
    if notice.status not in ANSWERABLE:
        raise BadRectificationStep("sup_answer_not_open", notice=notice.id,
                                   status=t(f"sup_status_{notice.status}"))
    if not text.strip():
        raise Invalid("supervision_empty_text")
    notice.status, notice.answer, notice.answered_at = "answered", text.strip()[:4000], now
    for ref in photos:
        uow.supervision.add_photo(RectificationPhoto(rectification_id=notice.id, ref=ref, created_at=now))
    uow.audit.record(now, actor=actor, action="rectification_answered", target=f"Z{notice.id}",
                     detail={"photos": len(photos)})
    _owner(uow, notice, "answered", now, answer=notice.answer[:200])
    return notice


def accept(
    uow: UnitOfWork, scope: RegulatorScope, notice_id: int, now: datetime, note: str = "",
) -> RectificationNotice:
    """The regulator accepts an answer; the notice's case closes."""
    notice = _in_scope(uow, scope, notice_id)
    _require(notice, ("answered",), "accept")
    notice.status, notice.decided_at, notice.decision_note = "accepted", now, note[:2000]
    _audit(uow, scope, notice, "rectification_accepted", now)
    if notice.overdue_at is None:
        credit.record(uow, notice.company_id, "good", "rectification",
                      credit.record_text("sup_record_accepted", notice=notice.id),
                      now.date(), ref=f"Z{notice.id}", by=f"regulator:{scope.regulator_id or '-'}")
    _managers(uow, notice, "accepted", now)
    _owner(uow, notice, "accepted", now)
    if notice.case_id is not None:
        cases.close_case(uow, scope, notice.case_id, now, note)
    return notice


def send_back(
    uow: UnitOfWork, scope: RegulatorScope, notice_id: int, now: datetime, tz: ZoneInfo,
    note: str, deadline: date | None = None,
) -> RectificationNotice:
    """The regulator returns an answer as not enough, with a reason and maybe a new deadline."""
    notice = _in_scope(uow, scope, notice_id)
    _require(notice, ("answered",), "return")
    if not note.strip():
        raise Invalid("supervision_empty_text")
    if deadline is not None:
        if deadline <= now.astimezone(tz).date():
            raise Invalid("supervision_bad_deadline", deadline=deadline.isoformat())
        notice.due_on = deadline
    notice.status, notice.decided_at, notice.decision_note = "returned", now, note.strip()[:2000]
    _audit(uow, scope, notice, "rectification_returned", now)
    step = f"returned:{notice.decided_at.isoformat()}"
    _managers(uow, notice, step, now, note=notice.decision_note)
    _owner(uow, notice, step, now)
    return notice


def flag_overdue(uow: UnitOfWork, now: datetime, tz: ZoneInfo) -> tuple[int, int]:
    """Issued or returned notices past their deadline become overdue; (flagged, pushes)."""
    flagged = uow.supervision.rectifications_due_before(now.astimezone(tz).date())
    pushes = 0
    for notice in flagged:
        notice.status = "overdue"
        notice.overdue_at = notice.overdue_at or now
        uow.audit.record(now, actor="system", action="rectification_overdue", target=f"Z{notice.id}")
        credit.record(uow, notice.company_id, "bad", "rectification",
                      credit.record_text("sup_record_overdue", notice=notice.id,
                                         deadline=notice.due_on.isoformat()),
                      now.astimezone(tz).date(), ref=f"Z{notice.id}", by="system")
        pushes += _managers(uow, notice, "overdue", now) + _owner(uow, notice, "overdue", now)
    return len(flagged), pushes


def list_for(uow: UnitOfWork, scope: RegulatorScope, status: str | None = None) -> list[dict[str, object]]:
    """The scope's notices, newest first."""
    notices = uow.supervision.rectifications(company_ids(uow, scope), [status] if status else None)
    return [view(uow, n) for n in notices]


def view(uow: UnitOfWork, notice: RectificationNotice) -> dict[str, object]:
    """One notice as the API shows it."""
    company = uow.org.company(notice.company_id)
    return {
        "id": notice.id, "number": f"Z{notice.id}", "status": notice.status,
        "company": company.name if company else None, "company_id": notice.company_id,
        "case_id": notice.case_id, "text": notice.reason, "issued_on": notice.issued_on.isoformat(),
        "deadline": notice.due_on.isoformat(), "answer": notice.answer,
        "answered_at": notice.answered_at.isoformat() if notice.answered_at else None,
        "photos": [p.ref for p in uow.supervision.photos(notice.id)],
        "decision_note": notice.decision_note, "overdue": notice.overdue_at is not None,
    }


def _in_scope(uow: UnitOfWork, scope: RegulatorScope, notice_id: int) -> RectificationNotice:
    notice = uow.supervision.rectification(notice_id, for_update=True)
    if notice is None or notice.company_id not in company_ids(uow, scope):
        raise NotFound("supervision_rectification_not_found", notice=notice_id)
    return notice


def _require(notice: RectificationNotice, allowed: tuple[str, ...], action: str) -> None:
    if notice.status not in allowed:
        raise BadRectificationStep(notice=notice.id, status=t(f"sup_status_{notice.status}"),
                                   action=action)


def _audit(uow: UnitOfWork, scope: RegulatorScope, notice: RectificationNotice, action: str, now: datetime) -> None:
    uow.audit.record(now, actor=f"regulator:{scope.regulator_id or '-'}", action=action,
                     target=f"Z{notice.id}", detail={"company": notice.company_id, "case": notice.case_id})


def _issuer(uow: UnitOfWork, notice: RectificationNotice) -> str:
    regulator = uow.supervision.regulator(notice.regulator_id) if notice.regulator_id else None
    if regulator is not None:
        return regulator.department or regulator.name
    return t("sup_follower_unknown")


def _managers(uow: UnitOfWork, notice: RectificationNotice, step: str, now: datetime, **extra: object) -> int:
    key = f"sup_push_manager_{step.split(':')[0]}"
    return len(cases.tell_managers(uow, notice.company_id, key, now, f"rectification:{notice.id}:{step}",
                        notice=notice.id, issuer=_issuer(uow, notice),
                        deadline=notice.due_on.isoformat(), **{"text": "", "note": "", **extra}))


def _owner(uow: UnitOfWork, notice: RectificationNotice, step: str, now: datetime, **extra: object) -> int:
    found = uow.supervision.case(notice.case_id) if notice.case_id is not None else None
    if found is None:
        return 0
    return len(cases.tell_owner(uow, found, f"sup_push_owner_{step.split(':')[0]}", now,
                                f"{step}:{notice.id}", deadline=notice.due_on.isoformat(), **extra))
