"""The vehicle bus on the command line: ``codriver --bus kuksa://HOST:PORT … COMMAND`` puts a KUKSA
databroker in place of the simulated car, and ``codriver bus serve --kuksa PORT`` serves the
simulated car as a ``kuksa.val.v2`` broker (both need the [kuksa] extra)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from contextlib import AsyncExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from codriver.cli.common import parse_assignment
from codriver.vehicle.bus import VehicleBus
from codriver.vehicle.catalog import Value

if TYPE_CHECKING:
    from codriver.vehicle.kuksa.client import KuksaBus, LinkEvent

BUS_FLAGS: dict[str, object] = {}
"""The vehicle bus given on the command line (``codriver --bus … COMMAND``)."""

app = typer.Typer(help="The vehicle bus: serve the simulated car over KUKSA (extra [kuksa]).")


async def open_bus(stack: AsyncExitStack) -> VehicleBus | None:
    """The bus of ``--bus`` connected (closed with ``stack``), or None for the simulated car.
    A broker that cannot be reached raises :class:`~codriver.errors.VehicleUnavailable`."""
    url = BUS_FLAGS.get("url")
    if not isinstance(url, str):
        return None
    from codriver.vehicle.kuksa import require

    require("--bus kuksa://…")
    from codriver.vehicle.kuksa.client import KuksaBus
    from codriver.vehicle.kuksa.options import KuksaOptions, parse_max_age, parse_url

    host, port = parse_url(url)
    tls = BUS_FLAGS.get("tls")
    options = KuksaOptions(
        host,
        port,
        token=_text(BUS_FLAGS.get("token")),
        tls_ca=tls if isinstance(tls, Path) else None,
        tls_name=_text(BUS_FLAGS.get("tls_name")),
        timeout_s=_seconds(BUS_FLAGS.get("timeout"), 1.0),
        max_age=parse_max_age(_texts(BUS_FLAGS.get("max_age"))),
    )
    bus = await KuksaBus.connect(options)
    stack.push_async_callback(bus.close)
    _report(bus)
    bus.on_link(_told)
    return bus


def _report(bus: KuksaBus) -> None:
    """What the broker is and how its metadata matches codriver's catalog, on stderr."""
    name = bus.server or "a KUKSA broker"
    typer.secho(f"vehicle bus: {name} at {bus.options.address}", err=True)
    for line in bus.reconciled.report():
        typer.secho(f"  {line}", err=True)


def _told(event: LinkEvent) -> None:
    if event.up:
        typer.secho("vehicle bus: connected again", fg=typer.colors.GREEN, err=True)
    else:
        typer.secho(f"vehicle bus: link lost ({event.reason})", fg=typer.colors.RED, err=True)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _texts(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _seconds(value: object, default: float) -> float:
    return float(value) if isinstance(value, int | float) and value > 0 else default


@app.command("serve")
def serve_command(
    kuksa: Annotated[int, typer.Option(help="port for the kuksa.val.v2 gRPC server")] = 55555,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    token: Annotated[
        str | None, typer.Option("--token", help="bearer token every call must carry")
    ] = None,
    tick: Annotated[
        float, typer.Option(help="real seconds between moves of the car's clock (0: frozen)")
    ] = 1.0,
    given: Annotated[
        list[str] | None, typer.Option("--set", help="SIGNAL=VALUE at start (repeatable)")
    ] = None,
) -> None:
    """Serve the simulated car as a kuksa.val.v2 broker, so KUKSA apps and feeders talk to it."""
    from codriver.vehicle.kuksa import require

    require("codriver bus serve")
    preset = dict(parse_assignment(item) for item in given or [])
    asyncio.run(_serve(host, kuksa, token, tick, preset))


async def _serve(
    host: str, port: int, token: str | None, tick: float, preset: dict[str, Value]
) -> None:
    from codriver.errors import InputError
    from codriver.vehicle.catalog import Rejection
    from codriver.vehicle.kuksa.server import KuksaServer
    from codriver.vehicle.simulator import SimulatedCar

    car = SimulatedCar()
    for result in car.feed_now(preset):
        if isinstance(result, Rejection):
            raise InputError(result.message)
    server = KuksaServer(car, token=token)
    try:
        bound = await server.start(port, host)
    except (OSError, RuntimeError) as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc}") from exc
    typer.secho(
        f"codriver's simulated car as a kuksa.val.v2 broker on {host}:{bound} "
        f"({len(car.catalog)} signals)",
        bold=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    ticker = asyncio.create_task(_tick(car, tick)) if tick > 0 else None
    await stop.wait()
    if ticker is not None:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker
    await server.stop(1.0)


async def _tick(car: object, period: float) -> None:
    """Move the car's simulated clock with real time (the battery drains, the cabin air drifts)."""
    from codriver.vehicle.simulator import SimulatedCar

    assert isinstance(car, SimulatedCar)
    loop = asyncio.get_running_loop()
    last = loop.time()
    while True:
        await asyncio.sleep(period)
        now = loop.time()
        await car.clock.advance(now - last)
        last = now
