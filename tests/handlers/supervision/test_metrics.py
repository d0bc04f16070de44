"""Quality figures from tickets with known outcomes: every figure checked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.errors import Invalid
from handlers.supervision import metrics, return_visits
from handlers.supervision.scope import RegulatorScope
from handlers.supervision.settings import SupervisionSettings
from storage.models import Bill, Building, Community, Company, Home
from tests.factories import World
from tests.handlers.supervision.conftest import Uow
from tests.handlers.supervision.helpers import TZ, at, make_ticket

CHAOYANG = RegulatorScope("朝阳区")
NOW = at("2026-11-27 10:00")


def _november(db: Uow, world: World) -> None:
    """京华物业 / 望京花园 (3 homes): four counted tickets, three that must not count."""
    h501, h502 = world.home_ids["3-2-501"], world.home_ids["3-2-502"]
    wang = world.owner_ids["13812345678"]
    common = {"community_id": world.community_id, "home_id": h501, "owner_id": wang}
    with db() as uow:
        # 1: accepted after 60 min (limit 240), resolved in 5 h (SLA 24 h), 5 stars.
        make_ticket(uow, **common, created="2026-11-02 10:00", accepted="2026-11-02 11:00",
                    resolved="2026-11-02 15:00", rating=5)
        # 2: emergency accepted after 45 min (limit 30), resolved after 80 min (SLA 30), 3 stars.
        make_ticket(uow, **common, urgency="emergency", created="2026-11-03 10:00",
                    accepted="2026-11-03 10:45", resolved="2026-11-03 11:20", rating=3)
        # 3: complaint accepted after 300 min, resolved after 25 h, 2 stars, then 没修好.
        make_ticket(uow, **common, kind="complaint", created="2026-11-05 09:00",
                    accepted="2026-11-05 14:00", resolved="2026-11-06 10:00", rating=2,
                    reopened="2026-11-07 09:00")
        # 4: a 12345 hotline complaint nobody accepted: still open, late by now.
        make_ticket(uow, **common, kind="complaint", created="2026-11-10 09:00", source="hotline")
        # Not counted: cancelled, created in October (local time), a suggestion.
        make_ticket(uow, **common, created="2026-11-11 09:00", cancelled="2026-11-11 09:30")
        make_ticket(uow, **common, created="2026-10-31 23:30", accepted="2026-11-01 08:00")
        make_ticket(uow, **common, kind="suggestion", created="2026-11-12 09:00")
        for bill in uow.session.query(Bill).filter(Bill.home_id == h502, Bill.period == "2026-11"):
            bill.status, bill.paid_at = "paid", at("2026-11-20 10:00")
        uow.commit()


def test_every_figure_of_a_company_and_its_community(db: Uow, sworld: World) -> None:
    _november(db, sworld)
    with db() as uow:
        found = metrics.quality(uow, CHAOYANG, "2026-11", NOW, SupervisionSettings(), TZ)
    assert found["month"] == "2026-11"
    jinghua = next(c for c in found["companies"] if c["company_id"] == sworld.company_id)
    expected = {
        "company": "京华物业服务有限公司", "homes": 3, "tickets": 4, "repairs": 2, "complaints": 2,
        "response_rate": 0.25,  # only ticket 1 was accepted in time
        "resolution_rate": 0.6667,  # 1 and 2 solved, 3's latest answer is 未解决
        "satisfaction_rate": 0.6667,  # 满意 + 基本满意 of 满意, 基本满意, 不满意
        "return_visits": 3, "satisfaction_answers": 3,
        "complaints_per_100_homes": 66.67,
        "first_response_median_minutes": 60.0,  # of 60, 45, 300
        "late_share": 0.75,  # 2, 3, and the open 4
        "reopen_rate": 0.3333,  # 3 of the three ever resolved
        "bill_collection_rate": 0.5728,  # 360.00 of 628.50 billed for 2026-11
    }
    assert {k: jinghua[k] for k in expected} == expected
    hotline = jinghua["hotline"]
    assert (hotline["tickets"], hotline["complaints"], hotline["response_rate"]) == (1, 1, 0.0)
    assert hotline["resolution_rate"] is None and hotline["satisfaction_rate"] is None
    wangjing = next(c for c in found["communities"] if c["community_id"] == sworld.community_id)
    assert {k: wangjing[k] for k in expected} == expected
    assert (wangjing["district"], wangjing["street"]) == ("朝阳区", "劲松街道")


def test_a_company_without_tickets_has_null_rates_not_zero(db: Uow, sworld: World) -> None:
    with db() as uow:
        found = metrics.quality(uow, CHAOYANG, "2026-11", NOW, SupervisionSettings(), TZ)
    anju = next(c for c in found["companies"] if c["company_id"] == sworld.other["company_id"])
    assert anju["tickets"] == 0 and anju["homes"] == 1
    for key in ("response_rate", "resolution_rate", "satisfaction_rate", "late_share",
                "reopen_rate", "bill_collection_rate", "first_response_median_minutes"):
        assert anju[key] is None, key
    assert anju["complaints_per_100_homes"] == 0.0


def test_scope_keeps_other_districts_and_streets_out(db: Uow, sworld: World) -> None:
    _november(db, sworld)
    with db() as uow:
        haidian = Company(name="海淀物业")
        place = Community(name="海淀花园", company=haidian, district="海淀区")
        uow.session.add_all([haidian, place, Building(name="1", community=place)])
        uow.commit()
        settings = SupervisionSettings()
        district = metrics.quality(uow, CHAOYANG, "2026-11", NOW, settings, TZ)
        street = metrics.quality(uow, RegulatorScope("朝阳区", "劲松街道"), "2026-11", NOW, settings, TZ)
        nowhere = metrics.quality(uow, RegulatorScope(""), "2026-11", NOW, settings, TZ)
    assert {c["company"] for c in district["companies"]} == {"京华物业服务有限公司", "安居物业管理有限公司"}
    assert [c["community"] for c in street["communities"]] == ["望京花园"]
    assert nowhere == {"month": "2026-11", "companies": [], "communities": []}


def test_response_limits_are_configuration(db: Uow, sworld: World) -> None:
    _november(db, sworld)
    generous = SupervisionSettings(response_limits={
        "emergency": timedelta(hours=1), "high": timedelta(hours=6),
        "normal": timedelta(hours=6), "low": timedelta(hours=24)})
    with db() as uow:
        found = metrics.quality(uow, CHAOYANG, "2026-11", NOW, generous, TZ)
    jinghua = next(c for c in found["companies"] if c["company_id"] == sworld.company_id)
    assert jinghua["response_rate"] == 0.75  # 1, 2 and 3 now in time; 4 never accepted


def test_a_later_answer_replaces_an_earlier_one(db: Uow, sworld: World) -> None:
    wang = sworld.owner_ids["13812345678"]
    with db() as uow:
        ticket = make_ticket(uow, community_id=sworld.community_id,
                             home_id=sworld.home_ids["3-2-501"], owner_id=wang,
                             created="2026-11-02 10:00", accepted="2026-11-02 10:30",
                             resolved="2026-11-02 12:00", rating=1)
        # The office calls back: now solved and 基本满意.
        return_visits.record_answer(uow, ticket, True, "basic", "staff:2", at("2026-11-04 10:00"))
        uow.commit()
        found = metrics.quality(uow, CHAOYANG, "2026-11", NOW, SupervisionSettings(), TZ)
    row = next(c for c in found["companies"] if c["company_id"] == sworld.company_id)
    assert (row["resolution_rate"], row["satisfaction_rate"]) == (1.0, 1.0)


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "26-11", "", "2026-11-01", "十一月"])
def test_a_bad_month_is_refused(month: str) -> None:
    with pytest.raises(Invalid):
        metrics.month_bounds(month, TZ)


def test_month_bounds_are_local_midnights() -> None:
    start, end = metrics.month_bounds("2026-12", TZ)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-12-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")


def test_stars_map_to_the_three_answers() -> None:
    assert [return_visits.satisfaction_of_stars(n) for n in (5, 4, 3, 2, 1)] == [
        "satisfied", "satisfied", "basic", "dissatisfied", "dissatisfied"]


def test_homes_count_every_home_of_the_company(db: Uow, sworld: World) -> None:
    with db() as uow:
        building = uow.session.query(Building).filter_by(community_id=sworld.community_id).first()
        uow.session.add(Home(building_id=building.id, unit="9", room="901", area_m2=50))
        uow.commit()
        found = metrics.quality(uow, CHAOYANG, "2026-11", NOW, SupervisionSettings(), TZ)
    row = next(c for c in found["companies"] if c["company_id"] == sworld.company_id)
    assert row["homes"] == 4
