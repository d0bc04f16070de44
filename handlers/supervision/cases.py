"""Supervised cases (督办): opening them, who follows them, telling owners and managers.

A case opens on a complaint still open N working days after it was made (the
`supervision_escalations` job), or when the owner asks for the regulator in the chat and
agrees to share their data (handlers.supervision.escalation). The owner's personal data
reach the regulator only with that consent (`case.consent`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import handlers.texts.supervision  # noqa: F401 - registers the texts used here
from handlers import notify
from handlers.errors import Invalid
from handlers.supervision.scope import RegulatorScope, communities, require_case
from handlers.texts import t
from handlers.workdays import deadline_after
from storage.models import Community, OutboxMessage, Staff, SupervisedCase, Ticket
from storage.uow import UnitOfWork


def follower(uow: UnitOfWork, community: Community | None, locale: str = "zh") -> str:
    """Who follows a case in `community`: a regulator account's department, else the office."""
    if community is None or not community.district:
        return t("sup_follower_unknown", locale)
    found = uow.supervision.regulators_for(community.district, community.street)
    if found and found[0].department:
        return found[0].department
    if community.street:
        return t("sup_follower_street", locale, district=community.district, street=community.street)
    return t("sup_follower_district", locale, district=community.district)


def open_case(
    uow: UnitOfWork, ticket: Ticket, origin: str, now: datetime, *, consent: bool = False,
) -> tuple[SupervisedCase, bool]:
    """The case on `ticket`, opened now if it had none; (case, created?). Consent only grows."""
    existing = uow.supervision.case_of_ticket(ticket.id)
    if existing is not None:
        existing.consent = existing.consent or consent
        return existing, False
    community = uow.org.community(ticket.community_id)
    found = uow.supervision.add_case(SupervisedCase(
        ticket_id=ticket.id, company_id=community.company_id if community else None,
        community_id=ticket.community_id, owner_id=ticket.owner_id, origin=origin,
        consent=consent, status="open", opened_at=now, note="",
    ))
    uow.audit.record(now, actor="system", action="supervision_case_opened",
                     detail={"case": found.id, "ticket": ticket.number, "origin": origin})
    if found.company_id is not None:  # on the company's credit file (a bad record)
        from handlers.supervision import credit

        credit.record(uow, found.company_id, "bad", "case",
                      credit.record_text("sup_record_case", number=ticket.number, case=found.id),
                      now.date(), ref=f"D{found.id}", by="system")
    return found, True


def overdue_complaints(
    uow: UnitOfWork, now: datetime, workdays: int, tz: ZoneInfo
) -> list[Ticket]:
    """Open complaints without a case whose N-working-day deadline has passed."""
    from datetime import timedelta

    # N working days take at least N calendar days: a cheap bound before the calendar check.
    candidates = uow.supervision.open_complaints_before(now - timedelta(days=workdays))
    return [x for x in candidates if deadline_after(x.created_at, workdays, tz) <= now]


def tell_owner(
    uow: UnitOfWork, found: SupervisedCase, key: str, now: datetime, step: str, **params: object
) -> list[OutboxMessage]:
    """Push one step of the case to every verified account of its owner (once per step)."""
    ticket = uow.tickets.get(found.ticket_id)
    if found.owner_id is None or ticket is None:
        return []
    community = uow.org.community(found.community_id)
    queued = []
    for identity in uow.identities.for_owner(found.owner_id):
        if not identity.verified:
            continue
        loc = identity.locale or "zh"
        text = t(key, loc, number=ticket.number, case=found.id,
                 follower=follower(uow, community, loc), **params)
        msg = notify.push(uow, identity, "ticket_update", text,
                          dedupe_key=f"supervision:{found.id}:{step}:{identity.id}", now=now)
        if msg is not None:
            queued.append(msg)
    return queued


def tell_managers(
    uow: UnitOfWork, company_id: int | None, key: str, now: datetime, dedupe: str, **params: object
) -> list[OutboxMessage]:
    """Push to the company's managers (on-duty or not: the regulator's word is for all of them)."""
    if company_id is None:
        return []
    queued = []
    for member in company_managers(uow, company_id):
        for identity in uow.identities.for_staff(member.id):
            loc = identity.locale or "zh"
            msg = notify.push(uow, identity, "staff_ticket", t(key, loc, **params),
                              dedupe_key=f"{dedupe}:{identity.id}", now=now)
            if msg is not None:
                queued.append(msg)
    return queued


def company_managers(uow: UnitOfWork, company_id: int) -> Sequence[Staff]:
    """Every active manager of a company."""
    return uow.org.staff_by_role(company_id, "manager")


def announce_opened(
    uow: UnitOfWork, found: SupervisedCase, now: datetime, workdays: int, *, owner: bool = True,
) -> int:
    """A new case: the owner hears who follows it (unless they asked for it in the chat and
    have the reply), the managers that it is supervised."""
    ticket = uow.tickets.get(found.ticket_id)
    community = uow.org.community(found.community_id)
    if ticket is None or community is None:
        return 0
    pushes = []
    if owner:
        pushes += tell_owner(uow, found, "sup_push_owner_opened", now, "opened", days=workdays)
    pushes += tell_managers(
        uow, found.company_id, "sup_push_manager_opened", now, f"supervision:{found.id}:opened",
        number=ticket.number, community=community.name, case=found.id,
        follower=follower(uow, community),
    )
    return len(pushes)


def list_cases(
    uow: UnitOfWork, scope: RegulatorScope, status: str | None = None,
    cursor: int | None = None, limit: int = 50,
) -> list[dict[str, object]]:
    """The scope's cases, newest first below `cursor`, as the API shows them; owner data (and
    the complaint's own words, which often name people) only where the owner consented."""
    if status not in (None, "", "open", "closed"):
        raise Invalid("invalid", reason=f"status {status}")
    ids = [c.id for c in communities(uow, scope)]
    return [case_view(uow, c) for c in uow.supervision.cases_page(ids, status or None, cursor, limit)]


def case_view(uow: UnitOfWork, found: SupervisedCase) -> dict[str, object]:
    """One case: ticket number, category, company, community, times, and consented owner data."""
    ticket = uow.tickets.get(found.ticket_id)
    community = uow.org.community(found.community_id)
    company = uow.org.company(found.company_id) if found.company_id else None
    view: dict[str, object] = {
        "id": found.id, "status": found.status, "origin": found.origin,
        "company": company.name if company else None, "company_id": found.company_id,
        "community": community.name if community else None, "community_id": found.community_id,
        "ticket": ticket.number if ticket else None,
        "category": ticket.category if ticket else "", "ticket_status": ticket.status if ticket else "",
        "opened_at": found.opened_at.isoformat(), "closed_at": found.closed_at.isoformat()
        if found.closed_at else None, "consent": found.consent, "owner": None,
    }
    if found.consent and found.owner_id and ticket is not None:
        owner = uow.identities.owner(found.owner_id)
        home = uow.org.home(ticket.home_id) if ticket.home_id else None
        view["owner"] = {"name": owner.name if owner else "", "phone": owner.phone if owner else "",
                         "home": home.label if home else "", "description": ticket.description}
    return view


def close_case(uow: UnitOfWork, scope: RegulatorScope, case_id: int, now: datetime, note: str = "") -> SupervisedCase:
    """The regulator closes a case in its scope."""
    found = require_case(uow, scope, case_id)
    if found.status != "closed":
        found.status, found.closed_at, found.note = "closed", now, note[:2000]
    return found
