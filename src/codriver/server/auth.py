"""Bearer-token auth: every API call and WebSocket needs the service's token.

HTTP sends ``Authorization: Bearer TOKEN``. Browsers cannot set headers on a WebSocket, so the
stream also takes the token as a subprotocol ``bearer.TOKEN`` (the cockpit offers
``["codriver", "bearer.TOKEN"]`` and the service picks ``codriver``, so the token is not echoed) or
as a ``token`` query parameter.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request, WebSocket
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

SUBPROTOCOL_PREFIX = "bearer."
SUBPROTOCOL = "codriver"

bearer = HTTPBearer(
    auto_error=False,
    description="the token `codriver serve` prints at start (or was given with --token)",
)


def same(given: str, expected: str) -> bool:
    """Constant-time comparison, so the token cannot be guessed by timing."""
    return hmac.compare_digest(given.encode(), expected.encode())


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Refuse the call (401) unless it carries the service's bearer token."""
    if credentials is None or not same(credentials.credentials, request.app.state.config.token):
        raise HTTPException(
            401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"}
        )


def websocket_token(websocket: WebSocket) -> tuple[str | None, str | None]:
    """The token a WebSocket handshake carries, and the subprotocol to answer with (if any)."""
    offered: list[str] = list(websocket.scope.get("subprotocols", []))
    chosen = SUBPROTOCOL if SUBPROTOCOL in offered else None
    for protocol in offered:
        if protocol.startswith(SUBPROTOCOL_PREFIX):
            return protocol[len(SUBPROTOCOL_PREFIX) :], chosen or protocol
    return websocket.query_params.get("token"), chosen
