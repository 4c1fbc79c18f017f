"""Rules and undo as escalation paths: whoever proposes a rule (``create_rule``) or an undo
(``restore_signals``) — an LLM steered or not by a look-up's result, a remote MCP client with only
the ``cabin`` grant — nothing unsafe may follow: no door unlocked, no call placed, no write outside
what the proposer itself may do, when the call is made nor later when the rule fires.

The fixes for the untainted paths belong elsewhere (rule provenance: a rule keeps its creator's
source and grants, risky nested actions confirmed when it is made; undo restores only the
assistant's own recorded changes). These tests state the correct behaviour for all of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from codriver.assistant.session import Assistant
from codriver.testing import RecordingBus, SimulatedCar

LOCKED = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked"
DOORS = [
    f"Vehicle.Cabin.Door.Row{r}.{s}.IsLocked"
    for r in (1, 2)
    for s in ("DriverSide", "PassengerSide")
]
CALL = "Cockpit.Phone.Call"
RAIN = {"Vehicle.Body.Raindetection.Intensity": 80}
PREMIUM = "+19005550199"
RULE = {
    "trigger": "rain",
    "text": "when it rains",
    "actions": [
        {"tool": "set_door_lock", "args": {"locked": False}},
        {"tool": "call_contact", "args": {"contact": PREMIUM}},
    ],
}
UNDO_CALL = {"values": {CALL: PREMIUM}}
UNDO_UNLOCK = {"values": {LOCKED: False}}


def parked_car() -> tuple[Assistant, RecordingBus]:
    car = SimulatedCar(values={**dict.fromkeys(DOORS, True), "Vehicle.Speed": 0})
    bus = RecordingBus(car)
    return Assistant(bus=bus, clock=car.clock), bus


def nothing_unsafe(a: Assistant) -> None:
    """No door unlocked and no call placed."""
    for door in DOORS:
        assert asyncio.run(a.read(door)) is True, door
    assert not asyncio.run(a.read(CALL))


# -- a remote MCP client with the cabin grant ---------------------------------------------------


@pytest.fixture
def remote() -> Iterator[tuple[Any, Assistant]]:
    pytest.importorskip("mcp", reason="the [mcp] extra is not installed")
    from codriver.mcp.car import CarServer
    from codriver.mcp.grants import ClientGrant

    a, _ = parked_car()
    server = CarServer(a)
    client = ClientGrant(name="cabin-only", grants=frozenset({"read", "cabin"}))

    def call(name: str, args: dict[str, Any]) -> Any:
        return asyncio.run(server.call(client, name, args))

    yield call, a


def test_a_remote_rule_cannot_later_unlock_or_call(remote: Any) -> None:
    call, a = remote
    call("create_rule", RULE)
    asyncio.run(a.feed(RAIN))
    nothing_unsafe(a)


def test_a_remote_undo_cannot_place_a_call(remote: Any) -> None:
    call, a = remote
    call("restore_signals", UNDO_CALL)
    nothing_unsafe(a)


def test_a_remote_undo_cannot_unlock(remote: Any) -> None:
    call, a = remote
    call("restore_signals", UNDO_UNLOCK)
    nothing_unsafe(a)


# -- the LLM, with and without a look-up before ---------------------------------------------------


@pytest.fixture
def llm() -> Iterator[Any]:
    """An assistant on a parked car whose LLM proposes ``tool(args)``, right away or only after a
    look-up (``trip_info``) came back."""
    pytest.importorskip("openai", reason="the [llm] extra is not installed")
    from codriver.llm import LLMSettings, make_brain
    from codriver.testing.openai_server import (
        Reply,
        ScriptedOpenAI,
        ToolCallReply,
        after_tool_result,
        rules,
    )

    servers: list[ScriptedOpenAI] = []

    def start(tool: str, args: dict[str, Any], *, after_look_up: bool) -> Assistant:
        proposal = Reply(tool_calls=(ToolCallReply(tool, args),))
        look_up = Reply(tool_calls=(ToolCallReply("trip_info", {}),))
        script = (
            rules((after_tool_result, proposal), default=look_up)
            if after_look_up
            else rules(default=proposal)
        )
        servers.append(ScriptedOpenAI(script, model="m", api_key="k"))
        settings = LLMSettings(
            base_url=servers[-1].base_url, model="m", api_key="k", budget_s=5, timeout_s=5
        )
        a, _ = parked_car()
        a.brain = make_brain("llm", settings, tools=a.tools)
        return a

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize("after_look_up", [False, True], ids=["unprompted", "after-a-look-up"])
def test_an_llm_rule_cannot_later_unlock_or_call(llm: Any, after_look_up: bool) -> None:
    a = llm("create_rule", RULE, after_look_up=after_look_up)
    asyncio.run(a.say("keep an eye on the weather for me"))
    asyncio.run(a.say("no"))  # whatever was asked, the occupant does not agree
    asyncio.run(a.feed(RAIN))
    nothing_unsafe(a)


@pytest.mark.parametrize("after_look_up", [False, True], ids=["unprompted", "after-a-look-up"])
@pytest.mark.parametrize("undo", [UNDO_CALL, UNDO_UNLOCK], ids=["call", "unlock"])
def test_an_llm_undo_cannot_place_a_call_or_unlock(
    llm: Any, undo: dict[str, Any], after_look_up: bool
) -> None:
    a = llm("restore_signals", undo, after_look_up=after_look_up)
    asyncio.run(a.say("undo that"))
    asyncio.run(a.say("no"))
    nothing_unsafe(a)
