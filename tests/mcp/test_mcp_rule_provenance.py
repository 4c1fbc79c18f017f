"""A rule made by a remote client of the car's MCP server keeps that client's identity: its actions
are judged as the client's when the rule is made and again whenever it fires, over real Streamable
HTTP sessions to a parked car. A rule can never do later what its creator could not do itself."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest

pytest.importorskip("mcp", reason="the [mcp] extra is not installed")

import uvicorn
from car_client import call

from codriver.assistant.executor import Caller
from codriver.assistant.plan import ToolCall
from codriver.assistant.session import Assistant
from codriver.mcp.car import CarServer
from codriver.mcp.grants import ClientGrant
from codriver.mcp.serve import http_app
from codriver.testing import RecordingBus, SimulatedCar

CABIN = "cabin-client-token-0123456789"
PHONE = "phone-client-token-0123456789"
TALKER = "talker-client-token-0123456789"
CLIENTS = (
    ClientGrant(name="cabin", token=CABIN, grants=frozenset({"read", "cabin"})),
    ClientGrant(name="phone", token=PHONE, grants=frozenset({"read", "cabin", "phone"})),
    ClientGrant(name="talker", token=TALKER, grants=frozenset({"cabin", "say"}), lang="zh"),
)
DOORS = [f"Row{row}.{side}Side" for row in (1, 2) for side in ("Driver", "Passenger")]
LOCKS = [f"Vehicle.Cabin.Door.{door}.IsLocked" for door in DOORS]
RAIN = "Vehicle.Body.Raindetection.Intensity"
CALL = "Cockpit.Phone.Call"
PREMIUM = "+86 900 1234 5678"
UNLOCK = {"tool": "set_door_lock", "args": {"locked": False}}
DIAL = {"tool": "call_contact", "args": {"contact": PREMIUM}}


def parked_car() -> tuple[Assistant, RecordingBus]:
    sim = SimulatedCar(values=dict.fromkeys(LOCKS, True))
    bus = RecordingBus(sim)
    return Assistant(bus=bus, clock=sim.clock), bus


@contextmanager
def served(loop: asyncio.Runner, port: Any, assistant: Assistant) -> Iterator[str]:
    """The car's MCP server on loopback, in this event loop; its URL."""
    number = port()
    app = http_app(CarServer(assistant), CLIENTS)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=number, log_level="error"))

    async def start() -> asyncio.Task[None]:
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        return task

    task = loop.run(start())
    try:
        yield f"http://127.0.0.1:{number}/mcp"
    finally:
        server.should_exit = True
        loop.run(asyncio.wait_for(task, 10))


def rain_starts(loop: asyncio.Runner, assistant: Assistant) -> None:
    loop.run(assistant.feed({RAIN: 60}))


def untouched(loop: asyncio.Runner, assistant: Assistant) -> tuple[list[object], object]:
    locks = [loop.run(assistant.read(path)) for path in LOCKS]
    return locks, loop.run(assistant.read(CALL))


def test_a_cabin_clients_rule_can_neither_unlock_nor_call_later(
    loop: asyncio.Runner, port: Any
) -> None:
    assistant, bus = parked_car()
    with served(loop, port, assistant) as url:
        made = call(
            loop,
            url,
            CABIN,
            "create_rule",
            trigger="rain",
            text="when it rains, close up",
            actions=[UNLOCK, DIAL],
        )
    assert made.is_error
    assert made.structured_content is not None
    assert made.structured_content["status"] == "refused"
    assert made.structured_content["rule"] == "no-remote-unlocking"
    assert loop.run(assistant.read("Cockpit.Rules")) == []
    rain_starts(loop, assistant)
    assert untouched(loop, assistant) == ([True] * 4, "")
    assert bus.writes == []


def test_a_cabin_clients_call_inside_a_rule_needs_the_phone_grant(
    loop: asyncio.Runner, port: Any
) -> None:
    assistant, _ = parked_car()
    with served(loop, port, assistant) as url:
        made = call(
            loop, url, CABIN, "create_rule", trigger="rain", text="when it rains", actions=[DIAL]
        )
    assert made.is_error
    assert made.structured_content is not None
    assert made.structured_content["rule"] == "not-granted"
    assert "call_contact" in made.structured_content["message"]
    rain_starts(loop, assistant)
    assert untouched(loop, assistant) == ([True] * 4, "")


def test_even_with_the_phone_grant_a_remote_rule_may_not_call_without_an_occupant(
    loop: asyncio.Runner, port: Any
) -> None:
    assistant, _ = parked_car()
    with served(loop, port, assistant) as url:
        made = call(
            loop, url, PHONE, "create_rule", trigger="rain", text="when it rains", actions=[DIAL]
        )
    assert made.is_error
    assert made.structured_content is not None
    assert made.structured_content["rule"] == "occupant-only"
    rain_starts(loop, assistant)
    assert untouched(loop, assistant) == ([True] * 4, "")


def test_a_rule_said_by_a_remote_client_is_judged_as_that_client(
    loop: asyncio.Runner, port: Any
) -> None:
    assistant, bus = parked_car()
    with served(loop, port, assistant) as url:
        said = call(loop, url, TALKER, "say", text="下雨的时候关上车窗并拨打10086")
    assert said.structured_content is not None
    assert said.structured_content["outcome"] == "refused"
    assert "call_contact" in said.structured_content["reply"]
    rain_starts(loop, assistant)
    assert untouched(loop, assistant) == ([True] * 4, "")
    assert bus.writes == []


def test_a_stored_remote_rule_fires_only_within_its_creators_grants(
    loop: asyncio.Runner, port: Any
) -> None:
    """The gate judges the fired actions as the creator's, also for a rule that was let in when
    it was made (the store takes the creator's identity; the gate holds at every firing)."""
    assistant, bus = parked_car()
    client = CLIENTS[0]
    creator = Caller(client.seat, client.lang, source="remote", grants=client.grants)
    calls = (ToolCall("set_door_lock", {"locked": False}), ToolCall("call_contact", DIAL["args"]))
    state = loop.run(assistant.executor.state())
    assistant.automations.add_rule("rain", None, calls, "when it rains", state, origin=creator)
    fired = loop.run(assistant.feed({RAIN: 60}))
    assert [(a.call.name, a.status, a.verdict and a.verdict.rule) for a in fired.actions] == [
        ("set_door_lock", "refused", "no-remote-unlocking"),
        ("call_contact", "refused", "not-granted"),
    ]
    assert untouched(loop, assistant) == ([True] * 4, "")
    assert bus.writes == []
    occupant = replace(creator, source="engine", grants=None)
    assistant.automations.add_rule("rain", None, calls, "when it rains", state, origin=occupant)
    loop.run(assistant.feed({RAIN: 0}))
    loop.run(assistant.feed({RAIN: 60}))
    assert untouched(loop, assistant) == ([False] * 4, PREMIUM)
