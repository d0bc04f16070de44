"""The duty rota: shifts per community and role, and who is on duty right now.

`on_duty` is the one answer to "who is on duty": emergency pushes, handoffs, escalations
and service tasks all ask it. A community that keeps no rota for a role has every active
staff member of that role on duty (how it worked before the rota existed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import handlers.texts.operations  # noqa: F401 - registers the texts used here
from handlers.errors import Invalid
from handlers.office.ops_access import OpsActor, community_for, require, staff_in
from storage.models import Community, Staff
from storage.models.operations import SHIFT_KINDS, DutyShift
from storage.uow import UnitOfWork

MAX_SHIFT = timedelta(hours=48)
MAX_REPEAT_DAYS = 92
# When both a regular shift and an on-call one cover a moment, the regular shift answers.
KIND_ORDER = {"day": 0, "night": 0, "on_call": 1}


def on_duty(uow: UnitOfWork, community: Community, role: str, now: datetime) -> list[Staff]:
    """The staff of `role` on duty in `community` at `now`: the rota's, else every active one."""
    if community.company_id is None:
        return []
    if not uow.operations.has_rota(community.id, role):
        return [s for s in uow.org.staff_by_role(community.company_id, role) if s.active]
    shifts = sorted(uow.operations.shifts_at(community.id, role, now),
                    key=lambda s: (KIND_ORDER.get(s.kind, 2), s.starts_at, s.id))
    people: list[Staff] = []
    for shift in shifts:
        member = uow.org.staff(shift.staff_id)
        if member is not None and member.active and member not in people:
            people.append(member)
    return people


def on_duty_ids(uow: UnitOfWork, community: Community, roles: tuple[str, ...], now: datetime) -> set[int] | None:
    """Ids on duty for any of `roles`, or None when the community keeps no rota for them."""
    if not any(uow.operations.has_rota(community.id, role) for role in roles):
        return None
    return {s.id for role in roles for s in on_duty(uow, community, role, now)}


@dataclass(frozen=True)
class ShiftRequest:
    community: str
    role: str
    staff: str  # phone or id
    kind: str
    starts_at: datetime
    ends_at: datetime
    repeat_days: int = 1  # the same hours on this many consecutive days


def set_shifts(uow: UnitOfWork, actor: OpsActor, request: ShiftRequest, now: datetime) -> list[DutyShift]:
    """Put someone on the rota (repeated daily when asked); audit-logged."""
    require(actor, "rota.write")
    community = community_for(uow, actor, request.community)
    member = staff_in(uow, community, request.staff)
    _check(request, member)
    added = []
    for offset in range(request.repeat_days):
        shift = DutyShift(community_id=community.id, role=request.role, kind=request.kind,
                          staff_id=member.id, starts_at=request.starts_at + timedelta(days=offset),
                          ends_at=request.ends_at + timedelta(days=offset), created_at=now)
        uow.operations.add(shift)
        added.append(shift)
    uow.audit.record(now, actor.audit_name, "rota_set", f"community:{community.id}", {
        "role": request.role, "kind": request.kind, "staff_id": member.id,
        "starts_at": request.starts_at.isoformat(), "ends_at": request.ends_at.isoformat(),
        "days": request.repeat_days,
    })
    return added


def _check(request: ShiftRequest, member: Staff) -> None:
    if request.kind not in SHIFT_KINDS:
        raise Invalid("rota_bad_kind", kind=request.kind, kinds="/".join(SHIFT_KINDS))
    if member.role != request.role:
        raise Invalid("rota_wrong_role", name=member.name, role=member.role, wanted=request.role)
    if request.starts_at.tzinfo is None or request.ends_at.tzinfo is None:
        raise Invalid("rota_bad_times")
    if not request.starts_at < request.ends_at <= request.starts_at + MAX_SHIFT:
        raise Invalid("rota_bad_times")
    if not 1 <= request.repeat_days <= MAX_REPEAT_DAYS:
        raise Invalid("rota_bad_repeat", limit=MAX_REPEAT_DAYS)


@dataclass(frozen=True)
class RotaLine:
    shift_id: int
    role: str
    kind: str
    staff_id: int
    staff_name: str
    starts_at: datetime
    ends_at: datetime


def rota_of_day(uow: UnitOfWork, actor: OpsActor, community_ref: str, day: date, tz: ZoneInfo) -> list[RotaLine]:
    """The shifts overlapping local day `day` in one community."""
    require(actor, "rota.read")
    community = community_for(uow, actor, community_ref)
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    lines = []
    for shift in uow.operations.shifts_between(community.id, start, start + timedelta(days=1)):
        member = uow.org.staff(shift.staff_id)
        lines.append(RotaLine(shift.id, shift.role, shift.kind, shift.staff_id,
                              member.name if member else "?", shift.starts_at, shift.ends_at))
    return lines


def remove_future_shifts(uow: UnitOfWork, staff_id: int, now: datetime) -> int:
    """Take someone off the rota from `now` on: later shifts go, a running one ends now."""
    removed = 0
    for shift in uow.operations.shifts_of(staff_id, now):
        if shift.starts_at >= now:
            uow.operations.delete(shift)
        else:
            shift.ends_at = now
        removed += 1
    return removed
