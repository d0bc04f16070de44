"""The domain schema round-trips the same on SQLite and PostgreSQL, through a UnitOfWork."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from storage.models import Bill, Owner
from storage.uow import UnitOfWork
from tests.factories import World

Uow = Callable[[], UnitOfWork]


def test_home_label(uow: Uow, built: World) -> None:
    with uow() as work:
        home = work.org.home(built.home_ids["3-2-501"])
        assert home is not None
        assert home.label == "3-2-501"
        assert [h.id for h in work.org.homes_by_label("3-2-501")] == [home.id]


def test_money_is_an_exact_decimal(uow: Uow, built: World) -> None:
    with uow() as work:
        bills = work.billing.bills(built.home_ids["3-2-501"])
        water = next(b for b in bills if b.item == "water")
        assert isinstance(water.amount, Decimal)
        assert water.amount == Decimal("45.20")
        total = work.session.scalar(
            select(func.sum(Bill.amount)).where(Bill.home_id == built.home_ids["3-2-501"])
        )
        assert Decimal(total) == Decimal("850.70")  # 3 × 268.50 + 45.20, no float drift


def test_aware_datetime_round_trip(uow: Uow, built: World) -> None:
    with uow() as work:
        paid = next(b for b in work.billing.bills(built.home_ids["3-2-501"]) if b.status == "paid")
        assert paid.paid_at is not None
        assert paid.paid_at.tzinfo is not None
        assert paid.paid_at == datetime.fromisoformat("2026-09-20T10:00:00+08:00")
        assert paid.paid_at.utcoffset() == timedelta(0)  # stored and handed back as UTC
        assert paid.paid_at.astimezone(timezone(timedelta(hours=8))).hour == 10


def test_naive_datetime_is_refused(uow: Uow, built: World) -> None:
    with uow() as work:
        bill = work.billing.bills(built.home_ids["3-2-502"])[0]
        bill.paid_at = datetime(2026, 11, 1, 9, 0)
        with pytest.raises(Exception, match="naive datetime"):
            work.flush()


def test_leaving_without_commit_rolls_back(uow: Uow, built: World) -> None:
    with uow() as work:
        work.session.add(Owner(name="赵六", phone="13600000000"))
        work.flush()
        assert work.session.scalar(select(Owner).where(Owner.phone == "13600000000"))
    with uow() as work:
        assert work.session.scalar(select(Owner).where(Owner.phone == "13600000000")) is None


def test_commit_persists(uow: Uow, built: World) -> None:
    with uow() as work:
        work.session.add(Owner(name="赵六", phone="13600000000"))
        work.commit()
    with uow() as work:
        assert work.session.scalar(select(Owner.name).where(Owner.phone == "13600000000")) == "赵六"
