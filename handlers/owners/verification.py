"""Phone verification by SMS: an interface only; no provider is configured today.

When a provider is plugged in (`Deps.phone_verifier`), binding by home + phone can be
confirmed by a code sent to the registered phone instead of waiting for the office.
"""

from __future__ import annotations

from typing import Protocol


class PhoneVerifier(Protocol):
    """Sends a one-time code to a phone and checks what the owner types back."""

    def send_code(self, phone: str) -> None:
        """Send a fresh code to `phone` (raises when the provider refuses)."""

    def check(self, phone: str, code: str) -> bool:
        """True when `code` is the latest unexpired code sent to `phone`."""
