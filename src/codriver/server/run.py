"""``codriver serve``: the service under uvicorn, one worker, shutting down gracefully."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from codriver.errors import MissingExtraError
from codriver.server.config import ServerConfig

if TYPE_CHECKING:
    from codriver.mcp.config import AppsConfig

GRACE_S = 10


def serve(
    host: str,
    port: int,
    config: ServerConfig,
    *,
    access_log: bool = False,
    apps: AppsConfig | None = None,
) -> None:
    """Run until interrupted; on SIGINT/SIGTERM stop listening, finish the requests in flight
    (every accepted turn is answered), then end the event streams."""
    try:
        import uvicorn

        from codriver.server.app import build_app
    except ImportError as exc:
        raise MissingExtraError("codriver serve", "server") from exc
    app = build_app(config, apps=apps)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    typer.secho(f"codriver cockpit: http://{shown}:{port}/#token={config.token}", bold=True)
    typer.echo(f"API token:        {config.token}")
    typer.echo(f"API schema:       http://{shown}:{port}/docs")
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
        timeout_graceful_shutdown=GRACE_S,
        ws_ping_interval=20,
    )
