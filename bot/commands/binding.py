"""`binding list [--all]`, `binding approve ID`, `binding reject ID [--note TEXT]`: requests to
bind a chat account by home + phone, decided by the property office."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime

from bot.app import App
from handlers.errors import DomainError
from handlers.office.binding_requests import approve_request, list_requests, reject_request
from handlers.texts import t
from storage.uow import UnitOfWork

Decision = Callable[[UnitOfWork, datetime], object]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `binding list|approve|reject`."""
    cmd = subparsers.add_parser("binding", help="binding requests (home + phone) the office approves")
    sub = cmd.add_subparsers(dest="binding_command", required=True)
    lister = sub.add_parser("list", help="requests waiting for a decision (phones masked)")
    lister.add_argument("--all", action="store_true", help="decided ones too")
    lister.set_defaults(func=run_list)
    approve = sub.add_parser("approve", help="bind the requester to the home; they are told")
    approve.add_argument("id", type=int)
    approve.set_defaults(func=run_approve)
    reject = sub.add_parser("reject", help="refuse the request; they are told, with the note")
    reject.add_argument("id", type=int)
    reject.add_argument("--note", default="", help="the reason the requester reads")
    reject.set_defaults(func=run_reject)


def run_list(args: argparse.Namespace, app: App) -> int:
    """One tab-separated line per request, oldest first."""
    tz = app.deps.settings.timezone
    with app.deps.uow() as uow:
        views = list_requests(uow, None if args.all else "pending")
    if not views:
        print(t("cli_binding_none"))
    for v in views:
        match = t("cli_binding_match", name=v.owner_name) if v.matches_register else t("cli_binding_no_match")
        print(t("cli_binding_line", id=v.id, created=v.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                community=v.community or "?", home=v.unit_label, phone=v.phone, match=match,
                status=v.status))
    return 0


def run_approve(args: argparse.Namespace, app: App) -> int:
    """Approve one request."""
    return _decide(app, args.id, lambda uow, now: approve_request(uow, args.id, "cli", now),
                   "cli_binding_approved")


def run_reject(args: argparse.Namespace, app: App) -> int:
    """Reject one request."""
    return _decide(app, args.id, lambda uow, now: reject_request(uow, args.id, "cli", now, args.note),
                   "cli_binding_rejected")


def _decide(app: App, request_id: int, action: Decision, done_key: str) -> int:
    with app.deps.uow() as uow:
        try:
            action(uow, app.deps.clock())
        except DomainError as err:
            print(t(err.text_key, **err.params), file=sys.stderr)
            return 1
        uow.commit()
    print(t(done_key, id=request_id))
    return 0
