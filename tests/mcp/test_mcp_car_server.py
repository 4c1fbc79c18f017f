"""The car as an MCP server, over real sessions: Streamable HTTP in-process (a car doing 60 km/h)
and ``codriver mcp serve`` as a subprocess (stdio and HTTP). Tokens, grants, reading signals,
calls the gate refuses while moving, what only an occupant may confirm, and ``say``."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# the SDK: a bare "mcp" would also find this folder, tests/mcp
pytest.importorskip("mcp.client.stdio", reason="the [mcp] extra is not installed")

import httpx2
import uvicorn
from car_client import call, session
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult, TextContent

from codriver.assistant.session import Assistant
from codriver.mcp.car import CarServer
from codriver.mcp.grants import ClientGrant
from codriver.mcp.serve import http_app
from codriver.testing import RecordingBus, SimulatedCar

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from codriver.cli.main import run; run()", "mcp", "serve"]
FULL = "full-client-token-0123456789"
READER = "read-only-token-0123456789"
TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
LOCKED = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked"
CLIENTS = (
    ClientGrant(name="full", token=FULL, grants=frozenset({"read", "cabin", "say"})),
    ClientGrant(name="reader", token=READER, grants=frozenset({"read"}), lang="zh"),
)


def car_at(speed: float) -> tuple[Assistant, RecordingBus]:
    sim = SimulatedCar(values={"Vehicle.Speed": speed, LOCKED: True})
    bus = RecordingBus(sim)
    return Assistant(bus=bus, clock=sim.clock), bus


@pytest.fixture(scope="module")
def car(loop: asyncio.Runner, port: Any) -> Iterator[tuple[str, RecordingBus]]:
    """The car server on loopback, in this event loop; its URL and the car's bus."""
    assistant, bus = car_at(60)
    number = port()
    config = uvicorn.Config(
        http_app(CarServer(assistant), CLIENTS), host="127.0.0.1", port=number, log_level="error"
    )
    server = uvicorn.Server(config)

    async def start() -> asyncio.Task[None]:
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        return task

    task = loop.run(start())
    yield f"http://127.0.0.1:{number}/mcp", bus
    server.should_exit = True

    async def stop() -> None:
        await task

    loop.run(stop())


def text(result: CallToolResult) -> str:
    [block] = result.content
    assert isinstance(block, TextContent)
    return block.text


def names(loop: asyncio.Runner, url: str, token: str) -> set[str]:
    async def go() -> set[str]:
        async with session(url, token) as client:
            return {t.name for t in (await client.list_tools()).tools}

    return loop.run(go())


@pytest.mark.parametrize("token", [None, "wrong-token-0123456789"], ids=["none", "wrong"])
def test_no_token_no_entry(loop: asyncio.Runner, car: tuple[str, RecordingBus], token: Any) -> None:
    url, _ = car

    async def post() -> httpx2.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx2.AsyncClient() as http:
            body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
            return await http.post(url, json=body, headers=headers)

    response = loop.run(post())
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    with pytest.raises(Exception):  # noqa: B017 - the SDK's error for a refused connection
        names(loop, url, token or "")


def test_a_client_sees_only_what_its_grants_allow(
    loop: asyncio.Runner, car: tuple[str, RecordingBus]
) -> None:
    url, _ = car
    assert names(loop, url, READER) == {"read_signals", "vehicle_status", "ask_manual"}
    full = names(loop, url, FULL)
    assert {"read_signals", "say", "set_temperature", "set_door_lock", "set_trunk"} <= full
    assert not full & {"play_media", "call_contact", "navigate_to"}


def test_a_call_outside_the_grants_is_refused(
    loop: asyncio.Runner, car: tuple[str, RecordingBus]
) -> None:
    url, bus = car
    before = len(bus.writes)
    result = call(loop, url, READER, "set_temperature", celsius=26)
    assert result.is_error
    assert text(result) == "这个连接无权使用set_temperature（需要cabin授权）。"
    assert len(bus.writes) == before


def test_reading_signals(loop: asyncio.Runner, car: tuple[str, RecordingBus]) -> None:
    url, _ = car
    result = call(loop, url, READER, "read_signals", paths=["Vehicle.Speed", "Vehicle.Nope"])
    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["values"] == {"Vehicle.Speed": 60.0}
    assert result.structured_content["unknown"] == ["Vehicle.Nope"]


def test_an_allowed_call_is_done_and_reported(
    loop: asyncio.Runner, car: tuple[str, RecordingBus]
) -> None:
    url, bus = car
    result = call(loop, url, FULL, "set_temperature", celsius=24)
    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["changes"] == [{"path": TEMPERATURE, "old": 22.0, "new": 24.0}]
    assert bus.writes[-1] == (TEMPERATURE, 24.0)


@pytest.mark.parametrize(
    ("tool", "args", "rule"),
    [
        ("set_trunk", {"open": True}, "no-trunk-or-hood-while-moving"),
        ("set_door_lock", {"locked": False}, "no-remote-unlocking"),
        ("set_door", {"open": True, "door": "driver"}, "no-door-opening-while-moving"),
    ],
    ids=["trunk", "unlock", "door"],
)
def test_unsafe_calls_while_moving_are_refused(
    loop: asyncio.Runner, car: tuple[str, RecordingBus], tool: str, args: Any, rule: str
) -> None:
    url, bus = car
    before = len(bus.writes)
    result = call(loop, url, FULL, tool, **args)
    assert result.is_error
    assert result.structured_content is not None
    assert (result.structured_content["status"], result.structured_content["rule"]) == (
        "refused",
        rule,
    )
    assert len(bus.writes) == before


def test_say_runs_a_turn_within_the_grants(
    loop: asyncio.Runner, car: tuple[str, RecordingBus]
) -> None:
    url, _ = car
    refused = call(loop, url, FULL, "say", text="open the trunk")
    assert text(refused) == "I can't open the trunk or the hood while the car is moving."
    done = call(loop, url, FULL, "say", text="把空调调到二十三度", seat="passenger")
    assert done.structured_content is not None
    assert done.structured_content["outcome"] == "done"
    assert done.structured_content["changes"][0]["new"] == 23.0
    music = call(loop, url, FULL, "say", text="play some jazz")
    assert text(music) == ("This connection may not use play_media (it needs the media grant).")


def test_what_needs_the_occupants_yes_is_not_done_remotely(loop: asyncio.Runner) -> None:
    assistant, bus = car_at(30)
    server = CarServer(assistant)
    client = CLIENTS[0]
    result = loop.run(server.call(client, "set_headlights", {"on": True, "beam": "high"}))
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["rule"] == "confirm-high-beam-in-town"
    assert result.structured_content["message"].startswith("Not done: High beams can dazzle")
    asked = loop.run(server.call(client, "say", {"text": "turn on the high beams"}))
    assert asked.structured_content is not None
    assert asked.structured_content["outcome"] == "asked"
    yes = loop.run(server.call(client, "say", {"text": "yes"}))
    assert text(yes) == "Only an occupant can say yes to that, in the car."
    assert bus.writes == []


def test_codriver_mcp_serve_over_stdio(loop: asyncio.Runner) -> None:
    params = StdioServerParameters(command=CLI[0], args=[*CLI[1:], "--grants", "read"], cwd=ROOT)

    async def go() -> tuple[set[str], CallToolResult, CallToolResult]:
        async with Client(params) as client:
            listed = {t.name for t in (await client.list_tools()).tools}
            read = await client.call_tool("read_signals", {"paths": ["Vehicle.Speed"]})
            denied = await client.call_tool("set_temperature", {"celsius": 25})
            return listed, read, denied

    listed, read, denied = loop.run(go())
    assert listed == {"read_signals", "vehicle_status", "ask_manual"}
    assert read.structured_content is not None
    assert read.structured_content["values"] == {"Vehicle.Speed": 0.0}
    assert denied.is_error


def test_codriver_mcp_serve_over_http_needs_its_token(
    loop: asyncio.Runner, spawn: Any, port: Any
) -> None:
    number = port()
    args = [*CLI[1:], "--http", "--port", str(number), "--grants", "read,say"]
    with spawn(*args, port=number, env={"CODRIVER_MCP_TOKEN": FULL}) as url:
        assert names(loop, url, FULL) == {"read_signals", "say", "vehicle_status", "ask_manual"}
        said = call(loop, url, FULL, "say", text="what's the temperature?")
        assert not said.is_error
        with pytest.raises(Exception):  # noqa: B017 - refused with 401
            names(loop, url, READER)
