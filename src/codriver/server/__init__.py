"""The HTTP/WebSocket service and the web cockpit (extra ``[server]``).

``create_app(config)`` builds the FastAPI application: REST for turns, state, sensors, the clock and
profiles; a WebSocket per cabin streaming every event; the cockpit's static files. ``serve`` runs it
with uvicorn. FastAPI is imported only here, lazily, so the core installs without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codriver.errors import MissingExtraError
from codriver.server.config import DEFAULT_PORT, ServerConfig, new_token

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(config: ServerConfig | None = None) -> FastAPI:
    """The service as an ASGI application (see :mod:`codriver.server.app`)."""
    try:
        from codriver.server.app import build_app
    except ImportError as exc:  # fastapi missing
        raise MissingExtraError("the HTTP service", "server") from exc
    return build_app(config or ServerConfig())


__all__ = ["DEFAULT_PORT", "ServerConfig", "create_app", "new_token"]
