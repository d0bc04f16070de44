"""The regulator's console: quality figures, supervised cases, rectification notices.

Endpoints under /console/api/supervision and /console/api/rectifications, and the page
/console/supervision. Use cases: handlers.supervision.for_actor (permission, then scope;
another district's case or notice is 404).
"""

from __future__ import annotations

from typing import Any

from bot.console import conventions as conv
from bot.console.routes import Call, ConsoleRoutes
from bot.console.state import NavItem
from handlers.office import audit
from handlers.supervision import for_actor, rectifications
from handlers.supervision.scope import RegulatorScope

routes = ConsoleRoutes()
NAV = [NavItem("监管", "/console/supervision", "supervision.read")]

RATE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
NUMBER_OR_NULL = {"type": ["number", "null"]}
FIGURES: dict[str, Any] = {
    "tickets": {"type": "integer"}, "repairs": {"type": "integer"}, "complaints": {"type": "integer"},
    "response_rate": RATE, "resolution_rate": RATE, "satisfaction_rate": RATE,
    "return_visits": {"type": "integer"}, "satisfaction_answers": {"type": "integer"},
    "first_response_median_minutes": NUMBER_OR_NULL, "late_share": RATE, "reopen_rate": RATE,
}
ROW: dict[str, Any] = {
    "type": "object",
    "required": ["company", "homes", "tickets", "response_rate", "resolution_rate",
                 "satisfaction_rate", "complaints_per_100_homes", "bill_collection_rate", "hotline"],
    "properties": {**FIGURES, "company": {"type": "string"}, "homes": {"type": "integer"},
                   "complaints_per_100_homes": NUMBER_OR_NULL, "bill_collection_rate": RATE,
                   "hotline": {"type": "object", "properties": FIGURES}},
}
METRICS: dict[str, Any] = {
    "type": "object", "required": ["month", "companies", "communities"],
    "properties": {"month": {"type": "string"}, "companies": {"type": "array", "items": ROW},
                   "communities": {"type": "array", "items": ROW}},
}
CASE: dict[str, Any] = {
    "type": "object",
    "required": ["id", "status", "company", "community", "ticket", "category", "opened_at", "owner"],
    "properties": {
        "id": conv.ID, "status": {"type": "string", "enum": ["open", "closed"]},
        "origin": {"type": "string", "enum": ["overdue", "owner"]},
        "company": {"type": ["string", "null"]}, "community": {"type": ["string", "null"]},
        "ticket": {"type": ["string", "null"]}, "category": {"type": "string"},
        "opened_at": conv.TIME, "closed_at": conv.TIME_OR_NULL, "consent": {"type": "boolean"},
        "owner": {"type": ["object", "null"]},
    },
}
NOTICE: dict[str, Any] = {
    "type": "object", "required": ["id", "number", "status", "company", "deadline", "text"],
    "properties": {
        "id": conv.ID, "number": {"type": "string"},
        "status": {"type": "string", "enum": ["issued", "answered", "accepted", "returned", "overdue"]},
        "company": {"type": ["string", "null"]}, "case_id": {"type": ["integer", "null"]},
        "deadline": {"type": "string"}, "text": {"type": "string"},
        "photos": {"type": "array", "items": {"type": "string"}}, "overdue": {"type": "boolean"},
    },
}
ISSUE_BODY: dict[str, Any] = {
    "type": "object", "required": ["company", "deadline", "text"], "additionalProperties": False,
    "properties": {
        "company": {"type": ["integer", "string"]}, "case_id": {"type": ["integer", "null"]},
        "deadline": {"type": "string", "maxLength": 10}, "text": {"type": "string", "minLength": 1, "maxLength": 4000},
    },
}
DECIDE_BODY: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {"text": {"type": "string", "maxLength": 2000}, "deadline": {"type": "string", "maxLength": 10}},
}
MONTH_QUERY = {"month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"}}
CASES_QUERY = {"status": {"type": "string", "enum": ["open", "closed"]}, **conv.PAGING_QUERY}


def _month(call: Call) -> str:
    return call.query.get("month") or call.now().astimezone(call.app.deps.settings.timezone).strftime("%Y-%m")


@routes.api("GET", "/supervision/metrics", summary="Quality figures of the district (street) for a month",
            permission="supervision.read", query=MONTH_QUERY, response=METRICS, tag="supervision")
async def supervision_metrics(call: Call) -> dict[str, Any]:
    """Per company and community: the three rates and the rest (handlers.supervision.metrics)."""
    return await call.run(_metrics, call, _month(call))


def _metrics(call: Call, month: str) -> dict[str, Any]:
    deps = call.app.deps
    with deps.uow() as uow:
        return for_actor.quality(uow, call.me, month, call.now(), deps.settings.supervision,
                                 deps.settings.timezone)


@routes.api("GET", "/supervision/cases", summary="Supervised cases, newest first", tag="supervision",
            permission="supervision.read", query=CASES_QUERY, response=conv.list_schema("cases", CASE))
async def supervision_cases(call: Call) -> dict[str, Any]:
    """Owner data only in cases the owner agreed to escalate."""
    limit, cursor = conv.paging(call.query)
    found = await call.run(_cases, call, call.query.get("status"), cursor, limit)
    return {"cases": found, "next_cursor": conv.next_cursor([c["id"] for c in found], limit)}


def _cases(call: Call, status: str | None, cursor: int | None, limit: int) -> list[dict[str, Any]]:
    with call.app.deps.uow() as uow:
        return [_times(call, c) for c in for_actor.case_list(uow, call.me, status, cursor, limit)]


def _times(call: Call, view: dict[str, Any]) -> dict[str, Any]:
    from datetime import datetime

    for key in ("opened_at", "closed_at"):
        if view.get(key):
            view[key] = call.iso(datetime.fromisoformat(view[key]))
    return view


@routes.api("GET", "/supervision/cases/{case_id}", summary="One supervised case with its notices",
            permission="supervision.read", response=CASE, tag="supervision")
async def supervision_case(call: Call) -> dict[str, Any]:
    """404 for a case outside the district (street)."""
    return await call.run(_case, call, call.path["case_id"])


def _case(call: Call, case_id: int) -> dict[str, Any]:
    with call.app.deps.uow() as uow:
        return _times(call, for_actor.case_detail(uow, call.me, case_id))


@routes.api("POST", "/rectifications", summary="Issue a rectification notice (company by name or id)",
            permission="supervision.act", body=ISSUE_BODY, response=NOTICE, tag="supervision")
async def issue_rectification(call: Call) -> dict[str, Any]:
    """The company's managers are pushed at once; a case's owner hears of it."""
    return await call.run(_issue, call)


def _issue(call: Call) -> dict[str, Any]:
    deps, body = call.app.deps, call.body
    with deps.uow() as uow:
        found = for_actor.issue(uow, call.me, body["company"], body["text"], body["deadline"],
                                body.get("case_id"), call.now(), deps.settings.timezone)
        audit.record(uow, call.me, "rectification_issued", f"rectification:{found['id']}", call.now())
        uow.commit()
        return found


@routes.api("POST", "/rectifications/{rectification_id}/accept", summary="Accept a company's answer",
            permission="supervision.act", body=DECIDE_BODY, response=NOTICE, tag="supervision")
async def accept_rectification(call: Call) -> dict[str, Any]:
    """answered → accepted (its case closes)."""
    return await call.run(_decide, call, "accept")


@routes.api("POST", "/rectifications/{rectification_id}/return",
            summary="Return a company's answer as not enough (text: why; optional new deadline)",
            permission="supervision.act", body=DECIDE_BODY, response=NOTICE, tag="supervision")
async def return_rectification(call: Call) -> dict[str, Any]:
    """answered → returned."""
    return await call.run(_decide, call, "return")


def _decide(call: Call, action: str) -> dict[str, Any]:
    from datetime import date

    from handlers.errors import Invalid

    deps, note = call.app.deps, str(call.body.get("text") or "")
    notice_id = call.path["rectification_id"]
    with deps.uow() as uow:
        scope: RegulatorScope = for_actor.scope_of_actor(uow, call.me, "supervision.act")
        if action == "accept":
            notice = rectifications.accept(uow, scope, notice_id, call.now(), note)
        else:
            raw = str(call.body.get("deadline") or "")
            try:
                deadline = date.fromisoformat(raw) if raw else None
            except ValueError as err:
                raise Invalid("supervision_bad_deadline", deadline=raw) from err
            notice = rectifications.send_back(uow, scope, notice_id, call.now(),
                                              deps.settings.timezone, note, deadline)
        audit.record(uow, call.me, f"rectification_{action}", f"rectification:{notice_id}", call.now())
        uow.commit()
        return rectifications.view(uow, notice)


@routes.page("/console/supervision", permission="supervision.read")
async def supervision_page(call: Call) -> Any:
    """The month's figures per company and community, and the open cases."""
    month = call.request.query.get("month") or _month(call)
    figures = await call.run(_metrics, call, month)
    cases = await call.run(_cases, call, "open", None, 50)
    from bot.console.state import CONSOLE_KEY

    console = call.request.app[CONSOLE_KEY]
    return await console.render(call, "supervision.html", month=month, figures=figures, cases=cases)
