"""The OpenAPI document against the implementation: every operation called, every answer checked."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from bot.app import App
from handlers.office.permissions import roles_with
from tests.bot.console.apicheck import call, operations
from tests.bot.console.conftest import Office, login
from tests.bot.console.test_isolation import RESOURCES, company_a_resources


async def document(client: TestClient) -> dict[str, Any]:
    response = await client.get("/console/api/openapi.json")
    assert response.status == 200
    return await response.json()


async def test_document_shape(client: TestClient, office: Office) -> None:
    doc = await document(client)
    assert doc["openapi"].startswith("3.1")
    seen = {(m, p) for m, p, _ in operations(doc)}
    assert {("POST", "/console/api/login"), ("POST", "/console/api/logout"),
            ("GET", "/console/api/me")} <= seen
    for method, path, op in operations(doc):
        assert op["summary"] and op["operationId"], (method, path)
        if op["security"]:
            assert "401" in op["responses"], (method, path)
        for param in op.get("parameters", []):
            if param["in"] == "path":
                assert param["schema"]["type"] == "integer"  # ids are integers
                assert param["name"] in RESOURCES, f"add {param['name']} to RESOURCES"
                assert "404" in op["responses"]


async def test_every_operation_answers_as_documented(
    client: TestClient, office: Office, console_app: App
) -> None:
    doc = await document(client)
    mine = company_a_resources(console_app, office)
    for method, path, op in operations(doc):
        client.session.cookie_jar.clear()
        if op["security"]:  # without a session: 401 in the error shape
            status, _ = await call(client, doc, method, path, op, resources=mine)
            assert status == 401, (method, path)
        who = office.phones[role_for(op)]
        csrf = await login(client, who)
        status, _ = await call(client, doc, method, path, op, resources=mine, csrf=csrf)
        assert status < 500
        if path != "/console/api/login" and op["security"]:
            assert status in (200, 400, 409), (method, path, status)
        if "requestBody" in op:  # a body of the wrong type
            csrf = await login(client, who)
            status, _ = await call(client, doc, method, path, op, resources=mine, csrf=csrf, body=[1])
            assert status == 400, (method, path)
        if "{" in path:  # an id that does not exist
            csrf = await login(client, who)
            missing = {name: 10**9 for name in mine}
            status, _ = await call(client, doc, method, path, op, resources=missing, csrf=csrf)
            assert status == 404, (method, path)
        for name, schema in ((p["name"], p["schema"]) for p in op.get("parameters", [])
                             if p["in"] == "query" and p["schema"].get("type") == "integer"):
            status, _ = await call(client, doc, method, path, op, resources=mine, csrf=csrf,
                                   query={name: "abc"})
            assert status == 400, (method, path, name, schema)


def role_for(op: dict[str, Any]) -> str:
    """Company A's admin, the district's regulator where only regulators hold the permission,
    else company A's account of a role that holds it (finance for refunds)."""
    permission = op.get("x-permission")
    if not permission or "admin" in roles_with(permission):
        return "a:admin"
    roles = roles_with(permission)
    return "regulator" if "regulator" in roles else "a:" + sorted(roles)[0]


async def test_unknown_api_paths_answer_json_404(client: TestClient, office: Office) -> None:
    for method, path in (("GET", "/console/api/nothing"), ("DELETE", "/console/api/me")):
        response = await client.request(method, path)
        assert response.status == 404
        assert (await response.json())["error"] == "not_found"
