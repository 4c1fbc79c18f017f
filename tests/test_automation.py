"""Rules, reminders, timers and proactive care, through the assistant's public API."""

from __future__ import annotations

import asyncio

from codriver.assistant.plan import Plan, ToolCall
from codriver.testing import ScriptedBrain, offline_assistant

WINDOW = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position"
RAIN = "Vehicle.Body.Raindetection.Intensity"


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def rule_plan(trigger: str, actions: list[dict[str, object]], **extra: object) -> Plan:
    args = {"trigger": trigger, "text": f"when {trigger}", "actions": actions, **extra}
    return Plan("act", (ToolCall("create_rule", args),))


def test_a_rule_fires_on_the_rising_edge_and_again_after_it_clears() -> None:
    close = [{"tool": "set_window", "args": {"position": 0, "window": "all"}}]
    assistant = offline_assistant({WINDOW: 100}, brain=ScriptedBrain([rule_plan("rain", close)]))
    turn = run(assistant.say("if it rains close the windows"))
    assert turn.outcome == "done"
    assert run(assistant.read("Cockpit.Rules")) == ["when rain"]
    assert run(assistant.read(WINDOW)) == 100
    fired = run(assistant.feed({RAIN: 60}))
    assert fired.outcome == "done"
    assert run(assistant.read(WINDOW)) == 0
    run(assistant.feed({RAIN: 0, WINDOW: 100}))
    run(assistant.feed({RAIN: 30}))
    assert run(assistant.read(WINDOW)) == 0


def test_a_rule_does_not_fire_for_a_condition_already_true_when_made() -> None:
    close = [{"tool": "set_window", "args": {"position": 0}}]
    assistant = offline_assistant(
        {RAIN: 50, WINDOW: 100}, brain=ScriptedBrain([rule_plan("rain", close)])
    )
    run(assistant.say("if it rains close my window"))
    assert run(assistant.feed({RAIN: 70})).outcome == "none"
    assert run(assistant.read(WINDOW)) == 100


def test_rule_actions_pass_the_safety_gate_when_made_and_when_fired() -> None:
    trunk = [{"tool": "set_trunk", "args": {"open": True}}]
    made = rule_plan("rain", trunk)
    assistant = offline_assistant({"Vehicle.Speed": 50}, brain=ScriptedBrain([made]))
    refused = run(assistant.say("if it rains open the trunk"))
    assert refused.outcome == "refused"
    assert refused.actions[0].verdict is not None
    assert refused.actions[0].verdict.rule == "no-trunk-or-hood-while-moving"
    assert run(assistant.read("Cockpit.Rules")) == []

    assistant = offline_assistant(brain=ScriptedBrain([made, Plan("confirm")]))
    assert run(assistant.say("if it rains open the trunk")).outcome == "asked"
    assert run(assistant.say("yes")).outcome == "done"
    run(assistant.feed({"Vehicle.Speed": 50}))
    fired = run(assistant.feed({RAIN: 60}))
    assert fired.outcome == "refused"
    assert run(assistant.read("Vehicle.Body.Trunk.Rear.IsOpen")) is False


def test_a_timer_is_pending_until_due_then_speaks_and_goes() -> None:
    plan = Plan("act", (ToolCall("set_timer", {"minutes": 5}),))
    assistant = offline_assistant(brain=ScriptedBrain([plan]))
    run(assistant.say("timer five minutes"))
    assert run(assistant.read("Cockpit.Timers")) == ["5 min"]
    assert run(assistant.advance(200)).outcome == "none"
    due = run(assistant.advance(200))
    assert due.outcome == "answered"
    assert "5 min" in due.reply
    assert run(assistant.read("Cockpit.Timers")) == []


def test_cancel_removes_the_newest_reminder() -> None:
    plans = [
        Plan("act", (ToolCall("add_reminder", {"text": "call Mum", "minutes": 10}),)),
        Plan("act", (ToolCall("cancel_automation", {"kind": "reminder"}),)),
    ]
    assistant = offline_assistant(brain=ScriptedBrain(plans))
    run(assistant.say("remind me"))
    assert run(assistant.read("Cockpit.Reminders")) == ["call Mum"]
    run(assistant.say("cancel it"))
    assert run(assistant.read("Cockpit.Reminders")) == []
    assert run(assistant.advance(900)).reply == ""


def test_care_offers_once_and_acts_only_on_yes() -> None:
    assistant = offline_assistant({"Vehicle.Speed": 100})
    offer = run(assistant.feed({"Vehicle.Driver.FatigueLevel": 85}))
    assert offer.outcome == "asked"
    assert run(assistant.read("Cockpit.Navigation.Destination")) == ""
    again = run(assistant.feed({"Vehicle.Driver.FatigueLevel": 90}))
    assert again.outcome == "none"  # still tired: no nagging
    accepted = run(assistant.say("yes please"))
    assert accepted.outcome == "done"
    assert run(assistant.read("Cockpit.Navigation.Destination"))


def test_care_says_nothing_about_the_starting_state() -> None:
    assistant = offline_assistant({"Vehicle.Speed": 100, "Vehicle.Driver.FatigueLevel": 85})
    assert run(assistant.advance(10)).outcome == "none"


UNDERSTOOD = {
    "if it starts raining, close all the windows": "create_rule",
    "车速超过八十就把车窗都关上": "create_rule",
    "remind me to call Alice in 10 minutes": "add_reminder",
    "半小时后提醒我吃药": "add_reminder",
    "set a timer for 3 minutes": "set_timer",
    "帮我计时五分钟": "set_timer",
}


def test_the_engine_reads_automations_in_both_languages() -> None:
    for text, tool in UNDERSTOOD.items():
        assistant = offline_assistant()
        turn = run(assistant.say(text))
        assert [a.call.name for a in turn.actions] == [tool], text
        assert turn.outcome == "done", text
