"""GET /console/api/openapi.json: the OpenAPI 3.1 document, built from the declarations."""

from __future__ import annotations

from typing import Any

from bot import __version__
from bot.console import conventions as conv
from bot.console.routes import Call, ConsoleRoutes, Endpoint
from bot.console.session import COOKIE, CSRF_HEADER

routes = ConsoleRoutes()
REASONS = {
    400: "Invalid input", 401: "Not logged in", 403: "Role lacks the permission, or CSRF token missing",
    404: "No such resource in your scope", 409: "Conflict with the resource's state",
    429: "Too many attempts", 503: "Unavailable",
}


def document(endpoints: list[Endpoint]) -> dict[str, Any]:
    """The whole document for `endpoints`."""
    paths: dict[str, dict[str, Any]] = {}
    for ep in endpoints:
        paths.setdefault("/console/api" + ep.path, {})[ep.method.lower()] = operation(ep)
    return {
        "openapi": "3.1.0",
        "info": {"title": "物业管家 console API", "version": __version__,
                 "description": "Ids are integers; times ISO-8601 with offset (+08:00); errors "
                                "{error, message}; lists take limit and cursor and return next_cursor."},
        "paths": paths,
        "components": {
            "schemas": {"Error": conv.ERROR_SCHEMA},
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": COOKIE},
                "csrf": {"type": "apiKey", "in": "header", "name": CSRF_HEADER},
            },
        },
    }


def operation(ep: Endpoint) -> dict[str, Any]:
    """One operation: parameters, body, and every status it may answer."""
    op: dict[str, Any] = {
        "operationId": ep.handler.__name__, "summary": ep.summary, "tags": [ep.tag],
        "responses": {"200": {"description": "OK",
                              "content": {ep.produces: {"schema": ep.response}}}},
    }
    if ep.permission:
        op["x-permission"] = ep.permission
    params = [{"name": n, "in": "path", "required": True, "schema": conv.ID} for n in ep.path_params]
    params += [{"name": n, "in": "query", "required": False, "schema": s} for n, s in ep.query.items()]
    if params:
        op["parameters"] = params
    if ep.body is not None:
        op["requestBody"] = {"required": True, "content": _json(ep.body)}
    writes = ep.method != "GET"
    op["security"] = ([{"session": [], "csrf": []}] if writes else [{"session": []}]) if ep.auth else []
    for status in error_statuses(ep):
        op["responses"][str(status)] = {"description": REASONS[status],
                                        "content": _json({"$ref": "#/components/schemas/Error"})}
    return op


def error_statuses(ep: Endpoint) -> list[int]:
    """The error statuses an endpoint may answer, by its declaration."""
    found = set(ep.statuses)
    if ep.body is not None or ep.query:
        found.add(400)
    if ep.auth:
        found.add(401)
        if ep.permission or ep.method != "GET":
            found.add(403)
    if ep.path_params:
        found.add(404)
    return sorted(found)


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


@routes.api("GET", "/openapi.json", summary="This document", auth=False, tag="meta",
            response={"type": "object", "required": ["openapi", "paths"]})
async def openapi(call: Call) -> dict[str, Any]:
    from bot.console import declared

    return document(declared()[0])
