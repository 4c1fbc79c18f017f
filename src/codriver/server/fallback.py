"""The cockpit's files at ``/``, and the answers for what no API route took: under ``/api/`` a JSON
404 for an unknown path, and for a known path a 405 with its real ``Allow`` (or, to ``OPTIONS``, a
204 with it). No ``Access-Control-*`` header is ever sent: the service grants no cross-origin
access, so preflights from pages of other origins fail."""

from __future__ import annotations

import json

from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import Receive, Scope, Send

API = "/api/"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
NOT_FOUND_CLOSE = 4404


class CockpitFiles(StaticFiles):
    """Static files for every path but the API's; those get :func:`api_fallback`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if path.startswith(API) or path == API.rstrip("/"):
            await api_fallback(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


async def api_fallback(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":  # accepted first, so that the client sees the code
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": NOT_FOUND_CLOSE, "reason": "no such path"})
        return
    allowed = _methods(scope["app"].router.routes, scope)
    if not allowed:
        await _answer(send, 404, {"detail": f"no such API path: {scope['path']}"[:200]})
        return
    allow = ", ".join(sorted(allowed | {"OPTIONS"}))
    if scope["method"] == "OPTIONS":
        await _answer(send, 204, None, allow)
        return
    detail = f"{scope['method']} is not allowed here; allowed: {allow}"
    await _answer(send, 405, {"detail": detail}, allow)


def _methods(routes: list[BaseRoute], scope: Scope) -> set[str]:
    """The methods some route before the cockpit's mount takes at the request's path."""
    mounts = [i for i, r in enumerate(routes) if isinstance(r, Mount)]
    routed = routes[: mounts[0]] if mounts else routes
    return {
        method
        for method in METHODS
        if any(r.matches({**scope, "method": method})[0] == Match.FULL for r in routed)
    }


async def _answer(send: Send, status: int, body: object, allow: str | None = None) -> None:
    content = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = [(b"content-length", str(len(content)).encode())]
    if body is not None:
        headers.append((b"content-type", b"application/json"))
    if allow is not None:
        headers.append((b"allow", allow.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
