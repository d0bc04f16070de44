"""The live view: Server-Sent Events at /console/events, fed by the live bus.

Every process listens to the bus (Redis pub/sub when `redis.url` is set, so an owner's
message handled by one `serve` reaches a clerk connected to another). An event only says
"conversation N moved"; the page then reads it through the API. A `tick` every few seconds
lets pages refresh delivery states and covers any nudge lost while Redis restarted.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.console import conventions as conv
from bot.console.routes import ConsoleRoutes
from bot.console.state import Console
from bot.console.web import who
from handlers.texts import t

log = logging.getLogger(__name__)
routes = ConsoleRoutes()
TICK_SECONDS = 5.0
QUEUE_SIZE = 100


@dataclass
class Hub:
    """The open event streams of this process, each with its company."""

    loop: asyncio.AbstractEventLoop
    streams: set[tuple[int, asyncio.Queue[dict[str, Any]]]] = field(default_factory=set)
    stop: Callable[[], None] | None = None

    def heard(self, topic: str, data: dict[str, Any]) -> None:
        """From the bus, in any thread: hand the nudge to the event loop."""
        if topic == "conversations":
            self.loop.call_soon_threadsafe(self._fan_out, data)

    def _fan_out(self, data: dict[str, Any]) -> None:
        for company_id, queue in list(self.streams):
            if company_id == data.get("company_id") and not queue.full():
                queue.put_nowait(data)


HUB_KEY = web.AppKey("wuye_console_hub", Hub)


def setup(web_app: web.Application, console: Console) -> None:
    """Listen to the bus while the server runs; serve /console/events."""
    web_app.router.add_get("/console/events", events)

    async def start(app: web.Application) -> None:
        hub = Hub(asyncio.get_running_loop())
        live = console.app.deps.live
        if live is not None:
            hub.stop = await asyncio.to_thread(live.listen, hub.heard)
        app[HUB_KEY] = hub

    async def stop(app: web.Application) -> None:
        hub = app.get(HUB_KEY)
        if hub is not None and hub.stop is not None:
            await asyncio.to_thread(hub.stop)

    web_app.on_startup.append(start)
    web_app.on_cleanup.append(stop)


async def events(request: web.Request) -> web.StreamResponse:
    """`text/event-stream`: `conversation` events for the user's company, `tick` now and then."""
    found = await who(request)
    if found is None:
        return conv.error(401, "unauthorized", t("console_unauthorized"))
    _, actor = found
    if not actor.can("conversations.read") or actor.scope.company_id is None:
        return conv.error(403, "forbidden", t("console_forbidden"))
    hub: Hub = request.app[HUB_KEY]
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
    entry = (actor.scope.company_id, queue)
    response = web.StreamResponse(headers={
        "Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    await response.prepare(request)
    hub.streams.add(entry)
    try:
        await response.write(b": connected\n\n")
        while True:
            try:
                data = await asyncio.wait_for(queue.get(), TICK_SECONDS)
                line = f"event: conversation\ndata: {json.dumps(data)}\n\n"
            except TimeoutError:
                line = "event: tick\ndata: {}\n\n"
            await response.write(line.encode())
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        hub.streams.discard(entry)
    return response
