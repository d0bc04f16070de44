"""The office decides binding requests: list, approve, reject; the owner is told either way.

Each use case takes the acting person (`actor`, e.g. `cli` or `staff:12`) and an optional
`company_id` scope: a console user sees and decides only requests for their company's homes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import handlers.texts.safety  # noqa: F401 - registers the texts used here
from handlers import notify
from handlers.errors import Invalid, NotFound
from handlers.texts import t
from handlers.util import mask_phones
from storage.models import BindingRequest, Community
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class RequestView:
    """One request as the office sees it (phone masked)."""

    id: int
    status: str
    created_at: datetime
    unit_label: str
    phone: str
    community: str
    matches_register: bool
    owner_name: str


def list_requests(
    uow: UnitOfWork, status: str | None = "pending", company_id: int | None = None
) -> list[RequestView]:
    """The requests in `status` (all when None), within the company's scope when given."""
    views = []
    for request in uow.safety.requests(status):
        community = _community_of(uow, request)
        if company_id is not None and (community is None or community.company_id != company_id):
            continue
        owner = uow.identities.owner(request.owner_id) if request.owner_id else None
        views.append(RequestView(
            id=request.id, status=request.status, created_at=request.created_at,
            unit_label=request.unit_label, phone=mask_phones(request.phone),
            community=community.name if community else "", matches_register=owner is not None,
            owner_name=owner.name if owner else "",
        ))
    return views


def approve_request(
    uow: UnitOfWork, request_id: int, actor: str, now: datetime, company_id: int | None = None
) -> BindingRequest:
    """Bind the requesting chat account to the matched owner and home, and tell it so."""
    request = _pending(uow, request_id, company_id)
    home = uow.org.home(request.home_id) if request.home_id else None
    owner = uow.identities.owner_member_with_phone(home.id, request.phone) if home else None
    if home is None or owner is None:
        raise Invalid("binding_request_no_match", id=request_id)
    identity = uow.identities.get(request.identity_id)
    if identity is None or (identity.owner_id not in (None, owner.id)) or identity.staff_id:
        raise Invalid("binding_request_identity_taken", id=request_id)
    identity.owner_id, identity.home_id, identity.verified = owner.id, home.id, True
    _decide(uow, request, "approved", actor, now, "")
    uow.audit.record(now, actor, "bind", f"home:{home.id}",
                     {"method": "request", "request": request.id, "identity": identity.id})
    text = t("bind_request_approved", identity.locale or "zh", name=owner.name,
             community=home.building.community.name, home=home.label)
    notify.push(uow, identity, "binding", text, dedupe_key=f"binding:{request.id}", now=now)
    return request


def reject_request(
    uow: UnitOfWork, request_id: int, actor: str, now: datetime, note: str = "",
    company_id: int | None = None,
) -> BindingRequest:
    """Refuse a request, with a reason the owner reads, and tell where to go instead."""
    request = _pending(uow, request_id, company_id)
    _decide(uow, request, "rejected", actor, now, note)
    identity = uow.identities.get(request.identity_id)
    if identity is not None:
        community = _community_of(uow, request)
        phone = community.service_phone if community and community.service_phone else ""
        locale = identity.locale or "zh"
        text = t("bind_request_rejected", locale, home=request.unit_label,
                 note=f"（{note}）" if note else "",
                 phone=t("bind_request_office_phone", locale, phone=phone) if phone else "")
        notify.push(uow, identity, "binding", text, dedupe_key=f"binding:{request.id}", now=now)
    return request


def _pending(uow: UnitOfWork, request_id: int, company_id: int | None) -> BindingRequest:
    request = uow.safety.request(request_id, for_update=True)
    if request is None:
        raise NotFound("binding_request_not_found", id=request_id)
    community = _community_of(uow, request)
    if company_id is not None and (community is None or community.company_id != company_id):
        raise NotFound("binding_request_not_found", id=request_id)  # another tenant's: as if missing
    if request.status != "pending":
        raise Invalid("binding_request_decided", id=request_id, status=request.status)
    return request


def _decide(
    uow: UnitOfWork, request: BindingRequest, status: str, actor: str, now: datetime, note: str
) -> None:
    request.status, request.decided_at, request.decided_by = status, now, actor[:60]
    request.note = note[:200]
    uow.audit.record(now, actor, f"binding_request_{status}", f"binding_request:{request.id}",
                     {"note": note})


def _community_of(uow: UnitOfWork, request: BindingRequest) -> Community | None:
    """The community of the matched home; else the only community with such a home label."""
    if request.home_id:
        home = uow.org.home(request.home_id)
        return home.building.community if home else None
    homes = uow.org.homes_by_label(request.unit_label)
    communities = {h.building.community_id: h.building.community for h in homes}
    return next(iter(communities.values())) if len(communities) == 1 else None
