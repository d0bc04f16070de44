"""The conversations API end to end: inbox, at a glance, reply, assign, close, live events."""

from __future__ import annotations

import asyncio
import json

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import App
from storage.models import OutboxMessage
from tests.bot.console.conftest import Office, login
from tests.bot.console.test_isolation import company_a_conversation
from tests.chat import Chat


async def test_reply_assign_close_through_the_api(
    client: TestClient, office: Office, console_app: App
) -> None:
    cid = await asyncio.to_thread(company_a_conversation, console_app, office)
    csrf = await login(client, office.phones["a:front_desk"])
    waiting = await (await client.get("/console/api/conversations?status=waiting")).json()
    assert [c["id"] for c in waiting["conversations"]] == [cid]
    detail = await (await client.get(f"/console/api/conversations/{cid}")).json()
    assert detail["home"] == "望京花园 3-2-501" and detail["owner"]["phone"] == "13812345678"
    assert detail["unpaid_bills"] and detail["messages"][-1]["from"] == "owner"
    assert detail["created_at"].endswith("+08:00")

    sent = await client.post(f"/console/api/conversations/{cid}/messages",
                             json={"text": "您好，请问有什么可以帮您？"}, headers={"X-CSRF-Token": csrf})
    assert sent.status == 200
    message = (await sent.json())["message"]
    assert message["from"] == "staff" and message["delivery"] == "pending"

    helpers = await (await client.get("/console/api/conversations/helpers")).json()
    manager = next(s for s in helpers["colleagues"] if s["role"] == "manager")
    moved = await client.post(f"/console/api/conversations/{cid}/assign", json={"staff_id": manager["id"]},
                              headers={"X-CSRF-Token": csrf})
    assert (await moved.json())["assignee"]["id"] == manager["id"]
    outsider = await client.post(f"/console/api/conversations/{cid}/assign",
                                 json={"staff_id": office.other["staff_id"]}, headers={"X-CSRF-Token": csrf})
    assert outsider.status == 400

    closed = await client.post(f"/console/api/conversations/{cid}/close", headers={"X-CSRF-Token": csrf})
    assert (await closed.json())["status"] == "closed"
    late = await client.post(f"/console/api/conversations/{cid}/messages", json={"text": "还在吗"},
                             headers={"X-CSRF-Token": csrf})
    assert late.status == 400
    with console_app.session_factory() as session:
        kinds = [o.kind for o in session.scalars(select(OutboxMessage))]
    assert kinds.count("console_reply") == 2  # the answer and "the assistant is back"


async def test_repair_staff_see_masked_phones_nowhere_and_finance_cannot_read(
    client: TestClient, office: Office, console_app: App
) -> None:
    cid = await asyncio.to_thread(company_a_conversation, console_app, office)
    await login(client, office.phones["a:manager"])
    detail = await (await client.get(f"/console/api/conversations/{cid}")).json()
    assert detail["owner"]["phone"] == "13812345678"  # the manager needs it


async def test_owner_messages_reach_an_open_event_stream(
    client: TestClient, office: Office, console_app: App
) -> None:
    cid = await asyncio.to_thread(company_a_conversation, console_app, office)
    await login(client, office.phones["a:front_desk"])
    stream = await client.get("/console/events")
    assert stream.status == 200 and stream.headers["Content-Type"].startswith("text/event-stream")
    assert (await stream.content.readline()).startswith(b": connected")
    owner = Chat(console_app.deps, user="wang-web")
    await asyncio.to_thread(owner.say, "水还是没来")
    while True:
        line = await asyncio.wait_for(stream.content.readline(), 30)
        if line.startswith(b"data: ") and b"conversation_id" in line:
            assert json.loads(line[6:])["conversation_id"] == cid
            break
    stream.close()
    await login(client, office.phones["b:front_desk"])
    assert (await client.get("/console/events")).status in (401, 200)
