"""Logging in and out, who am I, and the pages every user sees (login, home)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.console import conventions as conv
from bot.console.routes import Call, ConsoleRoutes
from bot.console.session import COOKIE
from bot.console.state import CONSOLE_KEY, Console, NavItem
from handlers.office import audit
from handlers.office.access import Actor
from handlers.office.accounts import authenticate
from handlers.office.permissions import PERMISSIONS
from handlers.texts import t
from handlers.util import mask_phones

routes = ConsoleRoutes()
NAV = [NavItem("工作台", "/console/")]

ME_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "name", "kind", "role", "role_label", "company_id", "district", "street",
                 "permissions"],
    "properties": {
        "id": conv.ID, "name": {"type": "string"},
        "kind": {"type": "string", "enum": ["staff", "regulator"]},
        "role": {"type": "string", "enum": ["admin", "manager", "front_desk", "finance", "repair",
                                            "cleaning", "security", "regulator"]},
        "role_label": {"type": "string"},
        "company_id": {"type": ["integer", "null"]},
        "district": {"type": "string"}, "street": {"type": "string"},
        "permissions": {"type": "array", "items": {"type": "string", "enum": sorted(PERMISSIONS)}},
    },
}
LOGIN_BODY = {
    "type": "object", "required": ["phone", "password"], "additionalProperties": False,
    "properties": {"phone": {"type": "string", "minLength": 1, "maxLength": 20},
                   "password": {"type": "string", "minLength": 1, "maxLength": 200}},
}
LOGIN_RESPONSE = {
    "type": "object", "required": ["csrf_token", "me"], "additionalProperties": False,
    "properties": {"csrf_token": {"type": "string"}, "me": ME_SCHEMA},
}


def me_json(actor: Actor) -> dict[str, Any]:
    """The actor as the API shows it."""
    return {
        "id": actor.account_id, "name": actor.name, "kind": actor.kind, "role": actor.role,
        "role_label": actor.role_label, "company_id": actor.scope.company_id,
        "district": actor.scope.district, "street": actor.scope.street,
        "permissions": sorted(p for p in PERMISSIONS if actor.can(p)),
    }


def client_address(request: web.Request, header: str) -> str:
    """The client's address: the configured proxy header, else the TCP peer."""
    forwarded = request.headers.get(header, "").split(",")[0].strip() if header else ""
    return forwarded or request.remote or "-"


@routes.api("POST", "/login", summary="Log in with phone and password; sets the session cookie",
            auth=False, body=LOGIN_BODY, response=LOGIN_RESPONSE, statuses=(401, 429), tag="session")
async def login(call: Call) -> web.StreamResponse:
    """200 with the CSRF token and a session cookie; 401 for a wrong pair; 429 when throttled."""
    console: Console = call.request.app[CONSOLE_KEY]
    cfg = call.app.settings.console
    phone, password = call.body["phone"].strip(), call.body["password"]
    address = client_address(call.request, cfg.client_ip_header)
    if not await call.run(console.throttle.attempt, phone, address):
        await call.run(_record, call, "login_throttled", phone, address)
        minutes = cfg.login_window_minutes
        return conv.error(429, "too_many_attempts", t("console_throttled", minutes=minutes),
                          headers={"Retry-After": str(minutes * 60)})
    found = await call.run(_login, call, console, phone, password, address)
    if found is None:
        return conv.error(401, "unauthorized", t("console_bad_login"))
    actor, password_set_at = found
    await call.run(console.throttle.succeeded, phone)
    token, session = await call.run(console.sessions.create, actor.account_id, password_set_at)
    response = conv.ok({"csrf_token": session.csrf, "me": me_json(actor)})
    response.set_cookie(COOKIE, token, httponly=True, samesite="Lax", path="/console",
                        secure=console.secure_cookie, max_age=cfg.session_hours * 3600)
    return response


def _login(call: Call, console: Console, phone: str, password: str,
           address: str) -> tuple[Actor, str] | None:
    now = call.now()
    with call.app.deps.uow() as uow:
        actor = authenticate(uow, console.hasher, phone, password, now)
        if actor is None:
            audit.record(uow, "anonymous", "login_failed", f"phone:{mask_phones(phone)}", now,
                         address=address)
            uow.commit()
            return None
        audit.record(uow, actor, "login", f"console_account:{actor.account_id}", now, address=address)
        account = uow.console.account(actor.account_id)
        assert account is not None
        stamp = account.password_set_at.isoformat()
        uow.commit()
        return actor, stamp


def _record(call: Call, action: str, phone: str, address: str) -> None:
    with call.app.deps.uow() as uow:
        audit.record(uow, "anonymous", action, f"phone:{mask_phones(phone)}", call.now(),
                     address=address)
        uow.commit()


@routes.api("POST", "/logout", summary="End the session", tag="session",
            response={"type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean"}}})
async def logout(call: Call) -> web.StreamResponse:
    """Forget the session server-side and clear the cookie."""
    console: Console = call.request.app[CONSOLE_KEY]
    assert call.session is not None
    await call.run(console.sessions.end, call.session)
    await call.run(_audit_logout, call)
    response = conv.ok({"ok": True})
    response.del_cookie(COOKIE, path="/console")
    return response


def _audit_logout(call: Call) -> None:
    with call.app.deps.uow() as uow:
        audit.record(uow, call.me, "logout", f"console_account:{call.me.account_id}", call.now())
        uow.commit()


@routes.api("GET", "/me", summary="Who is logged in: role, scope, permissions", tag="session",
            response=ME_SCHEMA)
async def me(call: Call) -> dict[str, Any]:
    return me_json(call.me)


@routes.page("/console/login", auth=False)
async def login_page(call: Call) -> web.StreamResponse:
    """The login form (console.js posts it to the API, then follows `next`)."""
    console: Console = call.request.app[CONSOLE_KEY]
    target = call.request.query.get("next", "/console/")
    safe = target if target.startswith("/console") and "//" not in target else "/console/"
    return await console.render(call, "login.html", next_url=safe)


@routes.page("/console/")
async def home_page(call: Call) -> web.StreamResponse:
    """The landing page: who you are and what your role may do."""
    console: Console = call.request.app[CONSOLE_KEY]
    allowed = [(name, PERMISSIONS[name][0]) for name in sorted(PERMISSIONS) if call.me.can(name)]
    return await console.render(call, "home.html", allowed=allowed)
