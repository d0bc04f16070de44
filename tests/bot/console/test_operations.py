"""Operations and books in the console: the issue's shapes, roles, and company isolation."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from bot.app import App
from handlers.jobs import JOBS
from tests.bot.console.conftest import Office, login
from tests.chat import FakeClock


async def test_plan_tasks_expenses_and_books(client: TestClient, office: Office, console_app: App,
                                             clock: FakeClock) -> None:
    csrf = await login(client, office.phones["a:manager"])
    headers = {"X-CSRF-Token": csrf}
    response = await client.post("/console/api/plans", headers=headers, json={
        "community": "望京花园", "title": "大堂保洁", "schedule": "daily 09:00", "role": "保洁",
        "checklist": ["拖地", "擦电梯按钮"], "photo_required": False})
    assert response.status == 200, await response.text()
    plan = await response.json()
    assert plan["checklist"] == ["拖地", "擦电梯按钮"] and plan["role"] == "cleaning"
    JOBS["service_tasks"](console_app.deps, clock.now.replace(day=28, hour=9, minute=0))
    response = await client.get("/console/api/tasks", params={"date": "2026-11-28"})
    (task,) = (await response.json())["tasks"]
    assert (task["title"], task["status"], task["starts_at"]) == ("大堂保洁", "open", "2026-11-28T09:00:00+08:00")
    response = await client.post(f"/console/api/tasks/{task['id']}/check", headers=headers,
                                 json={"items": [1, 2], "done": True})
    assert (await response.json())["status"] == "done"
    assert (await (await client.get("/console/api/tasks", params={"date": "2026-11-29"})).json())["tasks"] == []

    csrf = await login(client, office.phones["a:finance"])
    response = await client.post("/console/api/expenses", headers={"X-CSRF-Token": csrf}, json={
        "community": "望京花园", "category": "保洁", "amount": "1234.50", "date": "2026-11-05",
        "payee": "洁美保洁", "note": "11月外包"})
    assert response.status == 200, await response.text()
    assert (await response.json())["amount"] == "1234.50"
    response = await client.post("/console/api/expenses", headers={"X-CSRF-Token": csrf}, json={
        "community": office.world.community_id, "category": "保洁", "amount": "12.345", "date": "2026-11-05"})
    assert response.status == 400 and (await response.json())["error"] == "invalid"
    books = await (await client.get("/console/api/books", params={"community": "望京花园", "month": "2026-11"})).json()
    assert books["expense_total"] == "1234.50" and books["expenses"][0]["name"] == "保洁"
    page = await client.get("/console/books", params={"community": "望京花园", "month": "2026-11"})
    assert page.status == 200 and "1234.50" in await page.text()
    report = await client.get("/console/books/report", params={"community": "望京花园", "month": "2026-11",
                                                               "format": "pdf"})
    assert report.status == 200 and (await report.read()).startswith(b"%PDF")


async def test_roles_and_isolation(client: TestClient, office: Office) -> None:
    csrf = await login(client, office.phones["a:cleaning"])
    response = await client.post("/console/api/plans", headers={"X-CSRF-Token": csrf}, json={
        "community": "望京花园", "title": "x", "schedule": "daily", "role": "保洁"})
    assert response.status == 403
    assert (await client.get("/console/api/books", params={"community": "望京花园", "month": "2026-11"})).status == 403
    csrf = await login(client, office.phones["b:admin"])
    for path, body in (("/console/api/expenses", {"community": "望京花园", "category": "保洁", "amount": "1.00",
                                                  "date": "2026-11-05"}),
                       ("/console/api/plans", {"community": "望京花园", "title": "x", "schedule": "daily",
                                               "role": "保洁"})):
        response = await client.post(path, headers={"X-CSRF-Token": csrf}, json=body)
        assert response.status == 400 and "没有找到小区" in (await response.json())["message"]
    response = await client.get("/console/api/books", params={"community": "望京花园", "month": "2026-11"})
    assert response.status == 400


async def test_rota_through_the_console(client: TestClient, office: Office) -> None:
    csrf = await login(client, office.phones["a:admin"])
    response = await client.post("/console/api/rota", headers={"X-CSRF-Token": csrf}, json={
        "community": "望京花园", "role": "manager", "staff": "13700000002", "kind": "night",
        "starts_at": "2026-11-27T20:00:00+08:00", "ends_at": "2026-11-28T08:00:00+08:00"})
    assert response.status == 200, await response.text()
    shifts = (await (await client.get("/console/api/rota", params={"community": "望京花园",
                                                                   "date": "2026-11-27"})).json())["shifts"]
    assert [(s["kind"], s["staff_name"]) for s in shifts] == [("night", "赵经理")]
    page = await client.get("/console/rota", params={"community": "望京花园", "date": "2026-11-27"})
    assert page.status == 200 and "赵经理" in await page.text()
