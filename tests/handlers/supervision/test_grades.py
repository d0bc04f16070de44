"""Red/black list and the half-yearly grade from configured indicators and weights."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.errors import Invalid
from handlers.supervision import grades, rectifications
from handlers.supervision.scope import RegulatorScope
from handlers.supervision.settings import SupervisionSettings
from tests.factories import World
from tests.handlers.supervision.conftest import Uow
from tests.handlers.supervision.helpers import TZ, at, make_ticket

CHAOYANG = RegulatorScope("朝阳区")


def _tickets(db: Uow, world: World, good: bool, company: str = "jinghua") -> None:
    """Five November repairs: all fast and 5 stars, or all slow and 1 star."""
    place = world.community_id if company == "jinghua" else world.other["community_id"]
    home = world.home_ids["3-2-501"] if company == "jinghua" else world.other["home_id"]
    owner = world.owner_ids["13812345678"] if company == "jinghua" else world.other["owner_id"]
    with db() as uow:
        for day in range(2, 7):
            accepted = f"2026-11-0{day} 10:30" if good else f"2026-11-0{day} 18:00"
            make_ticket(uow, community_id=place, home_id=home, owner_id=owner,
                        created=f"2026-11-0{day} 10:00", accepted=accepted,
                        resolved=f"2026-11-0{day} 20:00", rating=5 if good else 1)
        uow.commit()


def test_red_and_black_lists_from_the_three_rates(db: Uow, sworld: World) -> None:
    _tickets(db, sworld, good=True)
    _tickets(db, sworld, good=False, company="anju")
    with db() as uow:
        lists = grades.red_black(uow, CHAOYANG, "2026-11", at("2026-11-27 10:00"),
                                 SupervisionSettings(), TZ)
    assert [r["company"] for r in lists["red"]] == ["京华物业服务有限公司"]
    assert lists["red"][0]["score"] == 1.0
    assert [r["company"] for r in lists["black"]] == ["安居物业管理有限公司"]
    black = lists["black"][0]
    # Accepted after 8 h (limit 4 h): 0 responded; rated 1★: solved but 不满意.
    assert (black["response_rate"], black["resolution_rate"], black["satisfaction_rate"]) == (0.0, 1.0, 0.0)
    assert black["score"] == 0.3333


def test_too_few_tickets_keep_a_company_off_both_lists(db: Uow, sworld: World) -> None:
    _tickets(db, sworld, good=True)
    with db() as uow:
        lists = grades.red_black(uow, CHAOYANG, "2026-11", at("2026-11-27 10:00"),
                                 SupervisionSettings(list_min_tickets=6), TZ)
    assert lists["red"] == [] and lists["black"] == []


def test_the_grade_follows_the_configured_weights_with_a_breakdown(db: Uow, sworld: World) -> None:
    _tickets(db, sworld, good=False)
    with db() as uow:
        late = rectifications.issue(uow, CHAOYANG, sworld.company_id, "整改", date(2026, 11, 20),
                                    at("2026-11-10 10:00"), TZ)
        rectifications.flag_overdue(uow, at("2026-11-21 09:00"), TZ)
        uow.commit()
        assert late.status == "overdue"
        weights = {"satisfaction_rate": 1.0, "rectification_on_time_rate": 1.0, "bill_collection_rate": 0.0}
        found = grades.half_year_grades(uow, CHAOYANG, "2026-H2", at("2026-12-31 10:00"),
                                        SupervisionSettings(grade_weights=weights), TZ)
    jinghua = next(c for c in found["companies"] if c["company_id"] == sworld.company_id)
    assert (jinghua["score"], jinghua["grade"]) == (0.0, "D")
    parts = {p["indicator"]: p for p in jinghua["breakdown"]}
    assert parts["satisfaction_rate"]["value"] == 0.0
    assert parts["rectification_on_time_rate"]["value"] == 0.0  # its only notice went overdue
    assert parts["satisfaction_rate"]["effective_weight"] == 0.5
    anju = next(c for c in found["companies"] if c["company_id"] == sworld.other["company_id"])
    assert anju["score"] is None and anju["grade"] is None  # nothing to grade it on


def test_composite_shares_the_weight_of_missing_indicators() -> None:
    score, parts = grades.composite(
        {"response_rate": 0.9, "satisfaction_rate": 0.7, "bill_collection_rate": None},
        {"response_rate": 1.0, "satisfaction_rate": 1.0, "bill_collection_rate": 2.0})
    assert score == 0.8
    assert [p["effective_weight"] for p in parts] == [0.5, 0.5, 0.0]
    assert [grades.band(s, {"A": 0.9, "B": 0.8, "C": 0.6}) for s in (0.95, 0.8, 0.61, 0.2)] == [
        "A", "B", "C", "D"]


@pytest.mark.parametrize("half", ["2026-H3", "2026", "H1-2026"])
def test_a_bad_half_year_is_refused(half: str) -> None:
    with pytest.raises(Invalid):
        grades.metrics.months_of_half(half)
