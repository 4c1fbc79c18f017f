"""``codriver serve``: the service under uvicorn, in one worker or several (separate processes
sharing one Redis store, see :mod:`codriver.server.workers`), shutting down gracefully."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any

import typer

from codriver.errors import InputError, MissingExtraError
from codriver.server.config import ServerConfig
from codriver.server.exposure import Exposure, log_config
from codriver.vehicle.bus import VehicleBus

if TYPE_CHECKING:
    from codriver.mcp.config import AppsConfig

GRACE_S = 10
BusOpener = Callable[[AsyncExitStack], Awaitable[VehicleBus | None]]


def serve(
    host: str,
    port: int,
    config: ServerConfig,
    *,
    access_log: bool = False,
    apps: AppsConfig | None = None,
    exposure: Exposure | None = None,
    bus: BusOpener | None = None,
    workers: int = 1,
) -> None:
    """Run until interrupted; on SIGINT/SIGTERM stop listening, finish the requests in flight
    (every accepted turn is answered), then end the event streams. No token is ever printed.
    With ``bus``, every cabin acts on the one car behind that vehicle bus, connected when the
    service starts (one worker)."""
    try:
        import uvicorn

        from codriver.server.app import build_app
    except ImportError as exc:
        raise MissingExtraError("codriver serve", "server") from exc
    exposure = exposure or Exposure("given to the program")
    settings = _settings(config, exposure, access_log)
    if bus is not None:
        if apps is not None and apps.servers:
            raise InputError("serve does not mount --apps on a --bus car yet")
        if workers > 1:
            raise InputError("serve --bus drives one car from one process: use --workers 1")
        asyncio.run(_serve_on_bus(config, bus, host, port, settings, exposure))
        return
    _banner(host, port, exposure)
    if workers > 1:
        from codriver.server.workers import Workers

        failed = Workers(config, host, port, settings).run(workers)
        if failed:
            raise typer.Exit(failed)
    else:
        uvicorn.run(build_app(config, apps=apps), host=host, port=port, **settings)


def _settings(config: ServerConfig, exposure: Exposure, access_log: bool) -> dict[str, Any]:
    """uvicorn's settings: its log (secrets redacted), the shutdown grace, the stream's limits,
    TLS."""
    tls = exposure.tls
    return {
        "log_level": "info",
        "log_config": log_config(),
        "access_log": access_log,
        "timeout_graceful_shutdown": GRACE_S,
        "ws_ping_interval": 20,
        "ws_max_size": config.ws_max_message,
        "ssl_certfile": None if tls is None else str(tls.cert),
        "ssl_keyfile": None if tls is None else str(tls.key),
    }


async def _serve_on_bus(
    config: ServerConfig,
    bus: BusOpener,
    host: str,
    port: int,
    settings: dict[str, Any],
    exposure: Exposure,
) -> None:
    """The service in this event loop, where the vehicle bus's connection lives."""
    import uvicorn

    from codriver.assistant import Assistant
    from codriver.server.app import build_app

    async with AsyncExitStack() as stack:
        vehicle = await bus(stack)
        app = build_app(config, lambda: Assistant(bus=vehicle))
        _banner(host, port, exposure)
        config_ = uvicorn.Config(app, host=host, port=port, loop="asyncio", **settings)
        await uvicorn.Server(config_).serve()


def _banner(host: str, port: int, exposure: Exposure) -> None:
    """Where the cockpit is and where its token is kept: never the token itself."""
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    scheme = "http" if exposure.tls is None else "https"
    typer.secho(f"codriver cockpit: {scheme}://{shown}:{port}/", bold=True)
    typer.echo(f"operator token:   {exposure.token_source} (the cockpit asks for it once)")
    typer.echo(f"API schema:       {scheme}://{shown}:{port}/docs")
    if exposure.warning:
        typer.secho(exposure.warning, err=True, fg="red")
