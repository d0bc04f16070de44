"""Operations and open books in the console: plans, the day's tasks, the rota, staff leaving,
expenses and the month's books (JSON under /console/api, pages /console/rota and /console/books).

Every handler runs a use case of handlers/office/ with the logged-in actor; scope,
permissions and the audit log are the use cases' business.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.console import conventions as conv
from bot.console.routes import Call, ConsoleRoutes
from bot.console.state import CONSOLE_KEY, NavItem
from bot.finance_report import write as write_report
from handlers.errors import Invalid
from handlers.office import books, plans, rota, staff_lifecycle
from handlers.office.books import MonthSummary
from handlers.office.plans import TaskView
from handlers.texts import t
from storage.models.operations import SHIFT_KINDS, TASK_STATUSES, Expense

routes = ConsoleRoutes()
NAV = [NavItem("值班表", "/console/rota", "rota.read"), NavItem("收支公开", "/console/books", "books.read")]

TEXT = {"type": "string", "maxLength": 500}
COMMUNITY = {"type": ["string", "integer"]}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$"}
MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$"}
PLAN_BODY = {
    "type": "object", "required": ["community", "title", "schedule"], "additionalProperties": False,
    "properties": {
        "community": COMMUNITY, "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "schedule": {"type": "string", "minLength": 1, "maxLength": 100},
        "role": {"type": "string", "maxLength": 30}, "staff": {"type": "array", "items": {"type": "string"}},
        "checklist": {"type": "array", "items": TEXT}, "photo_required": {"type": "boolean"},
        "buildings": {"type": "array", "items": {"type": "string"}},
        "window_minutes": {"type": "integer", "minimum": 15, "maximum": 1440},
    },
}
PLAN = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "community_id", "title", "schedule", "role", "staff_ids", "checklist", "photo_required",
                 "window_minutes", "buildings"],
    "properties": {
        "id": conv.ID, "community_id": conv.ID, "title": {"type": "string"}, "schedule": {"type": "string"},
        "role": {"type": "string"}, "staff_ids": {"type": "array", "items": conv.ID},
        "checklist": {"type": "array", "items": {"type": "string"}}, "photo_required": {"type": "boolean"},
        "window_minutes": {"type": "integer"}, "buildings": {"type": "array", "items": {"type": "string"}},
    },
}
TASK = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "plan_id", "title", "community", "date", "starts_at", "due_at", "status", "late",
                 "assignee", "done_at", "checklist", "photos"],
    "properties": {
        "id": conv.ID, "plan_id": conv.ID, "title": {"type": "string"}, "community": {"type": "string"},
        "date": DATE, "starts_at": conv.TIME, "due_at": conv.TIME,
        "status": {"type": "string", "enum": list(TASK_STATUSES)}, "late": {"type": "boolean"},
        "assignee": {"type": "string"}, "done_at": conv.TIME_OR_NULL,
        "checklist": {"type": "array", "items": {
            "type": "object", "required": ["index", "text", "done"],
            "properties": {"index": {"type": "integer"}, "text": {"type": "string"}, "done": {"type": "boolean"}}}},
        "photos": {"type": "array", "items": {"type": "string"}},
    },
}
# Lenient on purpose: an unknown or foreign task answers 404 before the body matters.
CHECK_BODY = {"type": "object", "properties": {
    "items": {"type": "array", "items": {"type": "integer", "minimum": 1}},
    "photos": {"type": "array", "items": {"type": "string", "maxLength": 300}}, "done": {"type": "boolean"}}}
EXPENSE_BODY = {
    "type": "object", "required": ["community", "category", "amount", "date"], "additionalProperties": False,
    "properties": {"community": COMMUNITY, "category": {"type": "string", "maxLength": 30},
                   "amount": {"type": "string", "maxLength": 20}, "date": {"type": "string", "maxLength": 10},
                   "payee": {"type": "string", "maxLength": 200}, "note": TEXT,
                   "invoice": {"type": "string", "maxLength": 300}},
}
EXPENSE = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "community_id", "category", "amount", "date", "payee", "note", "invoice"],
    "properties": {"id": conv.ID, "community_id": conv.ID, "category": {"type": "string"}, "amount": MONEY,
                   "date": DATE, "payee": {"type": "string"}, "note": {"type": "string"},
                   "invoice": {"type": "string"}},
}
LINE = {"type": "object", "required": ["code", "name", "amount"],
        "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "amount": MONEY}}
BOOKS = {
    "type": "object", "additionalProperties": False,
    "required": ["community", "month", "income", "expenses", "income_total", "expense_total", "balance", "lines"],
    "properties": {"community": {"type": "string"}, "month": MONTH,
                   "income": {"type": "array", "items": LINE}, "expenses": {"type": "array", "items": LINE},
                   "income_total": MONEY, "expense_total": MONEY, "balance": MONEY,
                   "lines": {"type": "array", "items": EXPENSE}},
}
SHIFT_BODY = {
    "type": "object", "required": ["community", "role", "staff", "starts_at", "ends_at"],
    "additionalProperties": False,
    "properties": {"community": COMMUNITY, "role": {"type": "string", "maxLength": 30},
                   "staff": {"type": "string", "maxLength": 20}, "kind": {"type": "string", "enum": list(SHIFT_KINDS)},
                   "starts_at": conv.TIME, "ends_at": conv.TIME, "days": {"type": "integer", "minimum": 1, "maximum": 92}},
}
SHIFT = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "role", "kind", "staff_id", "staff_name", "starts_at", "ends_at"],
    "properties": {"id": conv.ID, "role": {"type": "string"}, "kind": {"type": "string", "enum": list(SHIFT_KINDS)},
                   "staff_id": conv.ID, "staff_name": {"type": "string"}, "starts_at": conv.TIME,
                   "ends_at": conv.TIME},
}
LEAVE = {
    "type": "object", "additionalProperties": False,
    "required": ["staff_id", "name", "chat_accounts", "console_accounts", "shifts", "tickets", "tasks"],
    "properties": {"staff_id": conv.ID, "name": {"type": "string"}, "chat_accounts": {"type": "integer"},
                   "console_accounts": {"type": "integer"}, "shifts": {"type": "integer"},
                   "tickets": {"type": "array", "items": {"type": "string"}},
                   "tasks": {"type": "array", "items": conv.ID}},
}


def _money(value: object) -> str:
    return f"{value:.2f}"


def _page(items: list[dict[str, Any]], query: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """Newest (highest id) first, below the cursor, `limit` of them."""
    limit, cursor = conv.paging(query)
    rows = sorted((i for i in items if cursor is None or i["id"] < cursor), key=lambda i: -i["id"])[:limit]
    return rows, conv.next_cursor([r["id"] for r in rows], limit)


def _task_json(call: Call, view: TaskView) -> dict[str, Any]:
    return {"id": view.id, "plan_id": view.plan_id, "title": view.title, "community": view.community,
            "date": view.day.isoformat(), "starts_at": call.iso(view.starts_at), "due_at": call.iso(view.due_at),
            "status": view.status, "late": view.late, "assignee": view.assignee, "done_at": call.iso(view.done_at),
            "checklist": view.checklist, "photos": view.photos}


def _expense_json(expense: Expense) -> dict[str, Any]:
    return {"id": expense.id, "community_id": expense.community_id, "category": expense.category,
            "amount": _money(expense.amount), "date": expense.spent_on.isoformat(), "payee": expense.payee,
            "note": expense.note, "invoice": expense.invoice_ref}


def _books_json(summary: MonthSummary) -> dict[str, Any]:
    from handlers import billing_rules as rules

    return {
        "community": summary.community, "month": summary.month,
        "income": [{"code": k, "name": rules.item_name(k, "zh"), "amount": _money(v)} for k, v in summary.income.items()],
        "expenses": [{"code": k, "name": t(f"expense_{k}"), "amount": _money(v)} for k, v in summary.expenses.items()],
        "income_total": _money(summary.income_total), "expense_total": _money(summary.expense_total),
        "balance": _money(summary.balance), "lines": [_expense_json(e) for e in summary.lines],
    }


def _in_uow(call: Call, work: Any) -> Any:
    """Run `work(uow, now)` in one unit of work and commit."""
    with call.app.deps.uow() as uow:
        result = work(uow, call.now())
        uow.commit()
        return result


@routes.api("POST", "/plans", summary="Create a service plan (the service_tasks job makes its tasks)",
            permission="plans.write", body=PLAN_BODY, response=PLAN, tag="operations")
async def create_plan(call: Call) -> dict[str, Any]:
    b = call.body
    request = plans.PlanRequest(b["community"], b["title"], b["schedule"], tuple(b.get("checklist", ())),
                                b.get("role", ""), tuple(b.get("staff", ())), bool(b.get("photo_required")),
                                tuple(b.get("buildings", ())), int(b.get("window_minutes", 240)))

    def work(uow: Any, now: datetime) -> dict[str, Any]:
        plan = plans.create_plan(uow, call.me, request, now)
        return {"id": plan.id, "community_id": plan.community_id, "title": plan.title, "schedule": plan.schedule,
                "role": plan.role, "staff_ids": [int(i) for i in plan.staff_ids.split(",") if i],
                "checklist": plans.checklist_of(plan), "photo_required": plan.photo_required,
                "window_minutes": plan.window_minutes, "buildings": [b for b in plan.buildings.split(",") if b]}
    return await call.run(_in_uow, call, work)


@routes.api("GET", "/tasks", summary="The service tasks of one day (default today)", permission="tasks.read",
            query={"date": DATE, **conv.PAGING_QUERY}, response=conv.list_schema("tasks", TASK), tag="operations")
async def list_tasks(call: Call) -> dict[str, Any]:
    tz = call.app.deps.settings.timezone
    day = date.fromisoformat(call.query["date"]) if "date" in call.query else call.now().astimezone(tz).date()
    views = await call.run(_in_uow, call, lambda uow, now: plans.tasks_of_day(uow, call.me, day))
    rows, cursor = _page([_task_json(call, v) for v in views], call.query)
    return {"tasks": rows, "next_cursor": cursor}


# Path ids: the use case checks the scope first (another company's id is 404), then the
# permission (`tasks.write`, `staff.lifecycle`: 403), so the endpoint declares none.
@routes.api("POST", "/tasks/{task_id}/check", summary="Check items off, add photos, finish a task (tasks.write)",
            body=CHECK_BODY, response=TASK, statuses=(403,), tag="operations")
async def check_task(call: Call) -> dict[str, Any]:
    b = call.body if isinstance(call.body, dict) else {}
    view = await call.run(_in_uow, call, lambda uow, now: plans.check_task(
        uow, call.me, call.path["task_id"], list(b.get("items") or []), list(b.get("photos") or []),
        bool(b.get("done")), now))
    return _task_json(call, view)


@routes.api("POST", "/rota", summary="Put someone on the duty rota", permission="rota.write",
            body=SHIFT_BODY, response=conv.list_schema("shifts", SHIFT), tag="operations")
async def set_rota(call: Call) -> dict[str, Any]:
    b = call.body
    try:
        request = rota.ShiftRequest(b["community"], b["role"], b["staff"], b.get("kind", "day"),
                                    datetime.fromisoformat(b["starts_at"]), datetime.fromisoformat(b["ends_at"]),
                                    int(b.get("days", 1)))
    except ValueError:
        raise Invalid("rota_bad_times") from None
    shifts = await call.run(_in_uow, call, lambda uow, now: [
        {"id": s.id, "role": s.role, "kind": s.kind, "staff_id": s.staff_id, "staff_name": "",
         "starts_at": call.iso(s.starts_at), "ends_at": call.iso(s.ends_at)}
        for s in rota.set_shifts(uow, call.me, request, now)])
    return {"shifts": shifts, "next_cursor": None}


@routes.api("GET", "/rota", summary="The duty rota of one community and day", permission="rota.read",
            query={"community": {"type": "string", "maxLength": 200}, "date": DATE, **conv.PAGING_QUERY},
            response=conv.list_schema("shifts", SHIFT), tag="operations")
async def get_rota(call: Call) -> dict[str, Any]:
    lines = await call.run(_rota_lines, call)
    rows, cursor = _page(lines, call.query)
    return {"shifts": rows, "next_cursor": cursor}


def _rota_lines(call: Call) -> list[dict[str, Any]]:
    tz = call.app.deps.settings.timezone
    if not call.query.get("community"):
        raise Invalid("ops_no_community", name="")
    day = date.fromisoformat(call.query["date"]) if "date" in call.query else call.now().astimezone(tz).date()
    with call.app.deps.uow() as uow:
        return [{"id": line.shift_id, "role": line.role, "kind": line.kind, "staff_id": line.staff_id,
                 "staff_name": line.staff_name, "starts_at": call.iso(line.starts_at), "ends_at": call.iso(line.ends_at)}
                for line in rota.rota_of_day(uow, call.me, call.query["community"], day, tz)]


@routes.api("POST", "/staff/{staff_id}/leave",
            summary="A staff member leaves now: access revoked, work handed over (staff.lifecycle)",
            response=LEAVE, statuses=(403,), tag="operations")
async def staff_leave(call: Call) -> dict[str, Any]:
    report = await call.run(_in_uow, call, lambda uow, now: staff_lifecycle.leave_staff_by_id(
        uow, call.me, call.path["staff_id"], now))
    return {"staff_id": report.staff_id, "name": report.name, "chat_accounts": report.chat_accounts,
            "console_accounts": report.console_accounts, "shifts": report.shifts, "tickets": report.tickets,
            "tasks": report.tasks}


@routes.api("POST", "/expenses", summary="Record an expense of a community", permission="books.write",
            body=EXPENSE_BODY, response=EXPENSE, tag="books")
async def create_expense(call: Call) -> dict[str, Any]:
    b = call.body
    request = books.ExpenseRequest(b["community"], b["category"], b["amount"], b["date"], b.get("payee", ""),
                                   b.get("note", ""), b.get("invoice", ""))
    return await call.run(_in_uow, call, lambda uow, now: _expense_json(
        books.record_expense(uow, call.me, request, now)))


@routes.api("GET", "/books", summary="A community's month: income by item, spending by category, lines",
            permission="books.read", query={"community": {"type": "string", "maxLength": 200}, "month": MONTH},
            response=BOOKS, tag="books")
async def get_books(call: Call) -> dict[str, Any]:
    return _books_json(await call.run(_summary, call, call.query.get("community", ""), call.query.get("month", "")))


def _summary(call: Call, community: str, month: str) -> MonthSummary:
    with call.app.deps.uow() as uow:
        summary = books.community_month(uow, call.me, community, month, call.app.deps.settings.timezone)
        uow.session.expunge_all()  # the expense rows outlive the unit of work (read-only here)
        return summary


@routes.page("/console/rota", permission="rota.read")
async def rota_page(call: Call) -> web.StreamResponse:
    """The day's rota of one community (?community=&date=)."""
    console = call.request.app[CONSOLE_KEY]
    community = call.request.query.get("community", "")
    call.query = {k: v for k, v in call.request.query.items() if k in ("community", "date")}
    lines = await call.run(_rota_lines, call) if community else []
    return await console.render(call, "rota.html", community=community, lines=lines,
                                day=call.request.query.get("date", ""))


@routes.page("/console/books", permission="books.read")
async def books_page(call: Call) -> web.StreamResponse:
    """A community's month, with the XLSX and PDF report links (?community=&month=)."""
    console = call.request.app[CONSOLE_KEY]
    community, month = call.request.query.get("community", ""), call.request.query.get("month", "")
    summary = _books_json(await call.run(_summary, call, community, month)) if community and month else None
    return await console.render(call, "books.html", community=community, month=month, summary=summary)


@routes.page("/console/books/report", permission="books.read")
async def books_report(call: Call) -> web.StreamResponse:
    """The month's report as a download (?community=&month=&format=xlsx|pdf)."""
    query = call.request.query
    suffix = ".pdf" if query.get("format") == "pdf" else ".xlsx"
    summary = await call.run(_summary, call, query.get("community", ""), query.get("month", ""))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report{suffix}"
        await call.run(write_report, summary, path)
        data = path.read_bytes()
    kind = "application/pdf" if suffix == ".pdf" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"finance-{summary.month}{suffix}"
    return web.Response(body=data, content_type=kind,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
