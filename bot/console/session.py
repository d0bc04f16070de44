"""Console sessions (a random token in an HttpOnly cookie, its record in the shared store),
CSRF tokens, and the login throttle. Shared stores, so every `serve` process agrees."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from storage.stores import ClaimStore, KeyValueStore

COOKIE = "wuye_console"
CSRF_HEADER = "X-CSRF-Token"


def _digest(value: str) -> str:
    # The store holds only a hash of the token: a leaked store dump logs nobody in.
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    """One login: whose, its CSRF token, and the password it was made with."""

    key: str
    account_id: int
    csrf: str
    password_set_at: str  # a session made before the password changed is void

    def csrf_ok(self, sent: str | None) -> bool:
        """Constant-time comparison with the header the page sent."""
        return bool(sent) and hmac.compare_digest(self.csrf, sent or "")


class Sessions:
    """Create, find and end sessions in the shared key-value store."""

    def __init__(self, kv: KeyValueStore, ttl_seconds: int) -> None:
        self.kv = kv
        self.ttl_seconds = ttl_seconds

    def create(self, account_id: int, password_set_at: str) -> tuple[str, Session]:
        """A new session; returns the cookie value and the session."""
        token = secrets.token_urlsafe(32)
        session = Session(f"console:session:{_digest(token)}", account_id,
                          secrets.token_urlsafe(24), password_set_at)
        self.kv.set(session.key, {"account_id": account_id, "csrf": session.csrf,
                                  "password_set_at": password_set_at}, self.ttl_seconds)
        return token, session

    def get(self, token: str | None) -> Session | None:
        """The live session of a cookie value, or None."""
        if not token or len(token) > 100:
            return None
        key = f"console:session:{_digest(token)}"
        data = self.kv.get(key)
        if not data:
            return None
        return Session(key, int(data["account_id"]), str(data["csrf"]),
                       str(data.get("password_set_at", "")))

    def end(self, session: Session) -> None:
        """Log out."""
        self.kv.delete(session.key)


class LoginThrottle:
    """At most N attempts per phone and per address in a window.

    Each attempt claims one of N numbered slots (an atomic SET NX with expiry in Redis, an
    insert in SQL), so concurrent attempts in several processes can never exceed N.
    A good login frees the phone's slots; the address's stay until they expire.
    """

    def __init__(self, claims: ClaimStore, window_seconds: int, per_phone: int, per_address: int) -> None:
        self.claims = claims
        self.window = window_seconds
        self.per_phone = per_phone
        self.per_address = per_address

    def attempt(self, phone: str, address: str) -> bool:
        """Count one attempt; False when the phone or the address is over its limit."""
        by_address = self._take(f"console:login:addr:{_digest(address)[:24]}", self.per_address)
        by_phone = self._take(self._phone_key(phone), self.per_phone)
        return by_address and by_phone

    def succeeded(self, phone: str) -> None:
        """A good login: the phone's earlier failures no longer count."""
        base = self._phone_key(phone)
        for slot in range(self.per_phone):
            self.claims.release(f"{base}:{slot}")

    def _phone_key(self, phone: str) -> str:
        return f"console:login:phone:{_digest(phone.strip())[:24]}"

    def _take(self, base: str, limit: int) -> bool:
        return any(self.claims.claim(f"{base}:{slot}", self.window) for slot in range(limit))
