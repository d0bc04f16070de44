"""`web-token USER`: a signed token (and link) that lets USER use the web chat outside demo mode."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from urllib.parse import urlencode

from bot.app import App
from bot.channels import web


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `web-token`."""
    cmd = subparsers.add_parser("web-token", help="print a signed web chat token for USER")
    cmd.add_argument("user", metavar="USER", help="web user id (letters, digits, _ . : @ -)")
    cmd.add_argument("--days", type=int, help="validity in days (default: web.token_days)")
    cmd.add_argument("--url", action="store_true", help="print the chat link instead of the token")
    cmd.set_defaults(func=_web_token)


def _web_token(args: argparse.Namespace, app: App) -> int:
    if not web.valid_user_id(args.user):
        print(f"wuye: invalid user id {args.user!r}: 1-64 of A-Z a-z 0-9 _ . : @ -", file=sys.stderr)
        return 2
    days = app.settings.web.token_days if args.days is None else args.days  # 0 is refused, not 30
    if days < 1:
        print("wuye: --days must be at least 1", file=sys.stderr)
        return 2
    expires = app.deps.clock() + timedelta(days=days)
    token = web.make_token(web.load_secret(app.settings.web), args.user, expires)
    if args.url:
        base = app.settings.server.base_url
        print(f"{base}/?{urlencode({'user': args.user, 'token': token})}")
    else:
        print(token)
    return 0
