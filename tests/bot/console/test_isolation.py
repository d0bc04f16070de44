"""The isolation matrix: every console endpoint that names a resource, called by company B's
people for company A's resource, answers 404 — and company A's own people get it."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp.test_utils import TestClient

from bot.app import App
from bot.console import declared
from tests.bot.console.conftest import Office, login

# path parameter → a function making (or finding) company A's resource and returning its id.
# Every `{name}` of every declared endpoint must be here (test_openapi checks).
RESOURCES: dict[str, Callable[[App, Office], int]] = {}


def company_a_resources(app: App, office: Office) -> dict[str, int]:
    """One company-A resource id per path parameter."""
    return {name: make(app, office) for name, make in RESOURCES.items()}


async def test_company_b_gets_404_for_every_company_a_resource(
    client: TestClient, office: Office, console_app: App
) -> None:
    endpoints = [e for e in declared()[0] if e.path_params]
    ids = company_a_resources(console_app, office)
    for role in ("b:admin", "b:front_desk"):
        for endpoint in endpoints:
            csrf = await login(client, office.phones[role])
            path = endpoint.path
            for name in endpoint.path_params:
                path = path.replace("{" + name + "}", str(ids[name]))
            response = await client.request(endpoint.method, "/console/api" + path,
                                             headers={"X-CSRF-Token": csrf}, json={"text": "你好"})
            assert response.status == 404, (role, endpoint.method, endpoint.path, response.status)
            assert (await response.json())["error"] == "not_found"
