"""The scenario runner: scenarios written to pass pass, scenarios written to fail fail with the
right failure lines, and results have FORMAT.md's report shape. The assistant runs on the direct
brain, so the utterances are explicit tool calls."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from codriver.assistant import Assistant
from codriver.scenarios import SuiteResult, run_paths

WriteYaml = Callable[[str, str], Path]
TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"

PASSING = {
    "say-done": """
        id: say-done
        lang: en
        tags: [climate]
        turns:
          - say: "set_temperature celsius=24"
            expect:
              outcome: done
              state: {Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature: 24}
              unchanged: [Vehicle.Cabin.HVAC.Station.Row1.Passenger, Vehicle.Cabin.Door]
              reply: "24"
        """,
    "relative-and-speaker": """
        id: relative-and-speaker
        lang: en
        given: {Vehicle.Cabin.HVAC.Station.Row1.Passenger.Temperature: 20}
        turns:
          - say: "adjust_temperature delta=2"
            from: passenger
            expect:
              outcome: done
              state:
                Vehicle.Cabin.HVAC.Station.Row1.Passenger.Temperature: {up: true, max: 22}
              unchanged: [Vehicle.Cabin.HVAC.Station.Row1.Driver]
        """,
    "refused-while-driving": """
        id: refused-while-driving
        lang: en
        given: {Vehicle.Speed: 60}
        turns:
          - say: "set_door open=true door=passenger"
            expect:
              outcome: refused
              unchanged: [Vehicle.Cabin.Door]
              reply: "moving"
        """,
    "out-of-range": """
        id: out-of-range
        lang: en
        turns:
          - say: "set_temperature celsius=40"
            expect:
              outcome: refused
              unchanged: [Vehicle.Cabin.HVAC]
              reply: "16.32"
        """,
    "confirm-then-yes": """
        id: confirm-then-yes
        lang: en
        given: {Vehicle.Speed: 60}
        turns:
          - say: "set_door_lock locked=false"
            expect:
              outcome: asked
              unchanged: [Vehicle.Cabin.Door]
          - say: "yes"
            expect:
              outcome: done
              state:
                Vehicle.Cabin.Door.Row1.DriverSide.IsLocked: false
                Vehicle.Cabin.Door.Row2.PassengerSide.IsLocked: false
        """,
    "set-and-wait": """
        id: set-and-wait
        lang: en
        turns:
          - set: {Vehicle.Speed: 100}
            expect:
              outcome: none
              state: {Vehicle.Speed: 100}
          - wait: 3600
            expect:
              outcome: none
              state:
                Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed: {down: true, min: 1}
                Vehicle.Powertrain.Range: {down: true}
              unchanged: [Vehicle.Cabin.Door]
        """,
    "zh-navigation": """
        id: zh-navigation
        lang: zh
        tags: [navigation]
        turns:
          - say: "navigate_to place=外滩"
            expect:
              outcome: done
              state: {Cockpit.Navigation.Destination: {match: "外滩|Bund"}}
              unchanged: [Cockpit.Phone]
              reply: "外滩"
        """,
    "not-understood": """
        id: not-understood
        lang: en
        turns:
          - say: "sing me a song about the sea"
            expect:
              outcome: answered
              unchanged: [Vehicle, Cockpit]
        """,
}


def run(paths: list[Path]) -> SuiteResult:
    from codriver.testing import offline_assistant
    from codriver.understanding import DirectBrain

    def factory() -> Assistant:
        return offline_assistant(brain=DirectBrain())

    return asyncio.run(run_paths(paths, factory))


@pytest.mark.parametrize("text", PASSING.values(), ids=PASSING.keys())
def test_scenarios_written_to_pass_pass(write_yaml: WriteYaml, text: str) -> None:
    suite = run([write_yaml("pass.yaml", text)])
    assert suite.problems == []
    (result,) = suite.results
    assert result.failures == ()
    assert result.passed
    assert (suite.passed, suite.failed) == (1, 0)


FAILING = """
id: all-wrong
lang: en
turns:
  - say: "set_temperature celsius=24"
    expect:
      outcome: refused
      state: {Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature: 25}
      unchanged: [Vehicle.Cabin.HVAC.Station.Row1.Driver]
      reply: "never said"
"""


def test_a_failing_scenario_lists_each_unmet_expectation(write_yaml: WriteYaml) -> None:
    suite = run([write_yaml("fail.yaml", FAILING)])
    (result,) = suite.results
    assert not result.passed
    assert (suite.passed, suite.failed) == (0, 1)
    assert all(line.startswith("all-wrong turn 1: ") for line in result.failures)
    outcome, state, unchanged, reply = result.failures
    assert "outcome" in outcome and "refused" in outcome and "done" in outcome
    assert TEMPERATURE in state and "25" in state and "24" in state
    assert "unchanged" in unchanged and TEMPERATURE in unchanged and "22" in unchanged
    assert "reply" in reply and "never said" in reply


@pytest.mark.parametrize(
    ("expect", "words"),
    [
        ("outcome: [answered, asked]", ["answered or asked", "done"]),
        (f"state: {{{TEMPERATURE}: {{down: true}}}}", ["down", "was 22"]),
        (f"state: {{{TEMPERATURE}: {{max: 23}}}}", ["max: 23"]),
        (
            "state: {Cockpit.Navigation.Destination: {contains: Bund}}",
            ["Cockpit.Navigation", "Bund"],
        ),
        ("unchanged: [Vehicle.Cabin.HVAC]", [TEMPERATURE]),
        ('reply: "^Done$"', ["^Done$"]),
    ],
    ids=["outcome-list", "down", "max", "cockpit-contains", "unchanged-branch", "reply"],
)
def test_each_kind_of_expectation_can_fail(
    write_yaml: WriteYaml, expect: str, words: list[str]
) -> None:
    text = (
        "id: one-wrong\nlang: en\nturns:\n"
        '  - say: "set_temperature celsius=24"\n'
        f"    expect: {{{expect}}}\n"
    )
    (result,) = run([write_yaml("one.yaml", text)]).results
    assert len(result.failures) == 1, result.failures
    for word in words:
        assert word in result.failures[0]


def test_only_the_failing_turn_is_reported(write_yaml: WriteYaml) -> None:
    text = """
        id: second-turn
        lang: en
        turns:
          - say: "set_volume level=50"
            expect: {outcome: done}
          - say: "set_volume level=60"
            expect: {state: {Vehicle.Cabin.Infotainment.Media.Volume: 70}}
        """
    (result,) = run([write_yaml("turns.yaml", text)]).results
    assert len(result.failures) == 1
    assert result.failures[0].startswith(
        "second-turn turn 2: Vehicle.Cabin.Infotainment.Media.Volume"
    )
    assert [t.failures == () for t in result.turns] == [True, False]


def test_a_bad_given_fails_the_scenario(write_yaml: WriteYaml) -> None:
    text = f"id: bad-given\nlang: en\ngiven: {{{TEMPERATURE}: 50}}\nturns: [{{wait: 1}}]\n"
    (result,) = run([write_yaml("given.yaml", text)]).results
    assert not result.passed
    assert result.failures[0].startswith("bad-given given:")
    assert TEMPERATURE in result.failures[0]


def test_a_turn_refused_as_input_fails_and_the_next_turns_run(write_yaml: WriteYaml) -> None:
    text = """
        id: empty-say
        lang: en
        turns:
          - say: "   "
          - say: "set_volume level=50"
            expect: {state: {Vehicle.Cabin.Infotainment.Media.Volume: 50}}
        """
    (result,) = run([write_yaml("empty.yaml", text)]).results
    assert len(result.failures) == 1
    assert "turn 1" in result.failures[0] and "empty" in result.failures[0]
    assert [t.outcome for t in result.turns] == ["error", "done"]


def test_each_scenario_starts_on_a_fresh_car(write_yaml: WriteYaml) -> None:
    text = """
        - id: first
          lang: en
          turns: [{say: "set_volume level=80"}]
        - id: second
          lang: en
          turns:
            - wait: 1
              expect: {state: {Vehicle.Cabin.Infotainment.Media.Volume: 30}}
        """
    suite = run([write_yaml("two.yaml", text)])
    assert [r.passed for r in suite.results] == [True, True]


def test_problems_and_duplicates_count_as_failed_while_the_rest_run(write_yaml: WriteYaml) -> None:
    folder = write_yaml("suite/a.yaml", PASSING["say-done"]).parent
    write_yaml("suite/b.yaml", PASSING["say-done"])  # the same id again
    write_yaml("suite/c.yaml", "id: [broken\n")
    write_yaml("suite/d.yaml", PASSING["zh-navigation"])
    suite = run([folder])
    assert [r.id for r in suite.results] == ["say-done", "zh-navigation"]
    files = [Path(p.file).name for p in suite.problems]
    assert files == ["b.yaml", "c.yaml"]
    assert "duplicate" in suite.problems[0].message
    assert (suite.passed, suite.failed) == (2, 2)


def test_results_have_the_report_shape_of_format_md(write_yaml: WriteYaml) -> None:
    suite = run(
        [
            write_yaml("a.yaml", PASSING["set-and-wait"]),
            write_yaml("b.yaml", FAILING),
            write_yaml("c.yaml", PASSING["zh-navigation"]),
        ]
    )
    report = json.loads(json.dumps({"results": [r.to_dict() for r in suite.results]}))
    by_id = {r["id"]: r for r in report["results"]}
    assert set(by_id) == {"set-and-wait", "all-wrong", "zh-navigation"}
    for result in report["results"]:
        assert {"id", "lang", "tags", "passed", "failures", "turns"} <= set(result)
        assert isinstance(result["tags"], list)
        assert isinstance(result["failures"], list)
        for turn in result["turns"]:
            assert {"latency_ms", "outcome", "reply"} <= set(turn)
            assert isinstance(turn["latency_ms"], float) and turn["latency_ms"] >= 0
            assert turn["outcome"] in ("done", "answered", "refused", "asked", "none", "error")
            assert isinstance(turn["reply"], str)
    assert by_id["all-wrong"]["passed"] is False and len(by_id["all-wrong"]["failures"]) == 4
    assert by_id["zh-navigation"]["lang"] == "zh"
    assert by_id["zh-navigation"]["tags"] == ["navigation"]
    assert by_id["zh-navigation"]["passed"] is True
    assert [t["outcome"] for t in by_id["set-and-wait"]["turns"]] == ["none", "none"]
    (nav_turn,) = by_id["zh-navigation"]["turns"]
    assert nav_turn["outcome"] == "done" and "外滩" in nav_turn["reply"]
    assert nav_turn["latency_ms"] > 0
