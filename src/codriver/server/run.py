"""``codriver serve``: the service under uvicorn, one worker, shutting down gracefully."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from codriver.errors import MissingExtraError
from codriver.server.config import ServerConfig
from codriver.server.exposure import Exposure, log_config

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
    exposure: Exposure | None = None,
) -> None:
    """Run until interrupted; on SIGINT/SIGTERM stop listening, finish the requests in flight
    (every accepted turn is answered), then end the event streams. No token is ever printed."""
    try:
        import uvicorn

        from codriver.server.app import build_app
    except ImportError as exc:
        raise MissingExtraError("codriver serve", "server") from exc
    app = build_app(config, apps=apps)
    exposure = exposure or Exposure("given to the program")
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    scheme = "http" if exposure.tls is None else "https"
    typer.secho(f"codriver cockpit: {scheme}://{shown}:{port}/", bold=True)
    typer.echo(f"operator token:   {exposure.token_source} (the cockpit asks for it once)")
    typer.echo(f"API schema:       {scheme}://{shown}:{port}/docs")
    if exposure.warning:
        typer.secho(exposure.warning, err=True, fg="red")
    tls = exposure.tls
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        log_config=log_config(),
        access_log=access_log,
        timeout_graceful_shutdown=GRACE_S,
        ws_ping_interval=20,
        ws_max_size=config.ws_max_message,
        ssl_certfile=None if tls is None else str(tls.cert),
        ssl_keyfile=None if tls is None else str(tls.key),
    )
