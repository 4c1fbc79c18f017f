"""Run an example server over stdio (default) or Streamable HTTP (``--http --port N``), with an
optional bearer token (``--token``, or the variable ``--token-env`` names) on HTTP."""

from __future__ import annotations

import argparse
import hmac
import os
import sys
from typing import Any

from mcp.server.mcpserver import MCPServer


def serve(server: MCPServer[Any], argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=server.name, description=server.instructions)
    parser.add_argument("--http", action="store_true", help="Streamable HTTP instead of stdio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--token", help="bearer token clients must send (HTTP)")
    parser.add_argument("--token-env", help="variable holding that token")
    args = parser.parse_args(argv)
    if not args.http:
        server.run("stdio")
        return
    import uvicorn

    token = args.token or (os.environ.get(args.token_env) if args.token_env else None)
    app: Any = server.streamable_http_app(host=args.host)
    if token:
        app = _Bearer(app, token)
    print(f"{server.name} at http://{args.host}:{args.port}/mcp", file=sys.stderr, flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


class _Bearer:
    """Answers 401 to HTTP requests without ``Authorization: Bearer <token>``."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            given = dict(scope.get("headers") or ()).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                await send({"type": "http.response.start", "status": 401, "headers": []})
                await send({"type": "http.response.body", "body": b"unauthorized"})
                return
        await self.app(scope, receive, send)
