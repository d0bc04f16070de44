"""The return visit (回访): solved? (已解决/未解决) and satisfied? (满意/基本满意/不满意).

It replaces the bare satisfaction request: a star rating answers "satisfied?" (4–5 满意,
3 基本满意, 1–2 不满意) and counts as 已解决; "没修好" / reopening answers 未解决. Staff
calling an owner back (or a 12345 return visit) record both answers with `record_answer`.
"""

from __future__ import annotations

from datetime import datetime

from handlers.errors import Invalid
from storage.models import ReturnVisit, Ticket
from storage.models.supervision import SATISFACTION_ANSWERS
from storage.uow import UnitOfWork

STAR_SATISFACTION = {5: "satisfied", 4: "satisfied", 3: "basic", 2: "dissatisfied", 1: "dissatisfied"}


def satisfaction_of_stars(rating: int) -> str:
    """1–5 stars → satisfied / basic / dissatisfied."""
    if rating not in STAR_SATISFACTION:
        raise Invalid(reason=f"rating {rating}")
    return STAR_SATISFACTION[rating]


def record_rating(uow: UnitOfWork, ticket: Ticket, rating: int, actor: str, now: datetime) -> ReturnVisit:
    """A star rating: solved, with the satisfaction its stars map to."""
    return uow.supervision.add_visit(ReturnVisit(
        ticket_id=ticket.id, at=now, solved=True, satisfaction=satisfaction_of_stars(rating),
        rating=rating, source="rating", actor=actor[:40],
    ))


def record_not_solved(uow: UnitOfWork, ticket: Ticket, actor: str, now: datetime) -> ReturnVisit:
    """"没修好" / a reopen: not solved; satisfaction not asked."""
    return uow.supervision.add_visit(ReturnVisit(
        ticket_id=ticket.id, at=now, solved=False, satisfaction=None, rating=None,
        source="reopen", actor=actor[:40],
    ))


def record_answer(
    uow: UnitOfWork, ticket: Ticket, solved: bool | None, satisfaction: str | None,
    actor: str, now: datetime,
) -> ReturnVisit:
    """Both answers as given on a call-back (either may be None: not answered)."""
    if satisfaction is not None and satisfaction not in SATISFACTION_ANSWERS:
        raise Invalid(reason=f"satisfaction {satisfaction}")
    return uow.supervision.add_visit(ReturnVisit(
        ticket_id=ticket.id, at=now, solved=solved, satisfaction=satisfaction, rating=None,
        source="call", actor=actor[:40],
    ))
