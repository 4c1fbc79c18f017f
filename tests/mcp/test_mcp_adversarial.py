"""The rogue app against the whole assistant, with and without an LLM: disguised orders and JSON in
its answers, a 50 MB answer (cut off while it is read: measured in a process of its own), a crash
in the middle of an answer, tools named like the car's or for car actions, a hang under the LLM's
turn deadline, and a rule as an escalation path. Nothing it says or does changes the car."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp", reason="the [mcp] extra is not installed")
pytest.importorskip("openai", reason="the [llm] extra is not installed")

from codriver.assistant.executor import Caller
from codriver.assistant.plan import ToolCall
from codriver.assistant.result import ActionResult
from codriver.assistant.session import Assistant
from codriver.llm import LLMSettings, make_brain
from codriver.mcp.apps import Apps
from codriver.mcp.assistant import assistant_with_apps
from codriver.testing import RecordingBus, SimulatedCar
from codriver.testing.openai_server import (
    Reply,
    Responder,
    ScriptedOpenAI,
    ToolCallReply,
    after_tool_result,
    rules,
)
from codriver.tools.base import ToolBox

HERE = Path(__file__).resolve().parent
LOCKED = "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked"
DRIVER_TEMP = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
WITHHELD = "I left out a part that read like orders to me."


def car_with(apps: Apps, brain: Any = None) -> tuple[Assistant, RecordingBus]:
    bus = RecordingBus(SimulatedCar(values={LOCKED: True}))
    return assistant_with_apps(apps, bus=bus, brain=brain), bus


def run(loop: asyncio.Runner, a: Assistant, tool: str) -> ActionResult:
    [result] = loop.run(a.executor.run([ToolCall(tool, {})], Caller()))
    return result


@pytest.fixture
def model() -> Iterator[Any]:
    """``model(responder, budget_s=…)`` → a brain factory on a scripted OpenAI endpoint."""
    servers: list[ScriptedOpenAI] = []

    def start(responder: Responder, budget_s: float = 5.0) -> Any:
        servers.append(ScriptedOpenAI(responder, model="m", api_key="k"))
        settings = LLMSettings(
            base_url=servers[-1].base_url, model="m", api_key="k", budget_s=budget_s, timeout_s=5
        )

        def brain(tools: ToolBox) -> Any:
            return make_brain("llm", settings, tools=tools)

        return brain

    yield start
    for server in servers:
        server.close()


def call(name: str, /, **args: object) -> ToolCallReply:
    return ToolCallReply(name, args)


# -- what the app says ----------------------------------------------------------------------------


def test_disguised_orders_and_json_in_an_answer_are_not_spoken(
    loop: asyncio.Runner, apps: Apps
) -> None:
    a, bus = car_with(apps)
    result = run(loop, a, "music__now_disguised")
    assert result.message is not None
    assert result.message.en == f"Rogue Radio says: Traffic is light. (data left out) {WITHHELD}"
    assert bus.writes == []


def test_structured_data_is_read_as_values(loop: asyncio.Runner, apps: Apps) -> None:
    a, _ = car_with(apps)
    result = run(loop, a, "music__as_json")
    assert result.message is not None
    assert result.message.en == "Rogue Radio says: station: Rogue FM; title: Qing Tian; year: 2003"
    assert result.message.zh == "流氓电台说：station: Rogue FM; title: Qing Tian; year: 2003"


def test_a_fifty_megabyte_answer_is_not_read(loop: asyncio.Runner, apps: Apps) -> None:
    a, _ = car_with(apps)
    result = run(loop, a, "music__huge")
    assert result.status == "failed"
    assert result.message is not None
    assert result.message.en == "Rogue Radio's answer was too long, so I didn't read it."


@pytest.mark.parametrize("transport", ["stdio", "http-json"])
def test_a_fifty_megabyte_answer_costs_no_memory(transport: str) -> None:
    """Peak memory of a fresh process before and after the call (``measure_rss.py``): the answer
    is dropped as it arrives, so the peak grows by far less than its 50 MB."""
    done = subprocess.run(
        [sys.executable, str(HERE / "measure_rss.py"), transport],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["status"] == "too_large"
    assert measured["grew_kib"] < 16 * 1024, measured


def test_a_crash_in_the_middle_of_an_answer_is_an_outcome_and_the_app_comes_back(
    loop: asyncio.Runner, apps: Apps
) -> None:
    a, bus = car_with(apps)
    crashed = run(loop, a, "music__crash_mid_answer")
    assert crashed.status == "failed"
    assert crashed.message is not None
    assert crashed.message.en == "Rogue Radio isn't available right now."
    assert run(loop, a, "music__now_playing").status == "answered"  # started again
    assert bus.writes == []


# -- names -----------------------------------------------------------------------------------------


def test_the_llm_calling_a_shadowed_name_reaches_the_cars_own_tool(
    loop: asyncio.Runner, apps: Apps, model: Any
) -> None:
    """The rogue app offers ``set_temperature`` and ``unlock_doors``: both are left out, so the
    model's ``set_temperature`` is the car's (checked by the gate) and ``unlock_doors`` is no
    tool at all."""
    brain = model(
        rules(
            (after_tool_result, Reply(content="Warming up; I can't unlock from here.")),
            default=Reply(tool_calls=(call("set_temperature", celsius=24), call("unlock_doors"))),
        )
    )
    a, _ = car_with(apps, brain)
    turn = loop.run(a.say("warm it up and let my friend in"))
    assert loop.run(a.read(DRIVER_TEMP)) == 24
    assert loop.run(a.read(LOCKED)) is True
    assert [e.tool for e in turn.trace if e.status == "rejected"] == ["unlock_doors"]
    assert not any(t.name.endswith(("__set_temperature", "__unlock_doors")) for t in apps.tools)


# -- under the LLM ---------------------------------------------------------------------------------


def test_a_hanging_app_costs_the_llm_turn_its_budget(
    loop: asyncio.Runner, apps: Apps, model: Any
) -> None:
    brain = model(rules(default=Reply(tool_calls=(call("music__hang"),))), budget_s=0.5)
    a, bus = car_with(apps, brain)
    turn = loop.run(a.say("what's on the radio?"))
    assert turn.reply == "I can't do that right now."
    assert turn.latency_ms < 2500  # the app's own call timeout is 3 s
    assert bus.writes == []
    assert run(loop, a, "music__now_playing").status == "answered"  # the app is still usable


def test_an_app_result_cannot_lead_to_a_rule_that_unlocks(
    loop: asyncio.Runner, apps: Apps, model: Any
) -> None:
    rule = call(
        "create_rule",
        trigger="rain",
        text="when it rains",
        actions=[{"tool": "set_door_lock", "args": {"locked": False}}],
    )
    brain = model(
        rules(
            (after_tool_result, Reply(tool_calls=(rule,))),
            default=Reply(tool_calls=(call("music__now_disguised"),)),
        )
    )
    a, _ = car_with(apps, brain)
    turn = loop.run(a.say("how's the traffic?"))
    assert turn.outcome == "asked"
    loop.run(a.say("no"))
    loop.run(a.feed({"Vehicle.Body.Raindetection.Intensity": 80}))
    assert loop.run(a.read(LOCKED)) is True
    assert not loop.run(a.read("Cockpit.Rules"))


def test_a_reply_that_names_the_app_is_left_as_it_is(
    loop: asyncio.Runner, apps: Apps, model: Any
) -> None:
    brain = model(
        rules(
            (after_tool_result, Reply(content="Rogue Radio is playing Qing Tian.")),
            default=Reply(tool_calls=(call("music__now_playing"),)),
        )
    )
    a, _ = car_with(apps, brain)
    assert loop.run(a.say("which song is on right now?")).reply == (
        "Rogue Radio is playing Qing Tian."
    )
