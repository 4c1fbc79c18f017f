"""What an occupant sees when the car behind a KUKSA broker misbehaves: a broker that is down at
start, killed mid-turn, slow; writes it refuses or never carries out; stale values; signals it
does not have. Each runs codriver → gRPC → codriver's own KUKSA server on loopback, with a
:class:`FaultyBus` in front of the simulated car."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from codriver.assistant import Assistant
from codriver.errors import VehicleUnavailable
from codriver.testing.faults import Faults, FaultyBus
from codriver.testing.kuksa import LoopbackBroker
from codriver.vehicle import SimulatedCar
from codriver.vehicle.catalog import RejectionCode
from codriver.vehicle.kuksa.client import KuksaBus, LinkEvent
from codriver.vehicle.kuksa.options import KuksaOptions
from codriver.vehicle.kuksa.server import KuksaServer

WINDOW = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position"
TRUNK = "Vehicle.Body.Trunk.Rear.IsOpen"
DOOR = "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen"
DEFROST = "Vehicle.Cabin.HVAC.IsRearDefrosterActive"
WINDOWS = [
    f"Vehicle.Cabin.Door.Row{row}.{side}Side.Window.Position"
    for row in (1, 2)
    for side in ("Driver", "Passenger")
]
FAST = KuksaOptions("127.0.0.1", timeout_s=1.0, confirm_s=1.0, backoff_s=(0.05, 0.2))
"""Deadlines short beside the faults (5 s) and long enough for echoes on a busy machine."""


def run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), timeout=60))


Setup = tuple[LoopbackBroker, Assistant, SimulatedCar]


async def faulty(faults: Faults, options: KuksaOptions = FAST) -> Setup:
    car = SimulatedCar()
    broker = await LoopbackBroker.start(FaultyBus(car, faults), options=options)
    return broker, Assistant(bus=broker.bus, clock=car.clock), car


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_broker_down_at_start_is_one_clear_error_and_exit_code_3() -> None:
    port = free_port()
    unreachable = f"cannot reach the KUKSA broker at 127.0.0.1:{port}"
    with pytest.raises(VehicleUnavailable, match=unreachable):
        asyncio.run(KuksaBus.connect(KuksaOptions("127.0.0.1", port)))
    command = "from codriver.cli.main import run; run()"
    done = subprocess.run(
        [sys.executable, "-c", command, "--bus", f"kuksa://127.0.0.1:{port}", "say", "hello"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("error: cannot reach the KUKSA broker"), done.stderr
    assert "Traceback" not in done.stderr


def test_a_broker_killed_mid_turn_fails_the_turn_and_nothing_is_replayed_after_it_is_back() -> None:
    async def test() -> None:
        faults = Faults()
        broker, assistant, car = await faulty(faults)
        port, events = broker.server.port, list[LinkEvent]()
        back = asyncio.Event()
        broker.bus.on_link(lambda e: (events.append(e), e.up and back.set()))

        async def die() -> None:  # the broker goes away with the command in its hands
            asyncio.get_running_loop().create_task(broker.server.stop(None))
            await asyncio.Event().wait()

        faults.before_write = die
        result = await assistant.say("open the driver window")
        assert (result.outcome, car.value(WINDOW)) == ("refused", 0), result.reply
        assert re.search(r"didn't confirm|can't reach", result.reply), result.reply
        assert "open" not in result.reply.lower().split("window")[0]  # not "Driver's window open"
        again = await assistant.say("open the driver window")  # while it is down: fails at once
        assert again.outcome == "refused", again.reply
        faults.before_write = None
        revived = KuksaServer(FaultyBus(car, faults))
        await revived.start(port)
        await asyncio.wait_for(back.wait(), timeout=20)
        assert car.value(WINDOW) == 0, "a failed command was sent again after reconnecting"
        assert [e.up for e in events] == [False, True], events  # told once, then once again
        result = await assistant.say("open the driver window")
        assert (result.outcome, car.value(WINDOW)) == ("done", 100), result.reply
        await broker.bus.close()
        await revived.stop(None)

    run(test)


def test_a_slow_broker_is_a_failed_command_never_a_done_one() -> None:
    async def test() -> None:
        broker, assistant, _ = await faulty(Faults(write_delay_s=5.0))
        result = await assistant.say("open the trunk")
        assert result.outcome == "refused", result.reply
        assert "didn't confirm it in time" in result.reply
        assert result.actions[0].status == "failed"
        assert await broker.bus.get(TRUNK) is False
        await broker.close()

    run(test)


def test_a_broker_too_slow_to_read_leaves_everything_unknown_and_the_gate_closed() -> None:
    async def test() -> None:
        faults = Faults()
        broker, assistant, car = await faulty(faults)
        faults.read_delay_s = 5.0  # slow from now on: subscribed, then every read times out
        result = await assistant.say("open the driver door")  # parked, but nobody can tell
        assert result.outcome == "refused", result.reply
        assert car.value(DOOR) is False
        assert await broker.bus.get("Vehicle.Speed") is None
        await broker.close()

    run(test)


@pytest.mark.parametrize(
    ("code", "text", "heard"),
    [
        ("rejected", "open the trunk", "The car refused that, so it wasn't done"),
        ("denied", "open the trunk", "I'm not allowed to change that on this car"),
        ("unavailable", "open the trunk", "I can't reach that part of the car right now"),
        ("rejected", "打开后备箱", "车辆拒绝了这个操作"),
        ("denied", "打开后备箱", "我没有权限在这辆车上改这个"),
        ("unavailable", "打开后备箱", "现在连不上车上的这个部件"),
    ],
)
def test_a_refused_write_is_said_as_refused_in_the_occupants_language(
    code: RejectionCode, text: str, heard: str
) -> None:
    async def test() -> None:
        broker, assistant, car = await faulty(Faults(refuse={TRUNK: code}))
        result = await assistant.say(text)
        assert (result.outcome, car.value(TRUNK)) == ("refused", False), result.reply
        assert heard in result.reply
        await broker.close()

    run(test)


def test_a_compound_command_with_one_refused_part_reports_each_part_exactly() -> None:
    async def test() -> None:
        broker, assistant, car = await faulty(Faults(refuse={DEFROST: "rejected"}))
        result = await assistant.say("open the driver window and turn on the rear defroster")
        assert result.outcome == "done", result.reply
        assert [a.status for a in result.actions] == ["done", "failed"]
        assert (car.value(WINDOW), car.value(DEFROST)) == (100, False)
        assert "window" in result.reply and "The car refused that" in result.reply
        await broker.close()

    run(test)


def test_one_refused_window_of_all_four_leaves_all_four_as_they_were() -> None:
    async def test() -> None:
        broker, assistant, car = await faulty(Faults(refuse={WINDOWS[2]: "rejected"}))
        result = await assistant.say("open all windows")
        assert result.outcome == "refused", result.reply
        assert [car.value(w) for w in WINDOWS] == [0, 0, 0, 0]  # BatchActuate: none or all
        assert result.changes == ()
        await broker.close()

    run(test)


def test_a_window_the_car_never_moves_is_reported_and_the_others_are_counted() -> None:
    async def test() -> None:
        broker, assistant, car = await faulty(Faults(ignore={WINDOWS[3]}))
        result = await assistant.say("open all windows")
        assert result.outcome == "refused", result.reply
        assert "Only part of that went through: 3 of 4 changes were made" in result.reply
        assert [car.value(w) for w in WINDOWS] == [100, 100, 100, 0]
        moved = {c.path for c in result.actions[0].changes if c.source == "command"}
        assert moved == set(WINDOWS[:3])
        await broker.close()

    run(test)


def test_a_value_older_than_its_maximum_age_is_unknown() -> None:
    async def test() -> None:
        options = KuksaOptions(
            "127.0.0.1", timeout_s=0.5, confirm_s=0.5, max_age=(("Vehicle.Speed", 5.0),)
        )
        broker, assistant, car = await faulty(Faults(), options)
        await publish(broker, "Vehicle.Speed", 0.0, at=time.time() - 60)  # a feeder, long ago
        stale = await assistant.say("open the driver door")
        assert (stale.outcome, car.value(DOOR)) == ("refused", False), stale.reply
        assert await assistant.read("Vehicle.Speed") is None
        await publish(broker, "Vehicle.Speed", 0.0, at=time.time())
        fresh = await assistant.say("open the driver door")
        assert (fresh.outcome, car.value(DOOR)) == ("done", True), fresh.reply
        await broker.close()

    run(test)


async def publish(broker: LoopbackBroker, path: str, value: float, at: float) -> None:
    """``PublishValue`` from another client, as a feeder stamps its readings."""
    import grpc
    from kuksa.val.v2 import types_pb2, val_pb2, val_pb2_grpc

    from codriver.vehicle.kuksa.convert import datapoint

    async with grpc.aio.insecure_channel(f"127.0.0.1:{broker.server.port}") as channel:
        request: Any = val_pb2.PublishValueRequest(
            signal_id=types_pb2.SignalID(path=path), data_point=datapoint("float", value, at)
        )
        await val_pb2_grpc.VALStub(channel).PublishValue(request, timeout=5)
