"""Live conversations in the console: the JSON API and the inbox / conversation pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web

from bot.console import conventions as conv
from bot.console.routes import Call, ConsoleRoutes
from bot.console.state import CONSOLE_KEY, Console, NavItem
from handlers.errors import NotFound
from handlers.office import conversation_view as view
from handlers.office import conversations as use
from storage.models import CONVERSATION_STATUSES, MESSAGE_SENDERS

routes = ConsoleRoutes()
NAV = [NavItem("在线会话", "/console/conversations", "conversations.read")]

MESSAGE = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "from", "text", "at", "delivery", "media"],
    "properties": {
        "id": conv.ID, "from": {"type": "string", "enum": list(MESSAGE_SENDERS)},
        "text": {"type": "string"}, "at": conv.TIME,
        "delivery": {"type": "string", "enum": list(view.DELIVERY_STATES)},
        "media": {"type": ["object", "null"], "properties": {
            "kind": {"type": "string"}, "url": {"type": "string"}}},
    },
}
SUMMARY: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "number", "status", "channel", "home", "assignee", "created_at",
                 "updated_at", "escalated", "wechat_window", "messages"],
    "properties": {
        "id": conv.ID, "number": {"type": "string"},
        "status": {"type": "string", "enum": list(CONVERSATION_STATUSES)},
        "channel": {"type": "string", "enum": ["web", "telegram", "wechat", "wecom", "terminal"]},
        "home": {"type": ["string", "null"]},
        "assignee": {"type": ["object", "null"], "required": ["id", "name"],
                     "properties": {"id": conv.ID, "name": {"type": "string"}}},
        "created_at": conv.TIME, "updated_at": conv.TIME, "escalated": {"type": "boolean"},
        "wechat_window": {"type": ["object", "null"], "properties": {
            "open": {"type": "boolean"}, "closes_at": conv.TIME_OR_NULL,
            "messages_left": {"type": "integer", "minimum": 0}}},
        "messages": {"type": "array", "items": MESSAGE},
    },
}
DETAIL = {**SUMMARY, "required": [*SUMMARY["required"], "owner", "open_tickets", "unpaid_bills"],
          "properties": {**SUMMARY["properties"],
                         "owner": {"type": "object", "properties": {
                             "name": {"type": "string"}, "phone": {"type": "string"}}},
                         "open_tickets": {"type": "array", "items": {"type": "object"}},
                         "unpaid_bills": {"type": "array", "items": {"type": "object"}}}}
TEXT_BODY = {"type": "object", "required": ["text"], "additionalProperties": False,
             "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 2000}}}
ASSIGN_BODY = {"type": "object", "required": ["staff_id"], "additionalProperties": False,
               "properties": {"staff_id": conv.ID}}
STATUS_QUERY = {"status": {"type": "string", "enum": list(CONVERSATION_STATUSES)}, **conv.PAGING_QUERY}


def _inbox(call: Call) -> dict[str, Any]:
    limit, cursor = conv.paging(call.query)
    with call.app.deps.uow() as uow:
        found = use.inbox(uow, call.me, call.query.get("status"), limit, cursor)
        items = [view.summary(uow, call.me, c, call.now(), call.iso) for c in found]
    return {"conversations": items, "next_cursor": conv.next_cursor([c["id"] for c in items], limit)}


@routes.api("GET", "/conversations", summary="The inbox: conversations handed to people",
            permission="conversations.read", query=STATUS_QUERY,
            response=conv.list_schema("conversations", SUMMARY), tag="conversations")
async def list_conversations(call: Call) -> dict[str, Any]:
    return await call.run(_inbox, call)


def _detail(call: Call) -> dict[str, Any]:
    with call.app.deps.uow() as uow:
        found = use.get(uow, call.me, call.path["conversation_id"])
        return view.detail(uow, call.me, found, call.now(), call.iso)


@routes.api("GET", "/conversations/{conversation_id}", summary="One conversation at a glance",
            permission="conversations.read", response=DETAIL, tag="conversations")
async def get_conversation(call: Call) -> dict[str, Any]:
    return await call.run(_detail, call)


def _reply(call: Call) -> dict[str, Any]:
    deps = call.app.deps
    with deps.uow() as uow:
        line = use.reply(uow, deps, call.me, call.path["conversation_id"], call.body["text"], call.now())
        uow.commit()
        return {"message": view.message_list(uow, [line], call.iso)[0]}


@routes.api("POST", "/conversations/{conversation_id}/messages", tag="conversations",
            summary="Answer the owner on the owner's own channel", permission="conversations.reply",
            body=TEXT_BODY, response={"type": "object", "required": ["message"],
                                      "properties": {"message": MESSAGE}})
async def post_message(call: Call) -> dict[str, Any]:
    return await call.run(_reply, call)


def _change(call: Call, action: str) -> dict[str, Any]:
    deps = call.app.deps
    with deps.uow() as uow:
        cid = call.path["conversation_id"]
        if action == "close":
            found = use.close(uow, deps, call.me, cid, call.now())
        else:
            found = use.assign(uow, deps, call.me, cid, call.body["staff_id"], call.now())
        uow.commit()
        return view.summary(uow, call.me, found, call.now(), call.iso)


@routes.api("POST", "/conversations/{conversation_id}/close", tag="conversations",
            summary="Close: the owner is back with the bot, and told so",
            permission="conversations.reply", response=SUMMARY)
async def close_conversation(call: Call) -> dict[str, Any]:
    return await call.run(_change, call, "close")


@routes.api("POST", "/conversations/{conversation_id}/assign", tag="conversations",
            summary="Assign or transfer to a desk colleague", permission="conversations.assign",
            body=ASSIGN_BODY, response=SUMMARY)
async def assign_conversation(call: Call) -> dict[str, Any]:
    return await call.run(_change, call, "assign")


def _lists(call: Call) -> dict[str, Any]:
    with call.app.deps.uow() as uow:
        staff = use.colleagues(uow, call.me)
        return {"colleagues": [{"id": s.id, "name": s.name, "role": s.role} for s in staff],
                "canned_replies": use.canned(uow, call.me)}


@routes.api("GET", "/conversations/helpers", summary="Colleagues to assign to, and canned replies",
            permission="conversations.assign", tag="conversations", response={
                "type": "object", "required": ["colleagues", "canned_replies"],
                "properties": {"colleagues": {"type": "array"}, "canned_replies": {"type": "array"}}})
async def helpers(call: Call) -> dict[str, Any]:
    return await call.run(_lists, call)


@routes.page("/console/conversations", permission="conversations.read")
async def inbox_page(call: Call) -> web.StreamResponse:
    console: Console = call.request.app[CONSOLE_KEY]
    status = call.request.query.get("status", "")
    call.query = {"status": status} if status in CONVERSATION_STATUSES else {}
    data = await call.run(_inbox, call)
    return await console.render(call, "inbox.html", items=data["conversations"],
                                tab=call.query.get("status", ""))


@routes.page("/console/conversations/{conversation_id}", permission="conversations.read")
async def conversation_page(call: Call) -> web.StreamResponse:
    console: Console = call.request.app[CONSOLE_KEY]
    data = await call.run(_detail, call)
    return await console.render(call, "conversation.html", c=data)


def _media(call: Call) -> Path:
    with call.app.deps.uow() as uow:
        line = uow.conversations.message(call.path["message_id"])
        if line is None or not line.media_ref:
            raise NotFound("console_not_found")
        use.get(uow, call.me, line.conversation_id)  # scope: NotFound for another company's
        path = Path(line.media_ref)
    root = Path(call.app.settings.media.dir).resolve()
    full = (path if path.is_absolute() else Path.cwd() / path).resolve()
    if not full.is_file() or root not in full.parents:
        raise NotFound("console_not_found")
    return full


@routes.page("/console/media/{message_id}", permission="conversations.read")
async def media(call: Call) -> web.StreamResponse:
    """An owner's photo, only for people who may see its conversation."""
    return web.FileResponse(await call.run(_media, call), headers={"Cache-Control": "private"})
