"""How one service runs: its token, the cabins it may hold and how its simulated clocks move."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

DEFAULT_PORT = 8765


def new_token() -> str:
    """A fresh random bearer token (URL-safe, 32 characters)."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """The service's settings.

    ``tick_seconds`` is how often (in real seconds) every cabin's simulated clock is moved on by
    the real time that passed, times the cabin's own clock scale; None keeps the clocks still
    until someone fast-forwards them (tests do).
    """

    token: str = field(default_factory=new_token)
    max_cabins: int = 64
    tick_seconds: float | None = 1.0
    queue_size: int = 1024
    """Events kept for a slow WebSocket client before it is disconnected."""
