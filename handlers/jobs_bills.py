"""`bill_reminders`: one message a day per owner account, summing every bill in a window.

A bill is in a window on the days `bill_days_before` before its due date, and every
`bill_overdue_every_days` days after it. Nothing is written in quiet hours; the dedupe key
names the account and the local day, so the next run after the quiet hours catches up and a
second run the same day writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

import handlers.texts.jobs  # noqa: F401 - registers the texts used here
from handlers import billing_rules as rules
from handlers import notify
from handlers.deps import Deps
from handlers.jobs_common import CHUNK, JobReport, JobSettings, in_quiet_hours, local_day
from handlers.messages import Button
from handlers.texts import t
from storage.models import Bill, ChannelIdentity, Owner
from storage.repositories.jobs import JobQueries
from storage.uow import UnitOfWork

NAME = "bill_reminders"


def bill_reminders(deps: Deps, now: datetime) -> JobReport:
    """Queue today's bill reminders: due in N days, or overdue by a multiple of M days."""
    settings, tz = deps.settings.jobs, deps.settings.timezone
    if in_quiet_hours(now, settings, tz):
        return JobReport(NAME, now, skipped="quiet_hours")
    today = local_day(now, tz)
    with deps.uow() as uow:
        due = bills_due_today(JobQueries(uow.session), today, settings)
    queued = 0
    owners = sorted(due.items())
    for start in range(0, len(owners), CHUNK):
        with deps.uow() as uow:
            for owner_id, bill_ids in owners[start : start + CHUNK]:
                queued += remind_owner(uow, owner_id, bill_ids, today, now)
            uow.commit()
    return JobReport(NAME, now, queued=queued, considered=len(owners))


def bills_due_today(queries: JobQueries, today: date, settings: JobSettings) -> dict[int, list[int]]:
    """Owner id → ids of their unpaid bills whose reminder day is `today`."""
    due_on = {today + timedelta(days=d) for d in settings.bill_days_before if d >= 0}
    every = settings.bill_overdue_every_days
    rows = queries.unpaid_bills_of_owners(due_on, today if every > 0 else None)
    found: dict[int, list[int]] = defaultdict(list)
    for owner_id, bill in rows:
        late = (today - bill.due_date).days
        if bill.due_date in due_on or (late > 0 and late % every == 0):
            found[owner_id].append(bill.id)
    return found


def remind_owner(
    uow: UnitOfWork, owner_id: int, bill_ids: Sequence[int], today: date, now: datetime
) -> int:
    """One reminder to each verified account of the owner; returns how many were queued."""
    owner = uow.identities.owner(owner_id)
    bills = [b for b in uow.billing.bills_by_ids(bill_ids) if b.status == "unpaid"]
    if owner is None or not bills:
        return 0
    queued = 0
    for identity in uow.identities.for_owner(owner_id):
        if not identity.verified:
            continue
        text, buttons = reminder(owner, bills, today, identity.locale or "zh")
        msg = notify.push(
            uow, identity, "bill_reminder", text, buttons,
            dedupe_key=dedupe_key(identity, today), now=now,
        )
        queued += msg is not None
    return queued


def dedupe_key(identity: ChannelIdentity, today: date) -> str:
    """One bill reminder per account per local day."""
    return f"bill-reminder:{identity.id}:{today.isoformat()}"


def reminder(
    owner: Owner, bills: Sequence[Bill], today: date, locale: str
) -> tuple[str, tuple[Button, ...]]:
    """The reminder text (per home: item, period, amount, due date or late fee) and pay buttons."""
    by_home: dict[int, list[Bill]] = defaultdict(list)
    for bill in bills:
        by_home[bill.home_id].append(bill)
    lines = [t("job_bill_head", locale, name=owner.name)]
    labels = []
    for home_bills in by_home.values():
        home = home_bills[0].home
        labels.append(home.label)
        place = f"{home.building.community.name} {home.label}"
        lines.append(t("job_bill_home", locale, home=place))
        lines += [rules.bill_line(b, today, locale) for b in home_bills]
    lines.append(t("job_bill_total", locale, total=rules.money(rules.total(bills), locale)))
    late = sum((rules.late_fee(b, today) for b in bills), Decimal("0.00"))
    if late > 0:
        lines.append(t("job_bill_late", locale, fee=rules.money(late, locale)))
    lines.append(t("job_bill_foot", locale))
    return "\n".join(lines), pay_buttons(labels, locale)


def pay_buttons(labels: Sequence[str], locale: str) -> tuple[Button, ...]:
    """去缴费 for one home; one button per home when there are several."""
    if len(labels) == 1:
        return (Button(t("job_btn_pay", locale), notify.payload("pay_bill", unit=labels[0])),)
    return tuple(
        Button(t("job_btn_pay_home", locale, home=label), notify.payload("pay_bill", unit=label))
        for label in labels
    )
