"""``codriver mcp serve``: the car's MCP server over stdio (the client that started it holds the
grants given on the command line) or Streamable HTTP (each request carries a client's bearer token;
none or a wrong one is answered 401 before anything else runs)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from codriver.mcp.car import CLIENT_KEY, CarServer
from codriver.mcp.grants import ClientGrant, Tokens

MCP_PATH = "/mcp"


class BearerAuth:
    """ASGI middleware: HTTP requests need ``Authorization: Bearer <token>`` of a known client,
    which it puts in the scope for the handlers."""

    def __init__(self, app: ASGIApp, clients: Iterable[ClientGrant]) -> None:
        self.app = app
        self.tokens = Tokens(clients)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        client = self.tokens.client(token.strip()) if scheme.lower() == "bearer" else None
        if client is None:
            await _unauthorized(send)
            return
        scope[CLIENT_KEY] = client
        await self.app(scope, receive, send)


async def _unauthorized(send: Send) -> None:
    body = json.dumps({"error": "unauthorized", "detail": "a client's bearer token is needed"})
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"www-authenticate", b'Bearer realm="codriver"'),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


def http_app(car: CarServer, clients: Iterable[ClientGrant], host: str = "127.0.0.1") -> ASGIApp:
    """The Streamable HTTP app at ``/mcp`` behind bearer-token auth."""
    app = car.server().streamable_http_app(streamable_http_path=MCP_PATH, host=host)
    return BearerAuth(app, clients)


async def serve_http(
    car: CarServer, clients: Iterable[ClientGrant], host: str, port: int, **uvicorn: Any
) -> None:
    import uvicorn as server

    config = server.Config(http_app(car, clients, host), host=host, port=port, **uvicorn)
    await server.Server(config).serve()


async def serve_stdio(car: CarServer) -> None:
    from mcp.server.stdio import stdio_server

    server = car.server()
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
