"""The credit file: filings, certificates with reminders, records written by cases and
rectifications, disclosures checked present and current; and the `credit` command."""

from __future__ import annotations

import argparse
import json
from datetime import date

import pytest
from sqlalchemy import select

from handlers.deps import Deps
from handlers.errors import Invalid, NotFound
from handlers.jobs import JOBS
from handlers.supervision import cases, credit, rectifications
from handlers.supervision.scope import RegulatorScope
from storage.models import Company, OutboxMessage
from tests.factories import World, bind_identity
from tests.handlers.supervision.conftest import Uow
from tests.handlers.supervision.helpers import TZ, at, make_ticket

CHAOYANG = RegulatorScope("朝阳区")


def test_the_file_shows_filings_certificates_records_and_disclosures(db: Uow, sworld: World) -> None:
    today = date(2026, 11, 27)
    with db() as uow:
        company = uow.session.get(Company, sworld.company_id)
        credit.file_project(uow, company, "望京花园", "赵经理", "13700000002", date(2024, 1, 1))
        credit.file_project(uow, company, "望京花园", "钱经理", "", date(2026, 6, 1))  # re-filed
        credit.add_certificate(uow, company, "张师傅", "电工", "DG-1", date(2027, 6, 1))
        credit.add_certificate(uow, company, "赵经理", "电梯安全管理员", "DT-9", date(2026, 12, 20))
        credit.add_certificate(uow, company, "老李", "消防设施操作员", "", date(2026, 10, 1))
        credit.record(uow, company.id, "good", "award", "2026年度区级优秀物业项目", today)
        credit.add_disclosure(uow, "望京花园", "fees", date(2026, 1, 1))
        credit.add_disclosure(uow, "望京花园", "service_standard", date(2025, 1, 1), date(2025, 12, 31))
        credit.add_disclosure(uow, "望京花园", "contract", date(2024, 1, 1))
        ticket = make_ticket(uow, community_id=sworld.community_id, home_id=None, owner_id=None,
                             kind="complaint", created="2026-11-02 10:00")
        cases.open_case(uow, ticket, "overdue", at("2026-11-10 09:00"))
        uow.commit()
        found = credit.credit_file(uow, CHAOYANG, "京华物业服务有限公司", today)
        with pytest.raises(NotFound):
            credit.credit_file(uow, RegulatorScope("海淀区"), sworld.company_id, today)
    assert found["filings"] == [{"community": "望京花园", "manager": "钱经理", "filed_on": "2026-06-01"}]
    assert [(c["holder"], c["state"]) for c in found["certificates"]] == [
        ("老李", "expired"), ("赵经理", "expiring"), ("张师傅", "valid")]
    assert {(r["kind"], r["category"]) for r in found["records"]} == {("good", "award"), ("bad", "case")}
    assert found["disclosures"] == [{"community": "望京花园", "fees": "current",
                                     "service_standard": "outdated", "contract": "current",
                                     "fund_use": "missing", "complete": False}]


def test_rectifications_write_their_records_once(db: Uow, sworld: World) -> None:
    with db() as uow:
        late = rectifications.issue(uow, CHAOYANG, sworld.company_id, "清理楼道", date(2026, 11, 30),
                                    at("2026-11-27 10:00"), TZ)
        ok = rectifications.issue(uow, CHAOYANG, sworld.company_id, "公示收费", date(2026, 12, 10),
                                  at("2026-11-27 10:00"), TZ)
        rectifications.flag_overdue(uow, at("2026-12-01 09:00"), TZ)
        rectifications.flag_overdue(uow, at("2026-12-02 09:00"), TZ)
        rectifications.answer(uow, sworld.company_id, ok.id, "已公示", [], at("2026-12-03 09:00"), "s")
        rectifications.accept(uow, CHAOYANG, ok.id, at("2026-12-04 09:00"))
        uow.commit()
        records = [(r.kind, r.ref) for r in uow.supervision.credit_records(sworld.company_id)]
        assert sorted(records) == sorted([("bad", f"Z{late.id}"), ("good", f"Z{ok.id}")])


def test_certificates_are_reminded_60_and_30_days_ahead_once_each(sdeps: Deps, sworld: World) -> None:
    with sdeps.uow() as uow:
        bind_identity(uow, "wecom", "zhao", at("2026-11-01 09:00"), staff_id=sworld.staff_ids["manager"])
        credit.add_certificate(uow, uow.session.get(Company, sworld.company_id), "张师傅",
                               "电梯安全管理员", "DT-1", date(2027, 1, 30))
        uow.commit()
    job = JOBS["supervision_escalations"]
    counts = [job(sdeps, at(day)).queued for day in (
        "2026-11-30 09:15",  # 61 days left
        "2026-12-01 09:15",  # 60: first reminder
        "2026-12-02 09:15",  # nothing new
        "2026-12-31 09:15",  # 30: second reminder
        "2027-01-05 09:15")]
    assert counts == [0, 1, 0, 1, 0]
    with sdeps.uow() as uow:
        texts = [json.loads(m.payload)["text"] for m in uow.session.scalars(select(OutboxMessage))]
    assert any("还有60天" in x for x in texts) and any("还有30天" in x for x in texts)


def test_bad_entries_are_refused(db: Uow, sworld: World) -> None:
    with db() as uow:
        company = uow.session.get(Company, sworld.company_id)
        with pytest.raises(Invalid):
            credit.add_disclosure(uow, "望京花园", "lunch_menu", date(2026, 1, 1))
        with pytest.raises(NotFound):
            credit.file_project(uow, company, "不存在小区", "某人", "", date(2026, 1, 1))
        with pytest.raises(Invalid):
            credit.record(uow, company.id, "great", "award", "x", date(2026, 1, 1))


def test_the_credit_command(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.app import build_app
    from bot.commands import credit as command
    from bot.config import Settings
    from storage.models import Base
    from tests.factories import build_world

    app = build_app(Settings(database={"url": f"sqlite:///{tmp_path}/c.sqlite3"}, redis={"url": ""}),
                    parser=object())  # type: ignore[arg-type]
    Base.metadata.create_all(app.engine)
    with app.deps.uow() as uow:
        build_world(uow)
        uow.commit()

    def cli(*argv: str) -> int:
        parser = argparse.ArgumentParser()
        command.register(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(argv)
        return int(args.func(args, app) or 0)

    assert cli("credit", "filing", "--company", "京华物业服务有限公司", "--community", "望京花园",
               "--manager", "赵经理", "--date", "2026-01-01") == 0
    assert cli("credit", "disclosure", "--community", "望京花园", "--kind", "fees", "--date", "2026-01-01") == 0
    assert cli("credit", "filing", "--company", "无此公司", "--community", "望京花园", "--manager", "x") == 2
    capsys.readouterr()
    assert cli("credit", "show", "--company", "京华物业服务有限公司", "--district", "朝阳区") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["filings"][0]["manager"] == "赵经理" and shown["disclosures"][0]["fees"] == "current"
    app.close()
