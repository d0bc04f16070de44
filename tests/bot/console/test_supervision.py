"""The regulator's console endpoints: figures, cases, rectifications; scope and roles."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from bot.app import App
from tests.bot.console.conftest import Office, login
from tests.bot.console.test_isolation import _case
from tests.handlers.supervision.helpers import make_ticket


async def test_a_regulator_sees_its_districts_figures_and_cases(
    client: TestClient, office: Office, console_app: App,
) -> None:
    with console_app.deps.uow() as uow:
        make_ticket(uow, community_id=office.world.community_id, home_id=None, owner_id=None,
                    created="2026-11-02 10:00", accepted="2026-11-02 10:30",
                    resolved="2026-11-02 12:00", rating=5)
        uow.commit()
    case_id = _case(console_app, office)
    await login(client, office.phones["regulator"])
    response = await client.get("/console/api/supervision/metrics", params={"month": "2026-11"})
    assert response.status == 200
    body = await response.json()
    jinghua = next(c for c in body["companies"] if c["company"] == "京华物业服务有限公司")
    assert (jinghua["tickets"], jinghua["response_rate"], jinghua["satisfaction_rate"]) == (2, 0.5, 1.0)
    cases = await (await client.get("/console/api/supervision/cases", params={"status": "open"})).json()
    assert [c["id"] for c in cases["cases"]] == [case_id] and cases["cases"][0]["owner"] is None
    assert cases["cases"][0]["opened_at"].endswith("+08:00")
    assert (await client.get(f"/console/api/supervision/cases/{case_id}")).status == 200
    assert (await client.get("/console/api/supervision/metrics", params={"month": "2026/11"})).status == 400
    page = await client.get("/console/supervision", params={"month": "2026-11"})
    assert page.status == 200 and "京华物业服务有限公司" in await page.text()


async def test_another_districts_regulator_gets_404_and_staff_403(
    client: TestClient, office: Office, console_app: App,
) -> None:
    case_id = _case(console_app, office)
    csrf = await login(client, office.phones["other_regulator"])
    assert (await client.get(f"/console/api/supervision/cases/{case_id}")).status == 404
    listed = await (await client.get("/console/api/supervision/cases")).json()
    assert listed == {"cases": [], "next_cursor": None}
    issued = await client.post("/console/api/rectifications", headers={"X-CSRF-Token": csrf},
                               json={"company": "京华物业服务有限公司", "deadline": "2026-12-10", "text": "整改"})
    assert issued.status == 404 and (await issued.json())["error"] == "not_found"
    await login(client, office.phones["a:admin"])
    assert (await client.get("/console/api/supervision/metrics")).status == 403
    assert (await client.get("/console/supervision")).status == 403


async def test_issue_accept_and_return_through_the_api(
    client: TestClient, office: Office, console_app: App,
) -> None:
    case_id = _case(console_app, office)
    csrf = await login(client, office.phones["regulator"])
    headers = {"X-CSRF-Token": csrf}
    issued = await client.post("/console/api/rectifications", headers=headers, json={
        "company": "京华物业服务有限公司", "case_id": case_id, "deadline": "2026-12-10",
        "text": "三日内清理楼道杂物"})
    assert issued.status == 200
    notice = await issued.json()
    assert (notice["status"], notice["case_id"], notice["deadline"]) == ("issued", case_id, "2026-12-10")
    early = await client.post(f"/console/api/rectifications/{notice['id']}/accept", headers=headers, json={})
    assert early.status == 400  # not answered yet
    from handlers.supervision import rectifications

    with console_app.deps.uow() as uow:
        rectifications.answer(uow, office.company_a, notice["id"], "已清理", ["a.jpg"],
                              console_app.deps.clock(), "staff:2")
        uow.commit()
    back = await client.post(f"/console/api/rectifications/{notice['id']}/return", headers=headers,
                             json={"text": "1单元仍有堆物", "deadline": "2026-12-15"})
    assert back.status == 200 and (await back.json())["status"] == "returned"
    with console_app.deps.uow() as uow:
        rectifications.answer(uow, office.company_a, notice["id"], "全部清理", [], console_app.deps.clock(), "s")
        uow.commit()
    done = await client.post(f"/console/api/rectifications/{notice['id']}/accept", headers=headers,
                             json={"text": "核查通过"})
    assert done.status == 200 and (await done.json())["status"] == "accepted"
    detail = await (await client.get(f"/console/api/supervision/cases/{case_id}")).json()
    assert detail["status"] == "closed" and detail["rectifications"][0]["photos"] == ["a.jpg"]
    bad = await client.post("/console/api/rectifications", headers=headers,
                            json={"company": office.company_a, "deadline": "明天", "text": "x"})
    assert bad.status == 400
