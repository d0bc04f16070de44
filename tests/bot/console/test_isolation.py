"""The isolation matrix: every console endpoint that names a resource, called by company B's
people for company A's resource, answers 404 — and company A's own people get it."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp.test_utils import TestClient

from bot.app import App
from bot.console import declared
from handlers.office.permissions import roles_with
from tests.bot.console.apicheck import example
from tests.bot.console.conftest import Office, login


def company_a_conversation(app: App, office: Office) -> int:
    """王建国 (company A's owner) asks for a person in the web chat: a waiting conversation."""
    from sqlalchemy import select

    from storage.models import Conversation
    from tests.chat import Chat

    owner = Chat(app.deps, user="wang-web")
    owner.bind_to(office.world.home_ids["3-2-501"], office.world.owner_ids["13812345678"])
    owner.say("转人工")
    with app.deps.uow() as uow:
        return uow.session.scalars(select(Conversation.id).order_by(Conversation.id.desc())).first()


# path parameter → a function making (or finding) company A's resource and returning its id.
# Every `{name}` of every declared endpoint must be here (test_openapi checks).
def _case(app: App, office: Office) -> int:
    """A supervised case on a complaint in company A's 望京花园 (朝阳区)."""
    from handlers.supervision import cases
    from tests.handlers.supervision.helpers import make_ticket

    with app.deps.uow() as uow:
        ticket = make_ticket(uow, community_id=office.world.community_id, home_id=None,
                             owner_id=None, kind="complaint", created="2026-11-02 10:00")
        found, _ = cases.open_case(uow, ticket, "overdue", app.deps.clock())
        uow.commit()
        return found.id


def _rectification(app: App, office: Office) -> int:
    """A rectification notice the 朝阳区 regulator issued to company A."""
    from datetime import timedelta

    from handlers.supervision import rectifications
    from handlers.supervision.scope import RegulatorScope

    now = app.deps.clock()
    tz = app.deps.settings.timezone
    with app.deps.uow() as uow:
        notice = rectifications.issue(uow, RegulatorScope("朝阳区"), office.company_a, "整改",
                                      now.astimezone(tz).date() + timedelta(days=7), now, tz)
        uow.commit()
        return notice.id


RESOURCES: dict[str, Callable[[App, Office], int]] = {
    "case_id": _case, "rectification_id": _rectification,
    "conversation_id": company_a_conversation,
}
ROLE_OF = {"b:admin": "admin", "b:front_desk": "front_desk", "other_regulator": "regulator"}


def _task(app: App, office: Office) -> int:
    """An open service task of company A (a plan and today's task)."""
    from handlers.office.ops_access import OPERATOR
    from handlers.office.plans import PlanRequest, create_plan
    from handlers.staff_tasks.core import create_task

    now = app.deps.clock()
    with app.deps.uow() as uow:
        plan = create_plan(uow, OPERATOR, PlanRequest(office.world.community_id, "大堂保洁", "daily 08:00",
                                                      ("拖地",), role="保洁"), now)
        task = create_task(uow, plan, now.date(), now, now)
        assert task is not None
        uow.commit()
        return task.id


def _leaver(app: App, office: Office) -> int:
    """A company-A staff member nobody logs in as (a call may make them leave)."""
    from tests.factories import add_staff

    with app.deps.uow() as uow:
        staff_id = add_staff(uow, office.company_a, "离职测试", "13799990001", "cleaning")
        uow.commit()
        return staff_id


RESOURCES["task_id"] = _task  # issue 11: operations
RESOURCES["staff_id"] = _leaver


def company_a_resources(app: App, office: Office) -> dict[str, int]:
    """One company-A resource id per path parameter."""
    return {name: make(app, office) for name, make in RESOURCES.items()}


async def test_company_b_gets_404_for_every_company_a_resource(
    client: TestClient, office: Office, console_app: App
) -> None:
    endpoints = [e for e in declared()[0] if e.path_params]
    ids = company_a_resources(console_app, office)
    for role in ("b:admin", "b:front_desk", "other_regulator"):
        for endpoint in endpoints:
            if endpoint.permission and ROLE_OF[role] not in roles_with(endpoint.permission):
                continue  # a role without the permission is refused (403) before any lookup
            csrf = await login(client, office.phones[role])
            path = endpoint.path
            for name in endpoint.path_params:
                path = path.replace("{" + name + "}", str(ids[name]))
            response = await client.request(endpoint.method, "/console/api" + path,
                                             headers={"X-CSRF-Token": csrf},
                                             json=example(endpoint.body) if endpoint.body else None)
            assert response.status == 404, (role, endpoint.method, endpoint.path, response.status)
            assert (await response.json())["error"] == "not_found"


async def test_company_b_lists_and_pages_show_nothing_of_company_a(
    client: TestClient, office: Office, console_app: App
) -> None:
    ids = company_a_resources(console_app, office)
    await login(client, office.phones["b:front_desk"])
    listing = await (await client.get("/console/api/conversations")).json()
    assert listing == {"conversations": [], "next_cursor": None}
    page = await client.get(f"/console/conversations/{ids['conversation_id']}")
    assert page.status == 404
    inbox = await (await client.get("/console/conversations")).text()
    assert "3-2-501" not in inbox
    await login(client, office.phones["a:front_desk"])
    mine = await (await client.get("/console/api/conversations")).json()
    assert [c["id"] for c in mine["conversations"]] == [ids["conversation_id"]]
    assert (await client.get(f"/console/conversations/{ids['conversation_id']}")).status == 200


async def test_roles_without_the_inbox_get_403_not_data(
    client: TestClient, office: Office, console_app: App
) -> None:
    ids = company_a_resources(console_app, office)
    for role in ("a:repair", "a:finance", "a:cleaning"):
        await login(client, office.phones[role])
        response = await client.get(f"/console/api/conversations/{ids['conversation_id']}")
        assert response.status == 403 and (await response.json())["error"] == "forbidden"
