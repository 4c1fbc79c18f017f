"""``codriver serve``: the service under uvicorn, one worker, shutting down gracefully."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any

import typer

from codriver.errors import InputError, MissingExtraError
from codriver.server.config import ServerConfig
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
    bus: BusOpener | None = None,
) -> None:
    """Run until interrupted; on SIGINT/SIGTERM stop listening, finish the requests in flight
    (every accepted turn is answered), then end the event streams. With ``bus``, every cabin
    acts on the one car behind that vehicle bus, connected when the service starts."""
    try:
        import uvicorn

        from codriver.server.app import build_app
    except ImportError as exc:
        raise MissingExtraError("codriver serve", "server") from exc
    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "access_log": access_log,
        "timeout_graceful_shutdown": GRACE_S,
        "ws_ping_interval": 20,
    }
    if bus is not None:
        if apps is not None and apps.servers:
            raise InputError("serve does not mount --apps on a --bus car yet")
        asyncio.run(_serve_on_bus(config, bus, settings))
        return
    app = build_app(config, apps=apps)
    _banner(host, port, config)
    uvicorn.run(app, **settings)


async def _serve_on_bus(config: ServerConfig, bus: BusOpener, settings: dict[str, Any]) -> None:
    """The service in this event loop, where the vehicle bus's connection lives."""
    import uvicorn

    from codriver.assistant import Assistant
    from codriver.server.app import build_app

    async with AsyncExitStack() as stack:
        vehicle = await bus(stack)
        app = build_app(config, lambda: Assistant(bus=vehicle))
        _banner(settings["host"], settings["port"], config)
        await uvicorn.Server(uvicorn.Config(app, loop="asyncio", **settings)).serve()


def _banner(host: str, port: int, config: ServerConfig) -> None:
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    typer.secho(f"codriver cockpit: http://{shown}:{port}/#token={config.token}", bold=True)
    typer.echo(f"API token:        {config.token}")
    typer.echo(f"API schema:       http://{shown}:{port}/docs")
