"""`seed --demo`: a realistic Beijing community to try the assistant on, built from `now`.

Deterministic: the same `now` gives the same data (a fixed random seed). Dates are relative
to `now`, so the demo always has this month's bills, some overdue, and tomorrow's outage.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from handlers.demo_seed import activity, content, money
from handlers.demo_seed.homes import build_org
from storage.models import Community
from storage.uow import UnitOfWork

RANDOM_SEED = 20261127
DEMO_USER = ("web", "demo")


@dataclass(frozen=True)
class SeedResult:
    status: str  # created / skipped (--if-empty and data exists) / exists (the demo is there)
    community: str = content.COMMUNITY["name"]
    homes: int = 0
    owners: int = 0
    bills: int = 0
    tickets: int = 0
    demo_home: str = ""


def seed_demo(uow: UnitOfWork, now: datetime, if_empty: bool = False) -> SeedResult:
    """Write the demo community into `uow` (the caller commits); see SeedResult.status."""
    session = uow.session
    if if_empty and session.scalar(select(func.count(Community.id))):
        return SeedResult("skipped")
    if session.scalar(select(Community.id).where(Community.name == content.COMMUNITY["name"])):
        return SeedResult("exists")
    rng = random.Random(RANDOM_SEED)
    org = build_org(uow, now, rng)
    today = now.astimezone(money.TZ).date()
    money.build_contract(uow, org, today)
    bills = money.build_bills(uow, org, now, rng)
    money.build_fund(uow, org, today)
    tickets = activity.build_tickets(uow, org, now)
    activity.build_notices(uow, org, now)
    activity.build_knowledge(uow, org)
    activity.build_regulator(uow, org, now)
    uow.audit.record(now, "cli", "seed_demo", f"community:{org.community_id}",
                     {"homes": len(org.homes), "bills": bills})
    uow.flush()
    assert org.demo_home is not None
    return SeedResult("created", org.community_name, len(org.homes), org.owners, bills, tickets,
                      org.demo_home.label)
