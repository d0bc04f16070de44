"""A company's credit file (信用档案), tracked instead of the abolished qualifications.

Project filings with their project managers, staff certificates that expire (reminded
60 and 30 days ahead by the `supervision_escalations` job), good and bad records (cases,
rectifications — written automatically — and awards), and the public disclosures owners are
entitled to (民法典 art. 943: fees, service standard, contract, maintenance-fund use),
checked as present and current per community.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import handlers.texts.supervision  # noqa: F401 - registers the texts used here
from handlers.errors import Invalid, NotFound
from handlers.supervision import cases
from handlers.supervision.scope import RegulatorScope, communities, company_ids
from handlers.texts import t
from storage.models import (
    Company,
    CreditRecord,
    Disclosure,
    ProjectFiling,
    StaffCertificate,
)
from storage.models.supervision import DISCLOSURE_KINDS
from storage.uow import UnitOfWork

RECORD_KINDS = ("good", "bad")
RECORD_CATEGORIES = ("rectification", "case", "award", "other")


def company_in_scope(uow: UnitOfWork, scope: RegulatorScope | None, ref: str | int) -> Company:
    """A company by name or id; with a scope, only one serving it (else NotFound)."""
    company = uow.supervision.company_by_ref(ref)
    if company is None or (scope is not None and company.id not in company_ids(uow, scope)):
        raise NotFound("supervision_company_not_found", company=ref)
    return company


def record(
    uow: UnitOfWork, company_id: int, kind: str, category: str, text: str, day: date,
    *, ref: str = "", by: str = "",
) -> CreditRecord | None:
    """Add a good/bad record; one per (company, ref) when `ref` names its cause (Z12, D3)."""
    if kind not in RECORD_KINDS or category not in RECORD_CATEGORIES or not text.strip():
        raise Invalid("invalid", reason=f"record {kind}/{category}")
    if ref and uow.supervision.credit_record_by_ref(company_id, ref) is not None:
        return None
    row = CreditRecord(company_id=company_id, kind=kind, category=category, text=text.strip()[:2000],
                       recorded_on=day, ref=ref[:40], recorded_by=by[:60])
    uow.session.add(row)
    uow.flush()
    return row


def file_project(
    uow: UnitOfWork, company: Company, community_name: str, manager_name: str,
    manager_phone: str, filed_on: date,
) -> ProjectFiling:
    """File (or re-file, replacing the manager) a company's project in a community."""
    community = uow.org.community_by_name(community_name.strip())
    if community is None:
        raise NotFound("supervision_community_not_found", community=community_name)
    if not manager_name.strip():
        raise Invalid("supervision_empty_text")
    filing = uow.supervision.filing(company.id, community.id)
    if filing is None:
        filing = ProjectFiling(company_id=company.id, community_id=community.id)
        uow.session.add(filing)
    filing.manager_name, filing.manager_phone = manager_name.strip(), manager_phone.strip()
    filing.filed_on, filing.ended_on = filed_on, None
    uow.flush()
    return filing


def add_certificate(
    uow: UnitOfWork, company: Company, holder: str, kind: str, number: str, expires_on: date,
) -> StaffCertificate:
    """Record a staff certificate (linked to the staff record when the name matches)."""
    if not holder.strip() or not kind.strip():
        raise Invalid("supervision_empty_text")
    staff = next((s for s in uow.supervision.staff_of(company.id) if s.name == holder.strip()), None)
    cert = StaffCertificate(company_id=company.id, staff_id=staff.id if staff else None,
                            holder_name=holder.strip(), kind=kind.strip(), number=number.strip(),
                            expires_on=expires_on)
    uow.session.add(cert)
    uow.flush()
    return cert


def add_disclosure(
    uow: UnitOfWork, community_name: str, kind: str, published_on: date,
    valid_until: date | None = None, title: str = "",
) -> Disclosure:
    """Record that a community's disclosure of `kind` was published (and until when it holds)."""
    if kind not in DISCLOSURE_KINDS:
        raise Invalid("invalid", reason=f"disclosure kind {kind}; one of {', '.join(DISCLOSURE_KINDS)}")
    community = uow.org.community_by_name(community_name.strip())
    if community is None:
        raise NotFound("supervision_community_not_found", community=community_name)
    row = Disclosure(community_id=community.id, kind=kind, title=title, published_on=published_on,
                     valid_until=valid_until)
    uow.session.add(row)
    uow.flush()
    return row


def credit_file(uow: UnitOfWork, scope: RegulatorScope | None, ref: str | int, today: date) -> dict[str, object]:
    """Everything on one company's file, with each certificate's and disclosure's state."""
    company = company_in_scope(uow, scope, ref)
    places = [c for c in (communities(uow, scope) if scope else uow.org.communities())
              if c.company_id == company.id]
    filings = [{"community": uow.org.community(f.community_id).name, "manager": f.manager_name,
                "filed_on": f.filed_on.isoformat()} for f in uow.supervision.filings(company.id)]
    certificates = [{"holder": c.holder_name, "kind": c.kind, "number": c.number,
                     "expires_on": c.expires_on.isoformat(), "state": certificate_state(c, today)}
                    for c in uow.supervision.certificates(company.id)]
    records = [{"kind": r.kind, "category": r.category, "text": r.text,
                "recorded_on": r.recorded_on.isoformat(), "ref": r.ref}
               for r in uow.supervision.credit_records(company.id)]
    return {"company_id": company.id, "company": company.name, "filings": filings,
            "certificates": certificates, "records": records,
            "disclosures": [disclosure_check(uow, c.id, c.name, today) for c in places]}


def certificate_state(cert: StaffCertificate, today: date, warn_days: int = 60) -> str:
    """expired / expiring (within `warn_days`) / valid."""
    left = (cert.expires_on - today).days
    return "expired" if left < 0 else "expiring" if left <= warn_days else "valid"


def disclosure_check(uow: UnitOfWork, community_id: int, name: str, today: date) -> dict[str, object]:
    """Per kind: missing, outdated (its validity ended) or current."""
    latest: dict[str, Disclosure] = {}
    for row in uow.supervision.disclosures(community_id):
        if row.kind not in latest or row.published_on >= latest[row.kind].published_on:
            latest[row.kind] = row
    state = {}
    for kind in DISCLOSURE_KINDS:
        row = latest.get(kind)
        state[kind] = ("missing" if row is None else
                       "outdated" if row.valid_until is not None and row.valid_until < today else "current")
    return {"community": name, **state, "complete": all(v == "current" for v in state.values())}


def certificate_reminders(uow: UnitOfWork, now: datetime, tz: ZoneInfo, days: tuple[int, ...]) -> int:
    """Remind managers of certificates expiring within each threshold, once per threshold."""
    today = now.astimezone(tz).date()
    pushes = 0
    for cert in uow.supervision.certificates_expiring(today, max(days, default=0)):
        left = (cert.expires_on - today).days
        threshold = min(d for d in days if left <= d)  # the nearest threshold crossed
        pushes += len(cases.tell_managers(
            uow, cert.company_id, "sup_push_certificate", now, f"certificate:{cert.id}:{threshold}",
            holder=cert.holder_name, kind=cert.kind, number=cert.number or "-",
            expires=cert.expires_on.isoformat(), days=left,
        ))
    return pushes


def record_text(key: str, **params: object) -> str:
    """The Chinese wording of an automatic record."""
    return t(key, "zh", **params)
