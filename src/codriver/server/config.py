"""How one service runs: its token, where its cabins are kept, how many it holds and in memory,
when an idle one expires, and how its simulated clocks move."""

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

    ``tick_seconds`` is the step (in real seconds) in which every cabin's simulated clock follows
    real time, times the cabin's own clock scale; None keeps the clocks still until someone
    fast-forwards them (tests do).
    """

    token: str = field(default_factory=new_token)
    store: str = "memory"
    """Where cabins are kept: ``memory``, ``sqlite:PATH`` or ``redis://HOST:PORT/DB``."""
    max_cabins: int = 10_000
    """Cabins the store holds at most (429 beyond)."""
    max_resident: int = 64
    """Cabins kept ready in this process's memory; the least recently used beyond are let go
    (their state stays in the store and is rebuilt on the next call)."""
    idle_expiry: float | None = 24 * 3600.0
    """Real seconds after which a cabin no client has acted on or watched is deleted."""
    tick_seconds: float | None = 1.0
    queue_size: int = 1024
    """Events kept for a slow WebSocket client before it is disconnected."""
