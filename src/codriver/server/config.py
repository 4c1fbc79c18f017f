"""How one service runs: its operator token, who may connect, where its cabins are kept, how many
it holds and in memory, when an idle one expires, and how its simulated clocks move."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

DEFAULT_PORT = 8765
DAY_S = 24 * 3600.0


def new_token() -> str:
    """A fresh random bearer token (URL-safe, 32 characters)."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """The service's settings.

    ``token`` is the operator token: it manages every cabin, and cabin tokens are signed with a
    key derived from it (every worker of a fleet needs the same). ``tick_seconds`` is the step
    (in real seconds) in which every cabin's simulated clock follows real time, times the cabin's
    own clock scale; None keeps the clocks still until someone fast-forwards them (tests do).
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
    cabin_token_ttl: float = 7 * DAY_S
    """How long the tokens handed out when a cabin opens stay good (real seconds)."""
    auth_failures: int = 10
    auth_window: float = 60.0
    """``auth_failures`` refused tokens within ``auth_window`` seconds block the address."""
    allow_origins: tuple[str, ...] = ()
    """Browser origins besides the service's own that may open event streams."""
    ws_max_message: int = 4096
    """The largest WebSocket message a client may send (bytes); the stream is one-way."""
