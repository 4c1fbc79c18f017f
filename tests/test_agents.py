"""The orchestrator: calls go to the agents that own them, in order, with a trace."""

from __future__ import annotations

import asyncio

from codriver.agents import AGENTS
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
