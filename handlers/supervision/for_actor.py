"""The supervision use cases for a console `Actor`: permission first, then its scope.

A staff member lacks the permissions (403); a regulator sees only its district/street, and
anything outside it is NotFound (404).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers.errors import Invalid
from handlers.office.access import Actor, require
from handlers.supervision import cases, metrics, rectifications
from handlers.supervision.scope import RegulatorScope, require_case
from handlers.supervision.settings import SupervisionSettings
from storage.uow import UnitOfWork


def scope_of_actor(uow: UnitOfWork, actor: Actor, permission: str) -> RegulatorScope:
    """The regulator scope of a console actor holding `permission`."""
    require(actor, permission)
    account = uow.console.account(actor.account_id)
    return RegulatorScope(actor.scope.district, actor.scope.street,
                          account.regulator_id if account else None, actor.name)


def quality(
    uow: UnitOfWork, actor: Actor, month: str, now: datetime, settings: SupervisionSettings, tz: ZoneInfo,
) -> dict[str, object]:
    """The month's figures of the actor's district/street."""
    return metrics.quality(uow, scope_of_actor(uow, actor, "supervision.read"), month, now, settings, tz)


def case_list(
    uow: UnitOfWork, actor: Actor, status: str | None, cursor: int | None, limit: int,
) -> list[dict[str, object]]:
    """The actor's cases, newest first."""
    return cases.list_cases(uow, scope_of_actor(uow, actor, "supervision.read"), status, cursor, limit)


def case_detail(uow: UnitOfWork, actor: Actor, case_id: int) -> dict[str, object]:
    """One case in scope, with its rectification notices."""
    scope = scope_of_actor(uow, actor, "supervision.read")
    found = require_case(uow, scope, case_id)
    notices = [rectifications.view(uow, n) for n in uow.supervision.rectifications(
        [found.company_id] if found.company_id else []) if n.case_id == found.id]
    return {**cases.case_view(uow, found), "rectifications": notices}


def issue(
    uow: UnitOfWork, actor: Actor, company: str | int, text: str, deadline: str,
    case_id: int | None, now: datetime, tz: ZoneInfo,
) -> dict[str, object]:
    """A rectification notice from the console; the deadline as YYYY-MM-DD."""
    scope = scope_of_actor(uow, actor, "supervision.act")
    try:
        day = date.fromisoformat(deadline)
    except ValueError as err:
        raise Invalid("supervision_bad_deadline", deadline=deadline) from err
    notice = rectifications.issue(uow, scope, company, text, day, now, tz, case_id=case_id)
    return rectifications.view(uow, notice)
