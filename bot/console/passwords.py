"""argon2id password hashing (argon2-cffi), behind handlers.office.accounts.PasswordHasher."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Hasher:
    """argon2-cffi's recommended parameters (RFC 9106 low-memory profile)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()

    def hash(self, password: str) -> str:
        """A PHC string (`$argon2id$v=19$m=…`) with a fresh salt."""
        return self._hasher.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        """True when `password` matches; a wrong or malformed hash is False, never an error."""
        try:
            return self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        """True when the parameters changed since the hash was made."""
        return self._hasher.check_needs_rehash(hashed)
