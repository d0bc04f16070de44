"""Telling owners about the books: the month's summary as a notice, and approved fund spending.

The maintenance fund's ledger is imported from the supervised account's statements
(handlers.imports.expenses.import_fund), never computed here. An approved expenditure
records the owners' vote and its documents, and every owner of the community is told by a
notice (the broadcast path: one push per reachable, verified chat account).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import handlers.texts.books  # noqa: F401 - registers the texts used here
from handlers import billing_rules as rules
from handlers.broadcasts import Published, publish_notice
from handlers.errors import Invalid
from handlers.office.books import month_summary, parse_amount
from handlers.office.ops_access import OpsActor, community_for, require
from handlers.open_books import summary_lines
from handlers.texts import t
from storage.models.operations import FundApproval
from storage.uow import UnitOfWork

# Civil Code art. 278: spending the fund needs 3/4 of the owners (and of the area) taking
# part, who themselves are at least 2/3 of all: so at least half of all, both ways.
MIN_SHARE = Decimal("0.5")
MAX_DOCUMENTS = 20


@dataclass(frozen=True)
class FundApprovalRequest:
    community: str | int
    title: str
    amount: str
    approved_on: str  # YYYY-MM-DD
    owners_for: int
    owners_total: int
    area_for_m2: str
    area_total_m2: str
    documents: tuple[str, ...] = ()


def approve_fund_expenditure(uow: UnitOfWork, actor: OpsActor, request: FundApprovalRequest,
                             now: datetime, tz: ZoneInfo) -> tuple[FundApproval, Published]:
    """Record an approved expenditure with its vote and documents; tell the owners."""
    require(actor, "books.write")
    community = community_for(uow, actor, request.community)
    amount = parse_amount(request.amount)
    try:
        approved_on = date.fromisoformat(request.approved_on)
        area_for, area_total = Decimal(request.area_for_m2), Decimal(request.area_total_m2)
    except (ValueError, InvalidOperation):
        raise Invalid("fund_bad_vote") from None
    _check_vote(request.owners_for, request.owners_total, area_for, area_total)
    title = request.title.strip()
    if not title or len(title) > 200 or len(request.documents) > MAX_DOCUMENTS:
        raise Invalid("fund_bad_title")
    approval = FundApproval(
        community_id=community.id, title=title, amount=amount, approved_on=approved_on,
        owners_for=request.owners_for, owners_total=request.owners_total, area_for_m2=area_for,
        area_total_m2=area_total, documents=json.dumps(list(request.documents), ensure_ascii=False),
        recorded_by=actor.audit_name, created_at=now)
    uow.operations.add(approval)
    text = t("fund_approved_notice", title=title, amount=rules.money(amount, "zh"),
             date=approved_on.isoformat(), owners_for=request.owners_for, owners_total=request.owners_total,
             area_for=f"{area_for:f}", area_total=f"{area_total:f}", documents=len(request.documents))
    published = publish_notice(uow, community.id, None, "general", t("fund_approved_title", title=title),
                               text, now, None, now, created_by=actor.audit_name, tz=tz)
    uow.audit.record(now, actor.audit_name, "fund_approval", f"fund_approval:{approval.id}", {
        "community_id": community.id, "amount": str(amount), "notice_id": published.notice_id})
    return approval, published


def _check_vote(owners_for: int, owners_total: int, area_for: Decimal, area_total: Decimal) -> None:
    if not (0 < owners_for <= owners_total and 0 < area_for <= area_total):
        raise Invalid("fund_bad_vote")
    if Decimal(owners_for) / owners_total < MIN_SHARE or area_for / area_total < MIN_SHARE:
        raise Invalid("fund_vote_short")


def publish_month(uow: UnitOfWork, actor: OpsActor, community_ref: str | int, month: str, now: datetime,
                  tz: ZoneInfo) -> Published:
    """The month's summary, exactly as owners read it in the chat, as a notice to the community."""
    require(actor, "books.write")
    community = community_for(uow, actor, community_ref)
    summary = month_summary(uow, community, month, tz)
    body = "\n".join(summary_lines(summary, "zh")[1:])
    return publish_notice(uow, community.id, None, "general",
                          t("books_notice_title", community=community.name, month=month), body,
                          now, None, now, created_by=actor.audit_name, tz=tz)
