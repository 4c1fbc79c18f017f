"""Loading drive scenario files: valid ones parse, each malformed scenario is a LoadProblem that
names the file and the problem, and the other scenarios of the file still load."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from codriver.errors import ScenarioError
from codriver.scenarios import CarPaths, load_file
from codriver.scenarios.model import scenario_files

WriteYaml = Callable[[str, str], Path]

GOOD = """
- id: en-climate-cold-driver
  lang: en
  tags: [fuzzy, zone]
  given:
    Vehicle.Speed: 60
    Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature: 21
  turns:
    - say: "I'm freezing"
      from: driver
      expect:
        outcome: done
        state:
          Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature: {up: true, max: 28}
        unchanged: [Vehicle.Cabin.HVAC.Station.Row1.Passenger]
        reply: "warm|°"
    - set: {Vehicle.Body.Raindetection.Intensity: 40}
    - wait: 90
      expect: {outcome: [none, answered]}
    - say: "这个打开"
      from: rear_right
      gaze: Vehicle.Cabin.Door.Row2.PassengerSide.Window
- id: zh-nav
  lang: zh
  given: {Cockpit.Navigation.Destination: 外滩}
  turns:
    - say: "取消导航"
      expect:
        state: {Cockpit.Navigation.Destination: ""}
        unchanged: [Cockpit.Phone]
"""


def test_a_valid_file_loads_every_scenario(write_yaml: WriteYaml, car_paths: CarPaths) -> None:
    path = write_yaml("good.yaml", GOOD)
    scenarios, problems = load_file(path, car_paths)
    assert problems == []
    assert [s.id for s in scenarios] == ["en-climate-cold-driver", "zh-nav"]
    first = scenarios[0]
    assert (first.lang, first.tags, first.file) == ("en", ("fuzzy", "zone"), str(path))
    assert first.given == {
        "Vehicle.Speed": 60,
        "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature": 21,
    }
    say, set_, wait, gaze = first.turns
    assert (say.kind, say.text, say.speaker) == ("say", "I'm freezing", "driver")
    assert say.expect.outcome == ("done",)
    assert [p for p, _ in say.expect.state] == [
        "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
    ]
    assert say.expect.unchanged == ("Vehicle.Cabin.HVAC.Station.Row1.Passenger",)
    assert say.expect.reply is not None and say.expect.reply.search("WARMER")
    assert (set_.kind, set_.values) == ("set", {"Vehicle.Body.Raindetection.Intensity": 40})
    assert (wait.kind, wait.seconds, wait.expect.outcome) == ("wait", 90.0, ("none", "answered"))
    assert (gaze.speaker, gaze.gaze) == (
        "rear_right",
        "Vehicle.Cabin.Door.Row2.PassengerSide.Window",
    )
    assert scenarios[1].turns[0].speaker == "driver"


def test_a_file_may_hold_one_scenario_as_a_mapping(
    write_yaml: WriteYaml, car_paths: CarPaths
) -> None:
    path = write_yaml("one.yaml", "id: one\nlang: en\nturns: [{wait: 1}]\n")
    scenarios, problems = load_file(path, car_paths)
    assert ([s.id for s in scenarios], problems) == (["one"], [])


def scenario(turn: str = '{say: "hi"}', extra: str = "") -> str:
    return f"- id: broken\n  lang: en\n{extra}  turns: [{turn}]\n"


VALID = "- id: fine\n  lang: en\n  turns: [{say: hello}]\n"

# (the malformed scenario, words its problem must contain)
BROKEN = {
    "unknown-key": (scenario(extra="  colour: red\n"), "colour"),
    "missing-turns": ("- id: broken\n  lang: en\n", "turns"),
    "empty-turns": ("- id: broken\n  lang: en\n  turns: []\n", "turns"),
    "bad-lang": ("- id: broken\n  lang: fr\n  turns: [{wait: 1}]\n", "lang"),
    "no-id": ("- lang: en\n  turns: [{wait: 1}]\n", "id"),
    "tags-not-list": (scenario(extra="  tags: fuzzy\n"), "tags"),
    "tag-read-as-boolean": (scenario(extra="  tags: [energy, yes]\n"), "quote yes"),
    "turn-with-two-kinds": (scenario('{say: "hi", wait: 3}'), "exactly one"),
    "turn-with-no-kind": (scenario("{expect: {outcome: done}}"), "exactly one"),
    "unknown-turn-key": (scenario('{say: "hi", speaker: driver}'), "speaker"),
    "unknown-seat": (scenario('{say: "hi", from: trunk}'), "trunk"),
    "unknown-gaze": (scenario('{say: "hi", gaze: Vehicle.Cabin.Roof}'), "Vehicle.Cabin.Roof"),
    "say-not-text": (scenario("{say: [a, b]}"), "say"),
    "negative-wait": (scenario("{wait: -5}"), "wait"),
    "wait-not-number": (scenario("{wait: soon}"), "wait"),
    "unknown-signal-in-given": (scenario(extra="  given: {Vehicle.Sped: 3}\n"), "Vehicle.Sped"),
    "unknown-signal-in-set": (scenario("{set: {Vehicle.Sped: 3}}"), "Vehicle.Sped"),
    "unknown-signal-in-state": (
        scenario('{say: "hi", expect: {state: {Vehicle.Sped: 3}}}'),
        "Vehicle.Sped",
    ),
    "unknown-branch-in-unchanged": (
        scenario('{say: "hi", expect: {unchanged: [Vehicle.Cabin.Roof]}}'),
        "Vehicle.Cabin.Roof",
    ),
    "partial-branch-name-in-unchanged": (
        scenario('{say: "hi", expect: {unchanged: [Vehicle.Cabin.HVA]}}'),
        "Vehicle.Cabin.HVA",
    ),
    "bad-outcome": (scenario('{say: "hi", expect: {outcome: succeeded}}'), "succeeded"),
    "bad-outcome-in-list": (scenario('{say: "hi", expect: {outcome: [done, maybe]}}'), "maybe"),
    "unknown-expect-key": (scenario('{say: "hi", expect: {status: done}}'), "status"),
    "bad-reply-regex": (scenario('{say: "hi", expect: {reply: "(unclosed"}}'), "reply"),
    "bad-matcher": (scenario('{say: "hi", expect: {state: {Vehicle.Speed: {above: 3}}}}'), "above"),
    "bad-match-regex": (
        scenario('{say: "hi", expect: {state: {Cockpit.Phone.Call: {match: "[z-a]"}}}}'),
        "match",
    ),
    "not-a-mapping": ("- just text\n", "mapping"),
}


@pytest.mark.parametrize(("text", "words"), BROKEN.values(), ids=BROKEN.keys())
def test_a_malformed_scenario_is_a_problem_and_the_others_still_load(
    write_yaml: WriteYaml, car_paths: CarPaths, text: str, words: str
) -> None:
    path = write_yaml("mixed.yaml", VALID + text + VALID.replace("fine", "also-fine"))
    scenarios, problems = load_file(path, car_paths)
    assert [s.id for s in scenarios] == ["fine", "also-fine"]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == str(path)
    assert "scenario 2" in problem.message
    assert words in problem.message


def test_the_problem_names_the_scenario_and_the_turn(
    write_yaml: WriteYaml, car_paths: CarPaths
) -> None:
    path = write_yaml("turns.yaml", scenario('{wait: 1}, {say: "hi", from: trunk}'))
    _, (problem,) = load_file(path, car_paths)
    assert "'broken'" in problem.message
    assert "turn 2" in problem.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("- id: x\n  lang: [en\n", "YAML"),
        ("id: 'unterminated\n", "YAML"),
    ],
    ids=["unclosed-bracket", "unterminated-quote"],
)
def test_bad_yaml_is_one_problem_for_the_file(
    write_yaml: WriteYaml, car_paths: CarPaths, text: str, words: str
) -> None:
    path = write_yaml("bad.yaml", text)
    scenarios, problems = load_file(path, car_paths)
    assert scenarios == []
    assert [p.file for p in problems] == [str(path)]
    assert words in problems[0].message


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path, car_paths: CarPaths) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"- id: caf\xe9\n")
    scenarios, problems = load_file(path, car_paths)
    assert scenarios == []
    assert problems[0].file == str(path)


def test_scenario_files_finds_yaml_in_folders_sorted(write_yaml: WriteYaml, tmp_path: Path) -> None:
    b = write_yaml("suite/b.yaml", VALID)
    a = write_yaml("suite/sub/a.yaml", VALID)
    write_yaml("suite/notes.txt", "not a scenario")
    single = write_yaml("single.yaml", VALID)
    assert scenario_files([tmp_path / "suite", single]) == [b, a, single]


def test_scenario_files_refuses_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=re.escape("missing.yaml")):
        scenario_files([tmp_path / "missing.yaml"])
