"""The orchestrator: calls go to the agents that own them, in order, with a trace."""

from __future__ import annotations

import asyncio

import pytest

from codriver.agents import AGENTS
from codriver.agents.orchestrator import _Line
from codriver.testing import offline_assistant


def test_every_tool_has_an_owning_agent() -> None:
    assistant = offline_assistant()
    owned = {domain for domains in AGENTS.values() for domain in domains}
    assert {tool.domain for tool in assistant.tools} <= owned


def test_a_compound_request_is_shared_out_and_traced() -> None:
    assistant = offline_assistant({"Vehicle.Speed": 60})
    turn = asyncio.run(assistant.say("set it to 24, play some jazz and open the trunk"))
    by_tool = {entry.tool: entry for entry in turn.trace}
    assert by_tool["set_temperature"].agent == "cabin"
    assert by_tool["play_media"].agent == "media"
    assert by_tool["set_trunk"].status == "refused"
    assert by_tool["set_trunk"].rule == "no-trunk-or-hood-while-moving"
    assert [a.call.name for a in turn.actions] == ["set_temperature", "play_media", "set_trunk"]


def test_tired_while_driving_acts_across_agents_and_offers_a_rest_stop() -> None:
    assistant = offline_assistant({"Vehicle.Speed": 100})
    turn = asyncio.run(assistant.say("I'm so tired"))
    assert turn.outcome == "asked"
    assert {entry.agent for entry in turn.trace} >= {"cabin", "media"}
    assert asyncio.run(assistant.read("Cockpit.Navigation.Destination")) == ""
    accepted = asyncio.run(assistant.say("yes"))
    assert accepted.outcome == "done"
    assert asyncio.run(assistant.read("Cockpit.Navigation.Destination"))


def test_navigation_asks_energy_and_the_trace_shows_the_answer() -> None:
    assistant = offline_assistant({"Vehicle.Powertrain.Range": 120_000})
    turn = asyncio.run(assistant.say("take me to Hangzhou"))
    asked = [entry for entry in turn.trace if entry.agent == "navigation→energy"]
    assert [entry.tool for entry in asked] == ["plan_trip"]
    assert asked[0].status.startswith("short by")
    assert "charge at" in asked[0].status
    waypoints = asyncio.run(assistant.read("Cockpit.Navigation.Waypoints"))
    assert isinstance(waypoints, list) and len(waypoints) == 1


def test_a_plentiful_battery_is_answered_as_enough() -> None:
    assistant = offline_assistant({"Vehicle.Powertrain.Range": 450_000})
    turn = asyncio.run(assistant.say("can I make it to Suzhou without charging?"))
    asked = [entry for entry in turn.trace if entry.agent == "navigation→energy"]
    assert asked and asked[-1].status.startswith("enough")
    assert turn.outcome == "answered"


def test_asking_an_agent_that_does_not_exist_is_a_programming_error() -> None:
    line = _Line("navigation", [])
    with pytest.raises(KeyError):
        line("weather", "forecast", {}, lambda: None)


def test_an_undo_runs_before_the_turns_other_calls_whichever_agents_they_go_to() -> None:
    """An undo puts back the turn before: said with a new call that writes the same signal, the
    new call's value is what stays (run side by side, the undo could land after it)."""
    from codriver.testing import ScriptedBrain, offline_assistant

    brain = ScriptedBrain.calls(
        [("call_contact", {"contact": "爸爸"})],
        [
            ("set_charge_port", {"open": False}),
            ("undo_last_change", {}),
            ("call_contact", {"contact": "110"}),
        ],
    )
    assistant = offline_assistant(brain=brain)

    async def drive() -> object:
        await assistant.say("call dad")
        result = await assistant.say("close the charge port, undo that and call 110")
        assert "110" in result.reply
        return await assistant.read("Cockpit.Phone.Call")

    assert asyncio.run(drive()) == "110"
