"""``codriver serve``: the service under uvicorn, in one worker or several (separate processes
sharing one Redis store, see :mod:`codriver.server.workers`), shutting down gracefully."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    workers: int = 1,
) -> None:
    """Run until interrupted; on SIGINT/SIGTERM stop listening, finish the requests in flight
    (every accepted turn is answered), then end the event streams."""
    try:
        import uvicorn

        from codriver.server.app import build_app
    except ImportError as exc:
        raise MissingExtraError("codriver serve", "server") from exc
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    typer.secho(f"codriver cockpit: http://{shown}:{port}/#token={config.token}", bold=True)
    typer.echo(f"API token:        {config.token}")
    typer.echo(f"API schema:       http://{shown}:{port}/docs")
    settings: dict[str, Any] = {
        "log_level": "info",
        "access_log": access_log,
        "timeout_graceful_shutdown": GRACE_S,
        "ws_ping_interval": 20,
    }
    if workers > 1:
        from codriver.server.workers import Workers

        failed = Workers(config, host, port, settings).run(workers)
        if failed:
            raise typer.Exit(failed)
    else:
        uvicorn.run(build_app(config, apps=apps), host=host, port=port, **settings)
