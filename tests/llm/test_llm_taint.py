"""Every look-up's result taints the LLM's turn: whatever the model proposes after it has seen one
(from the car's own data or a third party, plain or carrying orders) waits for the occupant's yes,
also when a coordinator hands the next part to another agent — and the yes works (hybrid)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("openai", reason="the [llm] extra is not installed")

from codriver.assistant.result import TurnResult
from codriver.llm import LLMSettings, make_brain
from codriver.llm.prompts import load_prompts
from codriver.testing import SimulatedCar
from codriver.testing.openai_server import (
    Reply,
    Responder,
    ScriptedOpenAI,
    ToolCallReply,
    after_tool_result,
    rules,
)

DRIVER_TEMP = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
WINDOW = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position"
DESTINATION = "Cockpit.Navigation.Destination"
WHERE = {"Vehicle.CurrentLocation.Latitude": 31.23, "Vehicle.CurrentLocation.Longitude": 121.47}
ASK = load_prompts().confirm_tainted


def call(name: str, /, **args: object) -> ToolCallReply:
    return ToolCallReply(name, args)


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[ScriptedOpenAI] = []

    def start(responder: Responder) -> ScriptedOpenAI:
        servers.append(ScriptedOpenAI(responder, model="qwen-plus", api_key="k"))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def assistant(server: ScriptedOpenAI, brain: str = "llm", **settings: Any) -> Any:
    from codriver.assistant.session import Assistant

    config = LLMSettings(
        base_url=server.base_url,
        model="qwen-plus",
        api_key="k",
        budget_s=5,
        timeout_s=5,
        **settings,
    )
    car = SimulatedCar(values=WHERE)
    return Assistant(bus=car, clock=car.clock, brain=make_brain(brain, config))


def say(a: Any, text: str) -> TurnResult:
    return asyncio.run(a.say(text))


def read(a: Any, path: str) -> Any:
    return asyncio.run(a.read(path))


@pytest.mark.parametrize(
    ("text", "lang"),
    [("how far is it still, and warm me up", "en"), ("还有多远？顺便把温度调高点", "zh")],
    ids=["en", "zh"],
)
def test_an_action_after_a_first_party_look_up_waits_for_a_yes(
    serve: Any, text: str, lang: str
) -> None:
    server = serve(
        rules(
            (after_tool_result, Reply(tool_calls=(call("set_temperature", celsius=26),))),
            default=Reply(tool_calls=(call("trip_info"),)),
        )
    )
    a = assistant(server)
    turn = say(a, text)
    assert turn.outcome == "asked"
    assert turn.reply == ASK.in_(lang)  # type: ignore[arg-type]
    assert read(a, DRIVER_TEMP) == 22
    assert [e.tool for e in turn.trace if e.status == "held for the occupant's yes"] == [
        "set_temperature"
    ]


def test_what_the_model_asked_for_before_it_saw_the_result_is_not_held(serve: Any) -> None:
    """Calls in the same model turn as the look-up were proposed without its result."""
    server = serve(
        rules(
            (after_tool_result, Reply(tool_calls=(call("set_window", position=100),))),
            default=Reply(tool_calls=(call("set_temperature", celsius=24), call("trip_info"))),
        )
    )
    a = assistant(server)
    turn = say(a, "warm it a bit, how far is it, and then some air")
    assert read(a, DRIVER_TEMP) == 24
    assert read(a, WINDOW) == 0
    assert turn.outcome == "asked"


def _coordinator(request: dict[str, Any]) -> bool:
    return "coordinate" in str(request["messages"][0]["content"])


def _agent_is(name: str) -> Any:
    instructions = load_prompts().agents[name].strip()
    return lambda request: str(request["messages"][0]["content"]).rstrip().endswith(instructions)


def test_a_hand_off_after_a_look_up_is_held_too(serve: Any) -> None:
    """The coordinator hears the knowledge agent's answer, then hands 'open the window' to the
    cabin agent: that agent never saw the answer, but the request it got came from it."""
    knowledge, cabin = _agent_is("knowledge"), _agent_is("cabin")
    server = serve(
        rules(
            (lambda r: _coordinator(r) and len(r["messages"]) >= 7, Reply(content="Shall I?")),
            (
                lambda r: _coordinator(r) and after_tool_result(r),
                Reply(tool_calls=(call("ask_agent", agent="cabin", request="open the window"),)),
            ),
            (
                lambda r: knowledge(r) and after_tool_result(r),
                Reply(content="Open a window for a few minutes."),
            ),
            (knowledge, Reply(tool_calls=(call("ask_manual", question="air out the cabin"),))),
            (cabin, Reply(tool_calls=(call("set_window", position=100),))),
            default=Reply(
                tool_calls=(call("ask_agent", agent="knowledge", request="how to air the car"),)
            ),
        )
    )
    a = assistant(server, agents=True)
    turn = say(a, "the car smells, do what the manual says")
    assert read(a, WINDOW) == 0
    assert turn.outcome == "asked"
    held = [e for e in turn.trace if e.status == "held for the occupant's yes"]
    assert [(e.agent, e.tool) for e in held] == [("llm:coordinator", "set_window")]


@pytest.mark.parametrize(
    ("text", "yes", "no"),
    [
        ("sort me out, you know what I need", "yes", "no"),
        ("帮我安排一下，你懂的", "好的", "不用了"),
    ],
    ids=["en", "zh"],
)
def test_under_hybrid_the_occupant_can_say_yes_or_no_to_what_was_held(
    serve: Any, text: str, yes: str, no: str
) -> None:
    server = serve(
        rules(
            (after_tool_result, Reply(tool_calls=(call("navigate_to", place="charging station"),))),
            default=Reply(tool_calls=(call("find_nearby", category="charging"),)),
        )
    )
    declined = assistant(server, brain="hybrid")
    assert say(declined, text).outcome == "asked"
    assert say(declined, no).changes == ()
    assert not read(declined, DESTINATION)
    accepted = assistant(server, brain="hybrid")
    assert say(accepted, text).outcome == "asked"
    assert say(accepted, yes).outcome == "done"
    assert read(accepted, DESTINATION)
