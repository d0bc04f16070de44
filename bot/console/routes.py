"""How console endpoints and pages are declared: `routes = ConsoleRoutes()` in a module,
`@routes.api(...)` / `@routes.page(...)` on async handlers taking a `Call`, and the module
named in bot/console/__init__.py's CONSOLE_MODULES. The OpenAPI document is built from
these declarations, and the tests call every declared endpoint against it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from aiohttp import web

from bot.app import App
from bot.console.session import Session
from handlers.office.access import Actor

T = TypeVar("T")
Handler = Callable[["Call"], Awaitable[Any]]


@dataclass
class Call:
    """One console request as a handler sees it: who, the checked input, helpers."""

    request: web.Request
    app: App
    actor: Actor | None
    session: Session | None
    path: dict[str, int] = field(default_factory=dict)  # path ids, already integers
    query: dict[str, Any] = field(default_factory=dict)  # declared query params, typed
    body: dict[str, Any] = field(default_factory=dict)  # the JSON body, already validated

    @property
    def me(self) -> Actor:
        """The actor of an authenticated endpoint (never None there)."""
        assert self.actor is not None
        return self.actor

    def now(self) -> datetime:
        return self.app.deps.clock()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a synchronous use case (database work) off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def iso(self, value: datetime | None) -> str | None:
        """The API's time format: ISO-8601 in the configured zone, with its offset (+08:00)."""
        if value is None:
            return None
        return value.astimezone(self.app.deps.settings.timezone).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Endpoint:
    """One JSON operation under /console/api, and what the OpenAPI document says of it."""

    method: str
    path: str  # relative to /console/api, e.g. "/conversations/{conversation_id}/close"
    handler: Handler
    summary: str
    permission: str | None = None  # None: any logged-in user
    auth: bool = True
    body: dict[str, Any] | None = None  # JSON schema of the request body
    query: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → schema
    response: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    statuses: tuple[int, ...] = ()  # extra documented statuses (e.g. 429, 409)
    produces: str = "application/json"  # the 200 answer's media type (a PDF, a spreadsheet)
    tag: str = "console"

    @property
    def path_params(self) -> list[str]:
        """`{name}` segments; every one is an integer id by convention."""
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]


@dataclass(frozen=True)
class Page:
    """One server-rendered page under /console."""

    path: str
    handler: Handler
    permission: str | None = None
    auth: bool = True
    method: str = "GET"


class ConsoleRoutes:
    """A module's console endpoints and pages (like aiohttp's RouteTableDef)."""

    def __init__(self) -> None:
        self.endpoints: list[Endpoint] = []
        self.pages: list[Page] = []

    def api(self, method: str, path: str, *, summary: str, **options: Any) -> Callable[[Handler], Handler]:
        """Declare a JSON endpoint; see Endpoint for the options."""
        def decorate(handler: Handler) -> Handler:
            self.endpoints.append(Endpoint(method.upper(), path, handler, summary, **options))
            return handler
        return decorate

    def page(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        """Declare a page (GET), rendered with `call.render` in the handler."""
        def decorate(handler: Handler) -> Handler:
            self.pages.append(Page(path, handler, **options))
            return handler
        return decorate
