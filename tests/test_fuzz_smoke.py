"""The fuzz harness (issue 14): a bounded run that fails on any broken invariant, and checks that
the harness itself sees what it must (a door opened while reversing is a violation, a polite
request is no question)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from codriver.testing.fuzz import FuzzOptions, run, summary
from codriver.testing.fuzz_checks import Context, judge, motion
from codriver.testing.fuzz_drive import Turn, shared
from codriver.testing.fuzz_phrases import is_yes, question_kind
from codriver.testing.fuzz_run import last_violations
from codriver.testing.fuzz_steps import (
    Feed,
    Say,
    Start,
    Wait,
    start_from_json,
    start_to_json,
    step_from_json,
    step_to_json,
)

SCENARIOS = Path(__file__).parent / "scenarios"


def test_a_bounded_fuzz_run_breaks_no_invariant() -> None:
    """Fixed seed, a few thousand turns (well under a minute); each kind of violation found is
    shrunk a little and shown with its steps."""
    options = FuzzOptions(
        turns=4000, seed=14, workers=1, scenarios=(SCENARIOS,), examples=1, shrink_s=1.0
    )
    report = run(options)
    assert report.tally.turns >= 4000
    if not report.ok:
        pytest.fail(summary(report.to_dict()), pytrace=False)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"Vehicle.Speed": 0, "Vehicle.Powertrain.Transmission.SelectedGear": 126}, None),
        ({"Vehicle.Speed": -8, "Vehicle.Powertrain.Transmission.SelectedGear": -1}, "reversing"),
        ({"Vehicle.Speed": None}, "speed-unknown"),
        (
            {"Vehicle.Speed": 0, "Vehicle.Powertrain.Transmission.SelectedGear": 127},
            "stopped-in-D",
        ),
        ({"Vehicle.Speed": 0}, "gear-unknown"),
        ({"Vehicle.Speed": 30, "Vehicle.Powertrain.Transmission.SelectedGear": 127}, "forward"),
    ],
    ids=["parked", "reversing", "speed-unknown", "stopped-in-d", "gear-unknown", "forward"],
)
def test_moving_unless_known_to_be_parked(given: dict[str, object], expected: str | None) -> None:
    assert motion(given) == expected  # type: ignore[arg-type]


def _turn(step: Say | Feed | Wait, before: dict[str, object], after: dict[str, object]) -> Turn:
    return Turn(step, before, after, outcome="done")  # type: ignore[arg-type]


def test_a_door_opened_while_reversing_and_not_reported_is_two_violations() -> None:
    before = {"Vehicle.Speed": -8.0, "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen": False}
    after = {**before, "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen": True}
    found = judge(_turn(Say("open my door"), before, after), Context(shared().profile.catalog))
    assert {v.invariant for v in found} == {"moving-door-open", "unreported-change"}
    assert "moving-door-open|reversing|occupant|say" in {v.signature for v in found}


def test_the_world_opening_a_door_is_not_the_assistant() -> None:
    door = "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen"
    before = {"Vehicle.Speed": 50.0, door: False}
    after = {**before, door: True}
    found = judge(_turn(Feed(((door, True),)), before, after), Context(shared().profile.catalog))
    assert found == []


def test_a_question_that_changed_the_car_and_a_value_out_of_range() -> None:
    temperature = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
    before = {"Vehicle.Speed": 0.0, temperature: 22.0}
    after = {**before, temperature: 99.0}
    turn = Turn(Say("is it warm in here?"), before, after, outcome="answered")  # type: ignore[arg-type]
    found = {v.invariant for v in judge(turn, Context(shared().profile.catalog))}
    assert {"question-changed", "catalog-range", "no-action-changed"} <= found


def test_what_a_remote_clients_rule_does_later_is_judged_by_its_grants() -> None:
    call = "Cockpit.Phone.Call"
    ctx = Context(shared().profile.catalog, creators={"remote"}, creator_grants={"cabin"})
    turn = Turn(Wait(600.0), {call: ""}, {call: "110"}, outcome="answered")  # type: ignore[arg-type]
    found = judge(turn, ctx)
    assert "remote-beyond-grants|phone|wait-rule" in {v.signature for v in found}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("are any doors unlocked?", "worded"),
        ("哪一扇门是锁着的？", "worded"),
        ("后备箱有没有关好", "worded"),
        ("天窗开没开", "worded"),
        ("do you have the doors locked", "worded"),
        ("open the trunk?", "marked"),
        ("打开后备箱？", "marked"),
        ("could you heat my seat?", None),
        ("你能帮我打开车窗吗", None),
        ("能不能把窗户打开", None),
        ("do it again", None),
        ("when it rains, close the windows", None),
        ("how do I get to Marienplatz from here? just take me there", None),
        ("来几首周杰伦的歌", None),
        ("不用不用 空调开到二十四度", None),  # a 不用 said twice is no 用不用
        ("尾门关一下 lean the seat back 后备箱关上了没有", None),  # a request beside the question
        ("后排窗户关了没 不用", None),
        ("how much fuel do we have left回到上一首", None),  # two sentences run together
        ("CarPlay连上了吗", "worded"),  # one English word inside Chinese stays in its clause
    ],
)
def test_questions_are_told_from_requests(text: str, kind: str | None) -> None:
    assert question_kind(text) == kind


def test_a_reproducer_is_data_that_replays() -> None:
    """A case survives its JSON form and still breaks the same way on replay (the reversing
    trunk of issue 14 while main has it; once fixed, nothing)."""
    start = Start((("Vehicle.Speed", -8), ("Vehicle.Powertrain.Transmission.SelectedGear", -1)), ())
    steps = [Say("open the trunk", seat="passenger"), Wait(60.0)]
    raw = json.loads(json.dumps([start_to_json(start), *[step_to_json(s) for s in steps]]))
    again = start_from_json(raw[0]), [step_from_json(s) for s in raw[1:]]
    assert again == (start, steps)
    direct = asyncio.run(last_violations(start, steps[:1]))
    replayed = asyncio.run(last_violations(again[0], again[1][:1]))
    assert [v.signature for v in direct] == [v.signature for v in replayed]


@pytest.mark.parametrize(
    ("text", "clear"),
    [
        ("yes", True),
        ("yes please 哈哈", True),  # laughter adds nothing
        ("行行吧", True),
        ("那去吧", True),
        ("，，去吧", True),
        ("\u202e对", True),  # an invisible override is no word
        ("好的 谢谢", True),
        ("yes unlock", False),  # a yes and more: not a yes alone
        ("对对，姐姐锁吧", False),
        ("yesterday", False),
        ("好用吗", False),
        ("不行", False),
    ],
)
def test_a_clear_yes_is_told_from_the_rest(text: str, clear: bool) -> None:
    assert is_yes(text) is clear
