"""The `supervision_escalations` job: overdue complaints become supervised cases, overdue
rectification notices are flagged (both pushed to whom they concern), expiring staff
certificates are reminded."""

from __future__ import annotations

from datetime import datetime

from handlers.deps import Deps
from handlers.jobs_common import JobReport
from handlers.supervision import cases, credit, rectifications


def supervision_escalations(deps: Deps, now: datetime) -> JobReport:
    """Open cases for complaints unresolved after N working days; flag overdue rectifications;
    remind managers of staff certificates expiring in 60 and 30 days."""
    settings, tz = deps.settings.supervision, deps.settings.timezone
    workdays = settings.case_after_workdays
    with deps.uow() as uow:
        ids = [x.id for x in cases.overdue_complaints(uow, now, workdays, tz)]
    queued = changed = 0
    for ticket_id in ids:  # one unit of work per case: a failure loses one, not the run
        with deps.uow() as uow:
            ticket = uow.tickets.get(ticket_id)
            if ticket is None:
                continue
            found, created = cases.open_case(uow, ticket, "overdue", now)
            if created:
                queued += cases.announce_opened(uow, found, now, workdays)
                changed += 1
            uow.commit()
    with deps.uow() as uow:
        flagged, pushes = rectifications.flag_overdue(uow, now, tz)
        pushes += credit.certificate_reminders(uow, now, tz, settings.certificate_reminder_days)
        uow.commit()
    return JobReport("supervision_escalations", now, queued=queued + pushes,
                     considered=len(ids) + flagged, changed=changed + flagged)
