"""The assistant: compound plans, confirmation, outcomes, replies in the speaker's language, and
bad input that changes nothing. Brains are the scripted fake or the direct (explicit-call) brain."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from codriver.assistant import ActionResult, Assistant, Plan, ToolCall, TurnResult
from codriver.assistant.reply import outcome_of
from codriver.errors import InputError
from codriver.safety import load_rules
from codriver.testing import RecordingBus, ScriptedBrain, SimulatedCar, offline_assistant
from codriver.text import Bilingual, detect_lang
from codriver.vehicle import Value

DirectAssistant = Callable[..., Assistant]
DOOR = "Vehicle.Cabin.Door"
WINDOW = f"{DOOR}.Row1.DriverSide.Window.Position"
MOVING = {"Vehicle.Speed": 60}
REASONS = {rule.id: rule.reason for rule in load_rules()}


def say(assistant: Assistant, text: str, **kw: Any) -> TurnResult:
    return asyncio.run(assistant.say(text, **kw))


def read(assistant: Assistant, path: str) -> Value | None:
    return asyncio.run(assistant.read(path))


def snapshot(assistant: Assistant) -> dict[str, Value | None]:
    return asyncio.run(assistant.snapshot())


def test_a_compound_plan_reports_done_and_refused_parts_in_one_reply(
    direct_assistant: DirectAssistant,
) -> None:
    assistant = direct_assistant(MOVING)
    result = say(assistant, "set_window position=50; set_door open=true door=passenger")
    assert result.outcome == "done"
    assert [a.status for a in result.actions] == ["done", "refused"]
    assert result.actions[1].verdict is not None
    assert result.actions[1].verdict.rule == "no-door-opening-while-moving"
    assert read(assistant, WINDOW) == 50
    assert read(assistant, f"{DOOR}.Row1.PassengerSide.IsOpen") is False
    assert "50%" in result.reply
    assert REASONS["no-door-opening-while-moving"].en in result.reply
    # the done part comes first, the refusal after it
    assert result.reply.index("50%") < result.reply.index("door")


def test_a_refused_action_never_reaches_the_bus() -> None:
    car = SimulatedCar(values=MOVING)
    bus = RecordingBus(car)
    brain = ScriptedBrain.calls(
        [("set_door", {"open": True, "door": "passenger"}), ("set_volume", {"level": 50})]
    )
    assistant = Assistant(bus=bus, brain=brain, clock=car.clock)
    result = say(assistant, "open the passenger door and turn it up")
    assert result.outcome == "done"
    assert bus.writes == [("Vehicle.Cabin.Infotainment.Media.Volume", 50)]


def test_confirmation_yes_does_it(direct_assistant: DirectAssistant) -> None:
    assistant = direct_assistant(MOVING)
    before = snapshot(assistant)
    asked = say(assistant, "set_door_lock locked=false")
    assert asked.outcome == "asked"
    assert REASONS["confirm-unlock-while-moving"].en in asked.reply
    assert snapshot(assistant) == before
    done = say(assistant, "yes")
    assert done.outcome == "done"
    for side in ("Row1.DriverSide", "Row1.PassengerSide", "Row2.DriverSide", "Row2.PassengerSide"):
        assert read(assistant, f"{DOOR}.{side}.IsLocked") is False


def test_confirmation_no_changes_nothing(direct_assistant: DirectAssistant) -> None:
    assistant = direct_assistant(MOVING)
    before = snapshot(assistant)
    assert say(assistant, "set_door_lock locked=false").outcome == "asked"
    declined = say(assistant, "no")
    assert declined.outcome == "answered"
    assert declined.reply
    assert declined.changes == ()
    assert snapshot(assistant) == before
    # the question is gone: a late yes does nothing either
    late = say(assistant, "yes")
    assert late.outcome != "done"
    assert snapshot(assistant) == before


def test_a_new_request_drops_the_pending_question(direct_assistant: DirectAssistant) -> None:
    assistant = direct_assistant(MOVING)
    say(assistant, "set_door_lock locked=false")
    assert say(assistant, "set_volume level=40").outcome == "done"
    say(assistant, "yes")
    assert read(assistant, f"{DOOR}.Row1.DriverSide.IsLocked") is True


def test_parked_unlock_needs_no_confirmation(direct_assistant: DirectAssistant) -> None:
    assistant = direct_assistant()
    assert say(assistant, "set_door_lock locked=false").outcome == "done"
    assert read(assistant, f"{DOOR}.Row1.DriverSide.IsLocked") is False


def test_the_brain_hears_the_speaker_and_the_language() -> None:
    brain = ScriptedBrain.calls([("set_temperature", {"celsius": 24})])
    assistant = offline_assistant(brain=brain)
    result = say(assistant, "  把温度调到24度 ", seat="rear_right")
    (heard,) = brain.heard
    assert (heard.text, heard.lang, heard.speaker) == ("把温度调到24度", "zh", "rear_right")
    assert read(assistant, "Vehicle.Cabin.HVAC.Station.Row2.Passenger.Temperature") == 24
    assert result.lang == "zh"


@pytest.mark.parametrize(
    ("text", "plan", "reply_has"),
    [
        ("把温度调到24度", Plan("act", (ToolCall("set_temperature", {"celsius": 24}),)), "24"),
        (
            "打开副驾车门",
            Plan("act", (ToolCall("set_door", {"open": True, "door": "passenger"}),)),
            REASONS["no-door-opening-while-moving"].zh,
        ),
        ("温度调到四十度", Plan("act", (ToolCall("set_temperature", {"celsius": 40}),)), "16–32"),
        ("你好", Plan("not_understood"), ""),
    ],
    ids=["done", "refused-by-rule", "out-of-range", "not-understood"],
)
def test_chinese_utterances_get_chinese_replies(text: str, plan: Plan, reply_has: str) -> None:
    assistant = offline_assistant(MOVING, brain=ScriptedBrain([plan]))
    result = say(assistant, text)
    assert result.lang == "zh"
    assert result.reply
    assert detect_lang(result.reply) == "zh"
    assert reply_has in result.reply


def test_direct_brain_navigation_replies_in_chinese(direct_assistant: DirectAssistant) -> None:
    assistant = direct_assistant()
    result = say(assistant, "navigate_to place=外滩")
    assert result.outcome == "done"
    assert detect_lang(result.reply) == "zh"
    assert read(assistant, "Cockpit.Navigation.Destination") == "外滩"


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("set_volume level=50", "done"),
        ("hang_up", "answered"),
        ("set_volume level=500", "refused"),
        ("set_volume level=loud", "refused"),
        ("set_door open=true", "refused"),
        ("set_door_lock locked=false", "asked"),
        ("what a lovely day", "answered"),
    ],
    ids=[
        "done",
        "answered-without-writes",
        "out-of-range",
        "bad-argument",
        "refused-by-rule",
        "asked",
        "not-understood",
    ],
)
def test_turn_outcomes(direct_assistant: DirectAssistant, text: str, outcome: str) -> None:
    assistant = direct_assistant(MOVING)
    result = say(assistant, text)
    assert result.outcome == outcome
    assert result.reply


def test_an_unknown_tool_is_a_failed_action() -> None:
    assistant = offline_assistant(brain=ScriptedBrain.calls([("teleport", {"to": "Mars"})]))
    result = say(assistant, "beam me to Mars")
    assert [a.status for a in result.actions] == ["failed"]
    assert result.outcome == "refused"
    assert result.reply


def call(status: str) -> ActionResult:
    return ActionResult(ToolCall("t"), status, Bilingual("x", "x"))  # type: ignore[arg-type]


# FORMAT.md's outcome rules, as a table: (plan kind, plan says something, action statuses) → outcome
OUTCOMES = {
    "acted": ("act", False, ["done"], "done"),
    "some-done-some-refused-is-done": ("act", False, ["done", "refused"], "done"),
    "failed-and-done-is-done": ("act", False, ["failed", "done"], "done"),
    "all-refused": ("act", False, ["refused", "refused"], "refused"),
    "failed-is-refused": ("act", False, ["failed"], "refused"),
    "asked-for-confirmation": ("act", False, ["asked"], "asked"),
    "done-then-offer-is-asked": ("act", False, ["done", "asked"], "asked"),
    "answered-by-a-tool": ("act", False, ["answered"], "answered"),
    "answer-plan": ("answer", True, [], "answered"),
    "clarifying-question": ("ask", True, [], "asked"),
    "not-understood-is-answered": ("not_understood", False, [], "answered"),
    "acknowledged-no": ("decline", True, [], "answered"),
    "silent": ("silent", False, [], "none"),
    "act-with-nothing": ("act", False, [], "none"),
}


@pytest.mark.parametrize(
    ("kind", "says", "statuses", "outcome"), OUTCOMES.values(), ids=OUTCOMES.keys()
)
def test_outcome_rules(kind: str, says: bool, statuses: list[str], outcome: str) -> None:
    plan = Plan(kind, say=Bilingual("ok", "好") if says else None)  # type: ignore[arg-type]
    assert outcome_of(plan, [call(s) for s in statuses]) == outcome


BAD_INPUT = {
    "empty": ("", {}),
    "blank": ("  \n\t ", {}),
    "too-long": ("a" * 100_000, {}),
    "control-characters": ("open\x00the\x07window", {}),
    "lone-surrogate": ("open \udcff window", {}),
    "unknown-seat": ("set_volume level=50", {"seat": "trunk"}),
    "unknown-gaze": ("set_volume level=50", {"gaze": "Vehicle.Cabin.Roof"}),
}


WORDLESS = {"punctuation-only": "?!...", "emoji-only": "😀😀🚗", "noise": "#### %%% ###"}


@pytest.mark.parametrize("text", WORDLESS.values(), ids=WORDLESS.keys())
def test_wordless_input_gets_a_short_reply_and_changes_nothing(text: str) -> None:
    assistant = offline_assistant()
    before = snapshot(assistant)
    result = say(assistant, text)
    assert result.outcome == "answered"
    assert result.reply
    assert result.actions == ()
    assert snapshot(assistant) == before


@pytest.mark.parametrize(("text", "kw"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_raises_and_changes_nothing(text: str, kw: dict[str, str]) -> None:
    brain = ScriptedBrain.calls([("set_volume", {"level": 50})])
    assistant = offline_assistant(brain=brain)
    before = snapshot(assistant)
    with pytest.raises(InputError):
        say(assistant, text, **kw)
    assert brain.heard == []
    assert assistant.history == []
    assert snapshot(assistant) == before


def test_bytes_utterances_are_decoded_or_refused(direct_assistant: DirectAssistant) -> None:
    assistant = direct_assistant()
    assert say(assistant, b"set_volume level=50").outcome == "done"
    with pytest.raises(InputError, match="UTF-8"):
        say(assistant, b"\xff\xfe\x00garbage")


@pytest.mark.parametrize(
    "values",
    [
        {"Vehicle.Speed": 50, "Vehicle.Sped": 3},
        {"Vehicle.Speed": 50, "Vehicle.Cabin.HVAC.IsAirConditioningActive": "yes"},
        {"Vehicle.Speed": 50, "Cockpit.Navigation.Waypoints": "Bund"},
        {"Vehicle.Speed": 50, "Cockpit.Navigation.Destination": "Bund", "Cockpit.Timers": "5 min"},
        {"Vehicle.Speed": 50, "Cockpit.Nothing": "x"},
    ],
    ids=[
        "unknown-signal",
        "wrong-type",
        "cockpit-list-as-text",
        "second-cockpit-bad",
        "unknown-cockpit-path",
    ],
)
def test_bad_world_updates_raise_and_change_nothing(values: dict[str, Value]) -> None:
    assistant = offline_assistant()
    before = snapshot(assistant)
    with pytest.raises(InputError):
        asyncio.run(assistant.feed(values))
    assert snapshot(assistant) == before


def test_world_updates_and_time_are_turns_without_reply(direct_assistant: DirectAssistant) -> None:
    assistant = direct_assistant()
    fed = asyncio.run(
        assistant.feed({"Vehicle.Speed": 100, "Cockpit.Navigation.Destination": "Bund"})
    )
    assert (fed.outcome, fed.reply) == ("none", "")
    assert "Vehicle.Speed" in {c.path for c in fed.changes}
    assert read(assistant, "Cockpit.Navigation.Destination") == "Bund"
    waited = asyncio.run(assistant.advance(600))
    assert waited.outcome == "none"
    assert "Vehicle.Powertrain.Range" in {c.path for c in waited.changes}
    with pytest.raises(InputError):
        asyncio.run(assistant.advance(-1))


def test_reading_an_unknown_path_raises(direct_assistant: DirectAssistant) -> None:
    from codriver.errors import CatalogError

    assistant = direct_assistant()
    for path in ("Vehicle.Sped", "Cockpit.Nothing"):
        with pytest.raises(CatalogError):
            read(assistant, path)


def test_turn_result_to_dict_names_actions_and_changes(direct_assistant: DirectAssistant) -> None:
    result = say(direct_assistant(MOVING), "set_volume level=50; set_door open=true")
    data = result.to_dict()
    assert [(a["tool"], a["status"]) for a in data["actions"]] == [  # type: ignore[index]
        ("set_volume", "done"),
        ("set_door", "refused"),
    ]
    assert data["actions"][1]["rule"] == "no-door-opening-while-moving"  # type: ignore[index]
    assert data["changes"] == [  # type: ignore[comparison-overlap]
        {
            "path": "Vehicle.Cabin.Infotainment.Media.Volume",
            "old": 30,
            "new": 50,
            "source": "command",
        }
    ]


def test_a_snapshot_of_the_whole_cockpit_branch() -> None:
    import asyncio

    from codriver.testing import offline_assistant

    assistant = offline_assistant()
    asyncio.run(assistant.say("play some jazz"))
    values = asyncio.run(assistant.snapshot(["Cockpit"]))
    assert values["Cockpit.Media.Query"] == "jazz"
    assert not any(path.startswith("Vehicle.") for path in values)


def test_the_pending_question_is_public_until_answered() -> None:
    import asyncio

    from codriver.testing import offline_assistant

    assistant = offline_assistant({"Vehicle.Speed": 60})
    assert assistant.question is None
    asyncio.run(assistant.say("unlock the doors"))
    assert assistant.question is not None
    asyncio.run(assistant.say("no"))
    assert assistant.question is None


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), -1.0], ids=["nan", "inf", "back"])
def test_time_passes_only_by_a_finite_positive_span(seconds: float) -> None:
    """nan or inf would stop the simulated clock for good: an input error, nothing changed."""
    assistant = offline_assistant()
    start = assistant.clock.now()
    with pytest.raises(InputError):
        asyncio.run(assistant.advance(seconds))
    assert assistant.clock.now() == start


@pytest.mark.parametrize(
    ("first", "second"),
    [("put a movie on the screen for me", "算了，还是24吧"), ("dim the screen", "no, 24")],
)
def test_a_correction_after_a_device_the_car_lacks_is_no_crash(first: str, second: str) -> None:
    async def go() -> None:
        assistant = offline_assistant()
        await assistant.say(first, seat="rear_right")
        turn = await assistant.say(second, seat="passenger")
        assert turn.reply

    asyncio.run(go())
