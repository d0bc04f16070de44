"""Mounting console endpoints and pages: session, CSRF, permission, input checks, errors."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiohttp import web

from bot.console import conventions as conv
from bot.console.routes import Call, Endpoint, Page
from bot.console.schema import errors as schema_errors
from bot.console.session import COOKIE, CSRF_HEADER, Session
from bot.console.state import CONSOLE_KEY, Console
from handlers.errors import DomainError, Forbidden, Invalid, NotFound
from handlers.office.access import Actor, actor_for_account
from handlers.texts import TEXTS, t

log = logging.getLogger(__name__)
API_PREFIX = "/console/api"
STATUS_OF = {NotFound: (404, "not_found"), Forbidden: (403, "forbidden"), Invalid: (400, "invalid")}


def message(err: DomainError) -> str:
    """The Chinese text of a domain error (its key when nobody registered one)."""
    entry = TEXTS.get(err.text_key)
    if entry is None:
        return err.text_key
    try:
        return t(err.text_key, "zh", **err.params)
    except (KeyError, IndexError):  # a text wanting a parameter the error did not carry
        return entry["zh"]


def domain_error(err: DomainError) -> web.Response:
    """NotFound → 404, Forbidden → 403, Invalid (and anything else) → 400."""
    status, code = next((v for k, v in STATUS_OF.items() if isinstance(err, k)), (400, "invalid"))
    return conv.error(status, code, message(err))


async def who(request: web.Request) -> tuple[Session, Actor] | None:
    """The session and actor behind the request's cookie, or None."""
    console: Console = request.app[CONSOLE_KEY]
    session = await asyncio.to_thread(console.sessions.get, request.cookies.get(COOKIE))
    if session is None:
        return None
    actor = await asyncio.to_thread(_load_actor, console, session)
    return (session, actor) if actor is not None else None


def _load_actor(console: Console, session: Session) -> Actor | None:
    with console.app.deps.uow() as uow:
        account = uow.console.account(session.account_id)
        if account is None or account.password_set_at.isoformat() != session.password_set_at:
            return None  # the password changed (or the account went) after this login
        return actor_for_account(uow, account)


def api_view(endpoint: Endpoint) -> web.Handler:
    """The aiohttp handler of one declared endpoint."""
    async def view(request: web.Request) -> web.StreamResponse:
        console: Console = request.app[CONSOLE_KEY]
        call = Call(request, console.app, None, None)
        if endpoint.auth:
            found = await who(request)
            if found is None:
                return conv.error(401, "unauthorized", t("console_unauthorized"))
            call.session, call.actor = found
            if request.method != "GET" and not call.session.csrf_ok(request.headers.get(CSRF_HEADER)):
                return conv.error(403, "csrf", t("console_csrf"))
            if endpoint.permission and not call.actor.can(endpoint.permission):
                return conv.error(403, "forbidden", t("console_forbidden"))
        problem = await _read_input(request, endpoint, call)
        if problem is not None:
            return problem
        try:
            result = await endpoint.handler(call)
        except DomainError as err:
            return domain_error(err)
        return result if isinstance(result, web.StreamResponse) else conv.ok(result)
    return view


async def _read_input(request: web.Request, endpoint: Endpoint, call: Call) -> web.Response | None:
    call.path = {name: int(request.match_info[name]) for name in endpoint.path_params}
    for name, schema in endpoint.query.items():
        raw = request.query.get(name)
        if raw is None or raw == "":
            continue
        value: Any = raw
        if schema.get("type") == "integer":
            if not raw.lstrip("-").isdigit():
                return _invalid(f"{name}: not an integer")
            value = int(raw)
        found = schema_errors(value, schema, name)
        if found:
            return _invalid(found[0])
        call.query[name] = value
    if endpoint.body is None:
        return None
    if request.content_type != "application/json":
        return _invalid("Content-Type must be application/json")
    try:
        body = json.loads(await request.text() or "null")
    except ValueError:
        return _invalid("body is not JSON")
    found = schema_errors(body, endpoint.body)
    if found:
        return _invalid(found[0])
    call.body = body
    return None


def _invalid(detail: str) -> web.Response:
    return conv.error(400, "invalid", t("console_invalid", detail=detail))


def page_view(page: Page) -> web.Handler:
    """The aiohttp handler of one declared page: login redirect, 403/404 pages."""
    async def view(request: web.Request) -> web.StreamResponse:
        console: Console = request.app[CONSOLE_KEY]
        call = Call(request, console.app, None, None)
        if page.auth:
            found = await who(request)
            if found is None:
                raise web.HTTPSeeOther(f"/console/login?next={request.path_qs}")
            call.session, call.actor = found
            if page.permission and not call.actor.can(page.permission):
                return await console.render(call, "error.html", status=403,
                                            message=t("console_forbidden"))
        try:
            call.path = {k: int(v) for k, v in request.match_info.items()}
            return await page.handler(call)
        except (NotFound, ValueError):
            return await console.render(call, "error.html", status=404,
                                        message=t("console_not_found"))
        except DomainError as err:
            return await console.render(call, "error.html", status=400, message=message(err))
    return view


@web.middleware
async def json_errors(request: web.Request, handler: web.Handler) -> web.StreamResponse:
    """Under /console/api an unknown path or method answers JSON too, never an HTML page."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if not request.path.startswith(API_PREFIX + "/") or exc.status < 400:
            raise
        code = "not_found" if exc.status in (404, 405) else "invalid"
        return conv.error(404 if exc.status == 405 else exc.status, code,
                          t("console_not_found") if code == "not_found" else exc.reason)
