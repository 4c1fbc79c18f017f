"""``codriver serve``: the service under uvicorn, in one worker or several, shutting down
gracefully. Several workers are separate processes sharing one Redis store; each builds its
own application from the settings handed down in ``CODRIVER_SERVE_CONFIG``."""

from __future__ import annotations

import dataclasses
import json
import os
from typing import TYPE_CHECKING, Any

import typer

from codriver.errors import MissingExtraError
from codriver.server.config import ServerConfig

if TYPE_CHECKING:
    from fastapi import FastAPI

    from codriver.mcp.config import AppsConfig

GRACE_S = 10
CONFIG_ENV = "CODRIVER_SERVE_CONFIG"


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
        "host": host,
        "port": port,
        "log_level": "info",
        "access_log": access_log,
        "timeout_graceful_shutdown": GRACE_S,
        "ws_ping_interval": 20,
    }
    if workers > 1:
        os.environ[CONFIG_ENV] = json.dumps(dataclasses.asdict(config))
        uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, **settings)
    else:
        uvicorn.run(build_app(config, apps=apps), **settings)


def worker_app() -> FastAPI:
    """One worker's application, from the settings its parent handed down."""
    from codriver.server.app import build_app

    return build_app(ServerConfig(**json.loads(os.environ[CONFIG_ENV])))
