"""Who may do what: the operator token manages every cabin; a cabin token (see
:mod:`codriver.server.tokens`) reads, or reads and drives, one cabin. Failed authentication is
counted per client address (:mod:`codriver.server.ratelimit`).

HTTP sends ``Authorization: Bearer TOKEN``. Browsers cannot set headers on a WebSocket, so the
stream also takes the token as a subprotocol ``bearer.TOKEN`` (the cockpit offers
``["codriver", "bearer.TOKEN"]`` and the service picks ``codriver``, so the token is not echoed) or
as a ``token`` query parameter.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, HTTPException, Request, WebSocket
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Address

from codriver.server.config import ServerConfig
from codriver.server.problems import NotAllowed, UnknownCabin
from codriver.server.ratelimit import FailureLimiter
from codriver.server.tokens import CabinGrant, CabinTokens, Scope, TokenRefused

SUBPROTOCOL_PREFIX = "bearer."
SUBPROTOCOL = "codriver"
WRONG = "missing or wrong bearer token"

bearer = HTTPBearer(
    auto_error=False,
    description="the operator token (`CODRIVER_TOKEN`, or the file `codriver serve` names), or "
    "a cabin's token from opening it",
)


@dataclass(frozen=True, slots=True)
class Operator:
    """The holder of the operator token: may do everything."""


OPERATOR = Operator()
Caller = Operator | CabinGrant


class Refused(Exception):
    """Authentication failed (401) or the address failed too often lately (429)."""

    def __init__(self, status: Literal[401, 429], detail: str, retry_after: int | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.retry_after = retry_after


class Access:
    """The service's gate: knows the operator token, signs cabin tokens, counts failures."""

    def __init__(self, config: ServerConfig, clock: Callable[[], float]) -> None:
        self._operator = config.token.encode()
        self._tokens = CabinTokens(config.token)
        self._clock = clock
        self.ttl = config.cabin_token_ttl
        self.limiter = FailureLimiter(config.auth_failures, config.auth_window, clock)

    def identify(self, token: str | None, address: str) -> Caller:
        """Who holds ``token``; :class:`Refused` when it is not good or ``address`` is blocked."""
        wait = self.limiter.retry_after(address)
        if wait is not None:
            detail = f"too many failed authentications from this address; retry in {wait} s"
            raise Refused(429, detail, wait)
        try:
            return self._verify(token)
        except TokenRefused as exc:
            self.limiter.failed(address)
            raise Refused(401, str(exc)) from None

    def admits(self, token: str | None, address: str) -> Caller | None:
        """Who holds ``token`` when :meth:`identify` would say so; None (and nothing counted)
        when it would refuse."""
        if self.limiter.retry_after(address) is not None:
            return None
        try:
            return self._verify(token)
        except TokenRefused:
            return None

    def _verify(self, token: str | None) -> Caller:
        if token is not None and hmac.compare_digest(token.encode(), self._operator):
            return OPERATOR
        if token is None:
            raise TokenRefused(WRONG)
        return self._tokens.verify(token, self._clock())

    def issue(self, cabin: str, scope: Scope, ttl: float | None = None) -> tuple[str, float]:
        """A token for ``cabin`` and when it expires (Unix seconds)."""
        expires = float(int(self._clock() + (self.ttl if ttl is None else ttl)))
        return self._tokens.issue(cabin, scope, expires), expires


def access_of(app: FastAPI) -> Access:
    access: Access = app.state.access
    return access


async def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The caller, or a 401 (no valid token) or 429 (too many failures from its address)."""
    token = None if credentials is None else credentials.credentials
    try:
        return access_of(request.app).identify(token, address_of(request.client))
    except Refused as exc:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        if exc.retry_after is not None:
            headers["Retry-After"] = str(exc.retry_after)
        raise HTTPException(exc.status, exc.detail, headers=headers) from None


CallerDep = Annotated[Caller, Depends(require_token)]


async def guard_cabin(request: Request, caller: CallerDep) -> None:
    """Every route under ``/sessions/{session_id}``: the caller may see that cabin, and drive it
    for anything but a read — checked once for all routes, whatever each route then does."""
    session_id = request.path_params.get("session_id")
    if session_id is not None:
        allow_cabin(caller, session_id, change=request.method not in ("GET", "HEAD"))


def allow_cabin(caller: Caller, cabin_id: str, *, change: bool) -> None:
    """Refuse unless ``caller`` may read (or, with ``change``, drive) the cabin. Another cabin
    is refused exactly as one that does not exist, so a cabin token learns nothing of others."""
    if isinstance(caller, Operator):
        return
    if caller.cabin != cabin_id:
        raise UnknownCabin(f"no cabin {cabin_id!r}")
    if change and not caller.may_change():
        raise NotAllowed(f"this token may only read cabin {cabin_id!r}")


def require_operator(caller: Caller, what: str) -> None:
    if not isinstance(caller, Operator):
        raise NotAllowed(f"{what} needs the operator token; a cabin's token cannot")


def address_of(client: Address | None) -> str:
    return "unknown" if client is None else client.host


def websocket_token(websocket: WebSocket) -> tuple[str | None, str | None]:
    """The token a WebSocket handshake carries, and the subprotocol to answer with (if any)."""
    offered: list[str] = list(websocket.scope.get("subprotocols", []))
    chosen = SUBPROTOCOL if SUBPROTOCOL in offered else None
    for protocol in offered:
        if protocol.startswith(SUBPROTOCOL_PREFIX):
            return protocol[len(SUBPROTOCOL_PREFIX) :], chosen or protocol
    return websocket.query_params.get("token"), chosen
