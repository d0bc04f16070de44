"""The web channel: `POST /api/chat` JSON in → dispatch → JSON replies out, and its tokens.

A token is `base64url(user|expiry) . base64url(HMAC-SHA256)`; outside demo mode it proves
that the property office handed this link to this user (`python -m bot web-token USER`).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import App
from bot.channels.body import BadJsonError, parse_json, read_capped
from bot.channels.serial import KeyedLocks
from bot.config import WebSettings, is_loopback
from handlers import dispatch
from handlers.messages import Incoming

log = logging.getLogger(__name__)

CHANNEL = "web"
_USER_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,64}$")
_SIGNING_CONTEXT = b"wuye-web-token-v1\n"  # a key used for nothing else, but be explicit
# C0/C1 control characters except tab and newline: NUL breaks PostgreSQL text, the rest
# is noise from pasted binaries.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_BUTTON_CHARS = 512


def valid_user_id(user: str) -> bool:
    """Web user ids are short and plain: they end up in URLs, logs and the database."""
    return bool(_USER_ID.match(user))


# Headers a reverse proxy adds: a request carrying any of them came from elsewhere, whatever
# its socket says (the README's nginx runs on the same host and connects from loopback).
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def demo_request(app: App, request: web.Request) -> bool:
    """Demo mode for this request: configured, and truly from loopback with no proxy in between."""
    if not app.settings.demo_mode or any(h in request.headers for h in PROXY_HEADERS):
        return False
    return is_loopback(request.remote or "")


class WebAuth:
    """The web chat's token rules for one process: demo requests pass, others need a token."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._secret: bytes | None = None

    def secret(self) -> bytes:
        """The signing key, read (or created) on first need."""
        if self._secret is None:
            self._secret = load_secret(self.app.settings.web)
        return self._secret

    def allows(self, request: web.Request, user: str, token: str | None) -> bool:
        """True for a demo request, or a valid, unexpired token for `user`."""
        if demo_request(self.app, request):
            return True
        return bool(token) and valid_user_id(user) and verify_token(
            self.secret(), token or "", user, self.app.deps.clock()
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(secret: bytes, user: str, expires: datetime) -> str:
    """A token for `user`, valid until `expires`."""
    payload = f"{user}|{int(expires.timestamp())}".encode()
    signature = hmac.new(secret, _SIGNING_CONTEXT + payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(signature)}"


def verify_token(secret: bytes, token: str, user: str, now: datetime) -> bool:
    """True when `token` was signed with `secret` for `user` and has not expired."""
    try:
        payload_part, signature_part = token.split(".")
        payload, signature = _unb64(payload_part), _unb64(signature_part)
    except (ValueError, binascii.Error):
        return False
    expected = hmac.new(secret, _SIGNING_CONTEXT + payload, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        return False
    token_user, _, expiry = payload.decode("utf-8", "replace").rpartition("|")
    return token_user == user and expiry.isdigit() and int(expiry) > now.timestamp()


def load_secret(settings: WebSettings) -> bytes:
    """web.secret, or the key in web.secret_file, created on first use (mode 0600)."""
    if settings.secret:
        return settings.secret.encode()
    path = Path(settings.secret_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two processes start at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32) + "\n")
        log.info("generated a web token secret in %s", path)
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it or set web.secret")
    return key.encode()


@dataclass(frozen=True)
class ChatRequest:
    user: str
    text: str
    button: str | None
    token: str | None


class BadRequestError(ValueError):
    """The request body is unusable; the message says why (for API clients, in English)."""


def parse_chat_request(data: Any) -> ChatRequest:
    """Validate the decoded JSON body; anything off raises BadRequestError."""
    if not isinstance(data, dict):
        raise BadRequestError("body must be a JSON object")
    user, text = data.get("user"), data.get("text", "")
    button, token = data.get("button"), data.get("token")
    if not isinstance(user, str) or not valid_user_id(user):
        raise BadRequestError("user must be a string of 1-64 letters, digits or _ . : @ -")
    if not isinstance(text, str):
        raise BadRequestError("text must be a string")
    if button is not None and (not isinstance(button, str) or len(button) > MAX_BUTTON_CHARS):
        raise BadRequestError(f"button must be a string of at most {MAX_BUTTON_CHARS} characters")
    if token is not None and not isinstance(token, str):
        raise BadRequestError("token must be a string")
    return ChatRequest(user, _CONTROL.sub("", text), button or None, token)


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)


class ChatEndpoint:
    """`POST /api/chat` {"user", "text", "button"?, "token"?} → {"replies": [...]}."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.limit = app.settings.web.max_body_bytes
        self.auth = WebAuth(app)
        if not app.settings.demo_mode:
            self.auth.secret()  # read (or create) the key at start, not on the first request
        self.conversations = KeyedLocks()

    async def handle(self, request: web.Request) -> web.Response:
        """Validate, authenticate, dispatch in a worker thread, answer JSON."""
        body = await read_capped(request, self.limit)
        if body is None:
            return _error(413, "too_large", f"body larger than {self.limit} bytes")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "bad_encoding", "body must be UTF-8 JSON")
        try:
            chat = parse_chat_request(parse_json(text))
        except BadJsonError as err:
            return _error(400, "bad_json", f"body is not valid JSON ({err})")
        except BadRequestError as err:
            return _error(400, "bad_request", str(err))
        if not self.auth.allows(request, chat.user, chat.token):
            return _error(401, "unauthorized", "a valid token for this user is required")
        incoming = Incoming(CHANNEL, chat.user, text=chat.text, button=chat.button)
        # Handlers are synchronous (database, NLU): run them off the event loop.
        async with self.conversations.hold(chat.user):
            outcome = await asyncio.to_thread(dispatch.handle, incoming, self.app.deps)
        return web.json_response(
            {"replies": [reply.as_dict() for reply in outcome.replies]},
            dumps=lambda obj: json.dumps(obj, ensure_ascii=False),
        )


def setup(web_app: web.Application, app: App) -> None:
    """Mount the chat API and the photo upload (which shares the per-user lock)."""
    from bot.channels.web_photo import PhotoEndpoint

    chat = ChatEndpoint(app)
    web_app.router.add_post("/api/chat", chat.handle)
    web_app.router.add_post("/api/photo", PhotoEndpoint(chat).handle)
