"""The `console:` section: the office console's sessions, login throttle and live handoff."""

from __future__ import annotations

from pydantic import Field

from bot.config_section import Section


class ConsoleSettings(Section):
    enabled: bool = True  # false: no /console routes at all
    session_hours: int = Field(12, ge=1, le=24 * 30)
    login_window_minutes: int = Field(15, ge=1)
    login_attempts_per_phone: int = Field(5, ge=1, le=100)
    login_attempts_per_address: int = Field(30, ge=1, le=1000)
    # Behind a reverse proxy every request comes from it: name the header carrying the
    # client's address (e.g. X-Real-IP) so throttling is per client. Empty: the TCP peer.
    client_ip_header: str = ""
