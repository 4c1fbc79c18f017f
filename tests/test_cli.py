"""The ``codriver`` command: one-turn ``say``, ``scenarios`` with JSON reports and baselines, and
bad input that ends as one clear line with exit code 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codriver.cli.main import app
from codriver.errors import CodriverError
from codriver.tools import default_toolbox

WriteYaml = Callable[[str, str], Path]
runner = CliRunner()
VOLUME = "Vehicle.Cabin.Infotainment.Media.Volume"
MODE = "Vehicle.Powertrain.Transmission.PerformanceMode"
NUMERALS = "三" * 309  # raised OverflowError in the number reader

PASSING = """
id: turns-it-up
lang: en
tags: [media]
turns:
  - say: "set_volume level=50"
    expect:
      outcome: done
      state: {Vehicle.Cabin.Infotainment.Media.Volume: 50}
"""

FAILING = """
id: expects-too-much
lang: en
turns:
  - say: "set_volume level=50"
    expect:
      outcome: refused
      state: {Vehicle.Cabin.Infotainment.Media.Volume: 70}
"""


def codriver(*args: str | bytes) -> subprocess.CompletedProcess[str]:
    """The installed console script, run as a user runs it."""
    script = Path(sys.executable).parent / "codriver"
    command: Sequence[str | bytes] = (
        [str(script), *args]
        if script.exists()
        else [sys.executable, "-c", "from codriver.cli.main import run; run()", *args]
    )
    return subprocess.run(
        command, capture_output=True, text=True, errors="replace", timeout=60, check=False
    )


def test_say_prints_the_reply_and_the_changes() -> None:
    result = runner.invoke(app, ["say", "set_volume level=50", "--brain", "direct"])
    assert result.exit_code == 0, result.output
    assert "[done]" in result.stdout
    assert VOLUME in result.stdout and "30" in result.stdout and "50" in result.stdout


def test_say_json() -> None:
    result = runner.invoke(
        app,
        ["say", "set_temperature celsius=24", "--brain", "direct", "--from", "passenger", "--json"],
    )
    assert result.exit_code == 0, result.output
    turn = json.loads(result.stdout)
    assert turn["outcome"] == "done"
    assert turn["lang"] == "en"
    assert [a["tool"] for a in turn["actions"]] == ["set_temperature"]
    changed = {c["path"]: c["new"] for c in turn["changes"]}
    assert changed == {"Vehicle.Cabin.HVAC.Station.Row1.Passenger.Temperature": 24}
    assert isinstance(turn["latency_ms"], float)


def test_say_with_a_world_preset_and_a_refusal() -> None:
    result = runner.invoke(
        app,
        ["say", "set_door open=true", "--brain", "direct", "--set", "Vehicle.Speed=60", "--json"],
    )
    assert result.exit_code == 0, result.output
    turn = json.loads(result.stdout)
    assert turn["outcome"] == "refused"
    assert turn["actions"][0]["rule"] == "no-door-opening-while-moving"
    assert turn["changes"] == []


def test_say_in_chinese_keeps_chinese_in_json() -> None:
    result = runner.invoke(app, ["say", "navigate_to place=外滩", "--brain", "direct", "--json"])
    assert result.exit_code == 0, result.output
    assert "外滩" in result.stdout
    assert json.loads(result.stdout)["lang"] == "zh"


BAD_SAY: dict[str, list[str | bytes]] = {
    "empty": ["say", ""],
    "blank": ["say", "   "],
    "100-kB": ["say", "a" * 100_000],
    "control-characters": ["say", "open\x01the\x07window"],
    "binary-garbage": ["say", b"\xff\xfe\xfa garbage \xc3"],
    "unknown-seat": ["say", "set_volume level=50", "--from", "trunk"],
    "unknown-signal": ["say", "set_volume level=50", "--set", "Vehicle.Sped=3"],
    "wrong-type-value": ["say", "set_volume level=50", "--set", "Vehicle.Speed=fast"],
    "out-of-range-value": ["say", "set_volume level=50", "--set", f"{VOLUME}=300"],
    "out-of-range-sensor": ["say", "set_volume level=50", "--set", "Vehicle.Speed=999"],
    "not-an-allowed-value": ["say", "hi", "--set", f"{MODE}=TURBO"],
    "not-an-assignment": ["say", "set_volume level=50", "--set", "Vehicle.Speed"],
    "unknown-cockpit-path": ["say", "set_volume level=50", "--set", "Cockpit.Nothing=x"],
    "unknown-gaze": ["say", "set_volume level=50", "--gaze", "Vehicle.Cabin.Roof"],
    "unknown-brain": ["say", "set_volume level=50", "--brain", "psychic"],
}


@pytest.mark.parametrize("args", BAD_SAY.values(), ids=BAD_SAY.keys())
def test_bad_input_is_one_clear_line_and_exit_2(args: list[str | bytes]) -> None:
    done = codriver(*args, "--json")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    assert done.stdout == ""  # no turn was taken, nothing was reported as changed


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["say", "", "--json"], "empty"),
        (["say", "hi", "--from", "trunk"], "trunk"),
        (["say", "hi", "--set", "Vehicle.Sped=3"], "Vehicle.Speed"),
        (["say", "hi", "--set", "Vehicle.Speed=fast"], "number"),
        (["say", "hi", "--set", "Vehicle.Speed=999"], "not 999"),
        (["say", "hi", "--set", "Vehicle.Speed=-300"], "not -300"),
        (["say", "hi", "--set", "Vehicle.Exterior.AirTemperature=200"], "not 200"),
        (["say", "hi", "--set", "Vehicle.Speed=.inf"], "finite"),
        (["say", "hi", "--set", f"{MODE}=TURBO"], "SPORT"),
    ],
    ids=[
        "empty",
        "seat",
        "did-you-mean",
        "wrong-type",
        "speed-too-high",
        "speed-too-low",
        "outside-too-hot",
        "not-finite",
        "not-allowed",
    ],
)
def test_bad_input_messages_say_what_is_wrong(args: list[str], words: str) -> None:
    result = runner.invoke(app, args)
    assert isinstance(result.exception, CodriverError)
    assert words in str(result.exception)


def test_a_value_within_the_car_s_range_is_set() -> None:
    result = runner.invoke(app, ["say", "hi", "--set", "Vehicle.Speed=-8", "--json"])
    assert result.exit_code == 0, result.output  # reversing


@pytest.mark.parametrize(
    "args",
    [
        ["say", NUMERALS],
        ["say", "一二三四五六七八九十百千万" * 30, "--json"],
        ["parse", NUMERALS],
        ["parse", "空调调到" + "9" * 400 + "度", "--json"],
    ],
    ids=["say", "say-json", "parse", "parse-json"],
)
def test_long_runs_of_numerals_are_a_turn_not_a_crash(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert (result.exit_code, result.exception) == (0, None), result.output


def test_scenarios_with_long_runs_of_numerals_run_to_the_count(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        "numerals.yaml",
        f"""
        id: numerals-no-one-says
        lang: zh
        turns:
          - say: "{NUMERALS}"
            expect: {{outcome: answered}}
        """,
    )
    result = runner.invoke(app, ["scenarios", str(path), "--brain", "local"])
    assert (result.exit_code, result.exception) == (0, None), result.output
    assert result.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"


def test_scenarios_print_fail_lines_and_the_closing_count(write_yaml: WriteYaml) -> None:
    folder = write_yaml("suite/pass.yaml", PASSING).parent
    write_yaml("suite/fail.yaml", FAILING)
    result = runner.invoke(app, ["scenarios", str(folder), "--brain", "direct"])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "1 passed, 1 failed"
    fails = [line for line in lines if line.startswith("FAIL ")]
    assert len(fails) == 2
    assert all(line.startswith("FAIL expects-too-much turn 1: ") for line in fails)
    assert any("outcome" in line for line in fails)
    assert any(VOLUME in line and "70" in line for line in fails)


def test_scenarios_that_all_pass_exit_0(write_yaml: WriteYaml) -> None:
    result = runner.invoke(
        app, ["scenarios", str(write_yaml("pass.yaml", PASSING)), "--brain", "direct"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"
    assert "FAIL" not in result.stdout


def test_scenarios_write_the_json_report(write_yaml: WriteYaml, tmp_path: Path) -> None:
    folder = write_yaml("suite/pass.yaml", PASSING).parent
    write_yaml("suite/fail.yaml", FAILING)
    report_file = tmp_path / "out" / "results.json"
    result = runner.invoke(
        app, ["scenarios", str(folder), "--brain", "direct", "--json", str(report_file)]
    )
    assert result.exit_code == 1
    report = json.loads(report_file.read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in report["results"]}
    assert set(by_id) == {"turns-it-up", "expects-too-much"}
    passed = by_id["turns-it-up"]
    assert (passed["lang"], passed["tags"], passed["passed"], passed["failures"]) == (
        "en",
        ["media"],
        True,
        [],
    )
    failed = by_id["expects-too-much"]
    assert failed["passed"] is False and len(failed["failures"]) == 2
    for result_ in report["results"]:
        (turn,) = result_["turns"]
        assert turn["outcome"] == "done"
        assert isinstance(turn["latency_ms"], float)
        assert "50" in turn["reply"]


def test_an_unwritable_json_report_is_one_clear_line(write_yaml: WriteYaml, tmp_path: Path) -> None:
    done = codriver("scenarios", str(write_yaml("pass.yaml", PASSING)), "--json", str(tmp_path))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if line.strip()]
    assert line.startswith(f"error: cannot write {tmp_path}")


def test_a_malformed_file_is_named_and_the_others_still_run(write_yaml: WriteYaml) -> None:
    folder = write_yaml("suite/a_pass.yaml", PASSING).parent
    broken = write_yaml(
        "suite/b_broken.yaml", "id: broken\nlang: en\nturns: [{say: hi, wait: 1}]\n"
    )
    result = runner.invoke(app, ["scenarios", str(folder), "--brain", "direct"])
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1
    assert str(broken) in errors[0]
    assert "exactly one" in errors[0]
    assert result.stdout.strip().splitlines()[-1] == "1 passed, 1 failed"


def test_a_missing_scenario_path_is_one_clear_line(tmp_path: Path) -> None:
    done = codriver("scenarios", str(tmp_path / "nowhere.yaml"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'nowhere.yaml'}: no such file or folder"
    ]


def scenarios_with_baseline(folder: Path, baseline: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["scenarios", str(folder), "--brain", "direct", "--baseline", str(baseline), *extra]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def test_baseline_fails_only_on_regressions(write_yaml: WriteYaml, tmp_path: Path) -> None:
    passing = write_yaml("suite/pass.yaml", PASSING)
    write_yaml("suite/fail.yaml", FAILING)
    folder = passing.parent
    baseline = tmp_path / "baseline" / "passing.json"

    code, out = scenarios_with_baseline(folder, baseline, "--update-baseline")
    assert code == 0, out
    assert json.loads(baseline.read_text(encoding="utf-8")) == {"passing": ["turns-it-up"]}

    # a known failure that the baseline does not record as passing is no regression
    code, out = scenarios_with_baseline(folder, baseline)
    assert code == 0, out
    assert out.strip().splitlines()[-1] == "1 passed, 1 failed"

    # the scenario that passed now fails: a regression
    passing.write_text(
        PASSING.replace(
            "state: {Vehicle.Cabin.Infotainment.Media.Volume: 50}",
            "state: {Vehicle.Cabin.Infotainment.Media.Volume: 51}",
        ),
        encoding="utf-8",
    )
    code, out = scenarios_with_baseline(folder, baseline)
    assert code == 1
    assert "REGRESSION turns-it-up" in out


def test_baseline_reports_scenarios_that_were_not_run(
    write_yaml: WriteYaml, tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"passing": ["turns-it-up", "gone-missing"]}), encoding="utf-8")
    code, out = scenarios_with_baseline(write_yaml("pass.yaml", PASSING), baseline)
    assert code == 1
    assert "MISSING gone-missing" in out


def test_baseline_notes_new_passes_without_failing(write_yaml: WriteYaml, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"passing": []}), encoding="utf-8")
    code, out = scenarios_with_baseline(write_yaml("pass.yaml", PASSING), baseline)
    assert code == 0
    assert "1 scenarios pass that the baseline does not record yet" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--update-baseline"], "--baseline"),
        (["--baseline", "{missing}"], "baseline"),
        (["--baseline", "{garbage}"], "baseline"),
    ],
    ids=["update-without-baseline", "missing-baseline", "garbage-baseline"],
)
def test_baseline_misuse_is_one_clear_line(
    write_yaml: WriteYaml, tmp_path: Path, args: list[str], words: str
) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_text("[not json", encoding="utf-8")
    filled = [a.format(missing=tmp_path / "missing.json", garbage=garbage) for a in args]
    done = codriver(
        "scenarios", str(write_yaml("pass.yaml", PASSING)), "--brain", "direct", *filled
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if line.strip()]
    assert line.startswith("error: ") and words in line


def test_tools_json_lists_every_tool_with_its_schema() -> None:
    result = runner.invoke(app, ["tools", "--json"])
    assert result.exit_code == 0
    listing = json.loads(result.stdout)
    assert sorted(t["name"] for t in listing) == default_toolbox().names()
    assert all(t["parameters"]["type"] == "object" for t in listing)


def test_signals_shows_values_and_accepted_ranges() -> None:
    result = runner.invoke(app, ["signals", "Vehicle.Cabin.HVAC.Station.Row1.Driver"])
    assert result.exit_code == 0
    (line,) = [
        x
        for x in result.stdout.splitlines()
        if x.startswith("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature ")
    ]
    assert "= 22" in line and "16–32" in line


def test_signals_under_an_unknown_prefix_is_an_error() -> None:
    result = runner.invoke(app, ["signals", "Vehicle.Nope"])
    assert isinstance(result.exception, CodriverError)


def help_text(*command: str) -> str:
    """The help of ``codriver COMMAND``, with the frame and line breaks taken out."""
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.replace("│", " ").split())


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ((), "spoken replies out (extra [voice])"),
        ((), "(needs the [server] extra)"),
        (("voice",), "(extra [voice])"),
        (("serve",), "(needs the [server] extra)"),
        (("chat",), "default: [mcp] of the settings"),
    ],
    ids=["main-voice", "main-server", "voice", "serve", "chat-apps"],
)
def test_help_names_the_extras_in_brackets(command: tuple[str, ...], words: str) -> None:
    assert words in help_text(*command)


@pytest.mark.parametrize("command", ["chat", "say", "voice", "scenarios"])
def test_help_shows_no_placeholder_for_the_brain(command: str) -> None:
    text = help_text(command)
    assert "default: hybrid when an LLM is configured, else local" in text
    assert "[default: default]" not in text


@pytest.mark.parametrize("seconds", ["nan", "inf", "-5", "soon"])
def test_chat_refuses_a_wait_that_is_no_span_of_time_and_the_clock_runs_on(seconds: str) -> None:
    lines = [f":wait {seconds}", "set_timer minutes=5", ":wait 600", ":get Cockpit.Timers", ":quit"]
    result = runner.invoke(app, ["chat", "--brain", "direct"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "error: " in result.stderr
    assert "Cockpit.Timers = []" in result.stdout  # the timer fired: time still passes
