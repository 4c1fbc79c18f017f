"""codriver and KUKSA both ways: the simulated car served over ``kuksa.val.v2`` as a plain KUKSA
app sees it, and codriver's bus on brokers whose metadata differs from codriver's catalog."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import grpc
import pytest
from kuksa.val.v2 import types_pb2, val_pb2, val_pb2_grpc

from codriver.assistant import Assistant
from codriver.errors import VehicleUnavailable
from codriver.testing.kuksa import LoopbackBroker
from codriver.vehicle import Catalog, SimulatedCar, VehicleProfile
from codriver.vehicle.kuksa.client import KuksaBus
from codriver.vehicle.kuksa.convert import from_value, to_value
from codriver.vehicle.kuksa.options import KuksaOptions
from codriver.vehicle.kuksa.server import KuksaServer

SPEED = "Vehicle.Speed"
TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
REAR_WINDOW = "Vehicle.Cabin.Door.Row2.DriverSide.Window"


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), timeout=60))


def car_with(change: Callable[[Any], Any | None]) -> SimulatedCar:
    """The simulated sedan with each signal's spec passed through ``change`` (None: left out)."""
    base = VehicleProfile.load()
    specs = [s for s in (change(spec) for spec in base.catalog) if s is not None]
    catalog = Catalog(specs, base.catalog.origin)
    defaults = {p: v for p, v in base.defaults.items() if p in catalog}
    return SimulatedCar(profile=replace(base, catalog=catalog, defaults=defaults))


@pytest.mark.parametrize(
    ("datatype", "value"),
    [("float", 22.1), ("double", 31.2304), ("uint8", 50), ("int16", -5), ("boolean", True),
     ("string", "OFF"), ("string[]", ["a", "b"]), ("float[]", [3.7, 3.9])],
)  # fmt: skip
def test_a_value_comes_back_as_it_was_sent(datatype: str, value: Any) -> None:
    assert from_value(to_value(datatype, value)) == value


def test_a_kuksa_app_lists_reads_subscribes_and_actuates_the_served_car() -> None:
    async def test() -> None:
        car = SimulatedCar()
        server = KuksaServer(car)
        port = await server.start()
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub: Any = val_pb2_grpc.VALStub(channel)
            info = await stub.GetServerInfo(val_pb2.GetServerInfoRequest())
            hvac = val_pb2.ListMetadataRequest(root="Vehicle.Cabin.HVAC")
            listed = await stub.ListMetadata(hvac)
            paths = {m.path for m in listed.metadata}
            assert info.name == "codriver" and TEMPERATURE in paths and SPEED not in paths
            stream = stub.Subscribe(val_pb2.SubscribeRequest(signal_paths=[TEMPERATURE]))
            first = await stream.read()
            assert from_value(first.entries[TEMPERATURE].value) == 22
            window = types_pb2.SignalID(path="Vehicle.Cabin.Door.Row1.DriverSide.Window.Position")
            half = val_pb2.ActuateRequest(signal_id=window, value=to_value("uint8", 40))
            await stub.Actuate(half)
            assert car.value("Vehicle.Cabin.Door.Row1.DriverSide.Window.IsOpen") is True
            warmer = types_pb2.SignalID(path=TEMPERATURE)
            warm = val_pb2.ActuateRequest(signal_id=warmer, value=to_value("float", 25))
            await stub.Actuate(warm)
            assert from_value((await stream.read()).entries[TEMPERATURE].value) == 25
            stream.cancel()
            sensor = types_pb2.SignalID(path=SPEED)
            speed = val_pb2.ActuateRequest(signal_id=sensor, value=to_value("float", 9))
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await stub.Actuate(speed)  # a sensor: only its provider publishes it
            assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            too_hot = val_pb2.ActuateRequest(signal_id=warmer, value=to_value("float", 40))
            with pytest.raises(grpc.aio.AioRpcError) as hot:
                await stub.Actuate(too_hot)
            assert hot.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert car.value(SPEED) == 0 and car.value(TEMPERATURE) == 25
        await server.stop(None)

    run(test)


def test_a_token_is_needed_when_the_broker_asks_for_one() -> None:
    async def test() -> None:
        server = KuksaServer(SimulatedCar(), token="s3cret")
        port = await server.start()
        with pytest.raises(VehicleUnavailable, match=r"refused codriver.*check --token"):
            await KuksaBus.connect(KuksaOptions("127.0.0.1", port, token="guess"))
        bus = await KuksaBus.connect(KuksaOptions("127.0.0.1", port, token="s3cret"))
        assert await bus.get(TEMPERATURE) == 22
        await bus.close()
        await server.stop(None)

    run(test)


def test_mismatched_metadata_is_reported_at_start_and_used_safely() -> None:
    def differ(spec: Any) -> Any:
        if spec.path == SPEED:
            return replace(spec, unit="m/s")  # another meaning: not used at all
        if spec.path == TEMPERATURE:
            return replace(spec, max=28.0)  # accepts less: codriver's range narrowed
        return None if spec.path.startswith(REAR_WINDOW) else spec  # not there

    async def test() -> None:
        broker = await LoopbackBroker.start(car_with(differ))
        report = "\n".join(broker.bus.reconciled.report())
        missing = len(broker.bus.reconciled.missing)
        assert missing > 0 and f"{missing} missing there" in report
        assert f"{SPEED}: unit km/h here, m/s on the broker (unused)" in report
        assert f"{TEMPERATURE}: maximum 32 here, 28 on the broker (narrowed)" in report
        assistant = Assistant(bus=broker.bus)
        hot = await assistant.say("set the temperature to 30")
        assert hot.outcome == "refused" and "16–28" in hot.reply, hot.reply
        rear = await assistant.say("open the rear left window")
        assert rear.outcome == "refused", rear.reply
        assert "can't reach that part of the car" in rear.reply
        door = await assistant.say("open the driver door")  # speed is unknown: fail closed
        assert door.outcome == "refused", door.reply
        assert await assistant.read(SPEED) is None
        await broker.close()

    run(test)
