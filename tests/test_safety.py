"""The safety gate: each shipped rule triggers where it should and only there; catalog range and
type checks; plugins; confirmation; malformed rule files."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import pytest
import yaml

from codriver.errors import ConfigError
from codriver.safety import ProposedAction, SafetyPolicy, Write, load_rules
from codriver.vehicle import SimulatedCar, Value, VehicleProfile

DOOR = "Vehicle.Cabin.Door"
TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
DRIVING = {"Vehicle.Speed": 60, "Vehicle.Powertrain.Transmission.SelectedGear": 127}
TOWN = {"Vehicle.Speed": 30, "Vehicle.Powertrain.Transmission.SelectedGear": 127}
DARK = {"Vehicle.Exterior.LightIntensity": 5}


@pytest.fixture(scope="module")
def policy(profile: VehicleProfile) -> SafetyPolicy:
    return SafetyPolicy(profile.catalog)


def state(**overrides: Mapping[str, Value]) -> dict[str, Value | None]:
    """The default car state with the given signals changed (keyword names are just labels)."""
    values = SimulatedCar().values()
    for part in overrides.values():
        values.update(part)
    return values


def writes(**values: Value) -> tuple[Write, ...]:
    return tuple(Write(path.replace("__", "."), value) for path, value in values.items())


@dataclass(frozen=True)
class Case:
    """An action that a rule decides, and a near miss the gate must allow."""

    rule: str
    decision: str
    action: ProposedAction
    when: Mapping[str, Value]
    near_action: ProposedAction | None = None
    near_when: Mapping[str, Value] = field(default_factory=dict)


def act(tool: str, *pairs: tuple[str, Value], **kw: object) -> ProposedAction:
    return ProposedAction(tool, writes=tuple(Write(p, v) for p, v in pairs), **kw)  # type: ignore[arg-type]


CASES = [
    Case(
        "no-door-opening-while-moving",
        "refuse",
        act("set_door", (f"{DOOR}.Row2.PassengerSide.IsOpen", True)),
        DRIVING,
        near_when={},
    ),
    Case(
        "no-door-opening-while-moving",
        "refuse",
        act("set_door", (f"{DOOR}.Row1.DriverSide.Position", 20)),
        DRIVING,
        near_action=act("set_door", (f"{DOOR}.Row1.DriverSide.Position", 0)),
        near_when=DRIVING,
    ),
    Case(
        "no-trunk-or-hood-while-moving",
        "refuse",
        act("set_trunk", ("Vehicle.Body.Trunk.Rear.IsOpen", True)),
        DRIVING,
    ),
    Case(
        "no-trunk-or-hood-while-moving",
        "refuse",
        act("open_hood", ("Vehicle.Body.Hood.IsOpen", True)),
        DRIVING,
        near_action=act("open_hood", ("Vehicle.Body.Hood.IsOpen", False)),
        near_when=DRIVING,
    ),
    Case(
        "no-charge-port-while-moving",
        "refuse",
        act(
            "set_charge_port",
            (
                "Vehicle.Powertrain.TractionBattery.Charging.ChargingPort.AnyPosition.IsFlapOpen",
                True,
            ),
        ),
        DRIVING,
    ),
    Case(
        "no-mirror-folding-while-moving",
        "refuse",
        act("set_mirrors_folded", ("Vehicle.Body.Mirrors.DriverSide.IsFolded", True)),
        DRIVING,
    ),
    Case(
        "no-parking-brake-release-by-voice",
        "refuse",
        act("set_parking_brake", ("Vehicle.Chassis.ParkingBrake.IsEngaged", False)),
        {},
        near_action=act("set_parking_brake", ("Vehicle.Chassis.ParkingBrake.IsEngaged", True)),
    ),
    Case(
        "no-parking-brake-while-moving",
        "refuse",
        act("set_parking_brake", ("Vehicle.Chassis.ParkingBrake.IsEngaged", True)),
        DRIVING,
    ),
    Case(
        "no-driver-assist-off-while-moving",
        "refuse",
        act("set_driver_assist", ("Vehicle.ADAS.ESC.IsEnabled", False)),
        DRIVING,
        near_action=act("set_driver_assist", ("Vehicle.ADAS.ESC.IsEnabled", True)),
        near_when=DRIVING,
    ),
    Case(
        "confirm-driver-assist-off",
        "confirm",
        act("set_driver_assist", ("Vehicle.ADAS.DMS.IsEnabled", False)),
        {},
        near_action=act("set_driver_assist", ("Vehicle.ADAS.DMS.IsEnabled", True)),
    ),
    Case(
        "no-cruise-above-150",
        "refuse",
        act("set_cruise_control", ("Vehicle.ADAS.CruiseControl.SpeedSet", 180.0)),
        DRIVING,
        near_action=act("set_cruise_control", ("Vehicle.ADAS.CruiseControl.SpeedSet", 120.0)),
        near_when=DRIVING,
    ),
    Case(
        "no-gear-change-by-voice",
        "refuse",
        act("shift", ("Vehicle.Powertrain.Transmission.SelectedGear", 127)),
        {},
        near_action=act(
            "set_drive_mode", ("Vehicle.Powertrain.Transmission.PerformanceMode", "SPORT")
        ),
    ),
    Case(
        "no-windows-for-the-rear-seats-under-child-lock",
        "refuse",
        act("set_window", (f"{DOOR}.Row2.DriverSide.Window.Position", 100), speaker="rear_left"),
        {"Vehicle.Cabin.IsWindowChildLockEngaged": True},
        near_action=act(
            "set_window", (f"{DOOR}.Row2.DriverSide.Window.Position", 100), speaker="driver"
        ),
    ),
    Case(
        "no-driver-recline-while-moving",
        "refuse",
        act("set_recline", ("Vehicle.Cabin.Seat.Row1.DriverSide.Backrest.Recline", 40)),
        DRIVING,
    ),
    Case(
        "no-driver-recline-while-moving",
        "refuse",
        act("set_recline", ("Vehicle.Cabin.Seat.Row1.DriverSide.Backrest.Recline", 31)),
        DRIVING,
        near_action=act(
            "set_recline", ("Vehicle.Cabin.Seat.Row1.PassengerSide.Backrest.Recline", 40)
        ),
        near_when=DRIVING,
    ),
    Case(
        "no-video-for-the-driver-while-moving",
        "refuse",
        act("play_media", ("Cockpit.Media.Query", "Up"), ("Cockpit.Media.Video", "center")),
        DRIVING,
        near_action=act("play_video", ("Cockpit.Media.Video", "rear")),
        near_when=DRIVING,
    ),
    Case(
        "no-video-for-a-distracted-driver",
        "refuse",
        act("play_video", ("Cockpit.Media.Video", "rear")),
        {**DRIVING, "Vehicle.Driver.DistractionLevel": 70},
        near_action=act("play_video", ("Cockpit.Media.Video", "rear"), speaker="passenger"),
        near_when={**DRIVING, "Vehicle.Driver.DistractionLevel": 70},
    ),
    Case(
        "no-long-reading-for-a-distracted-driver",
        "refuse",
        act("ask_manual"),
        {**DRIVING, "Vehicle.Driver.DistractionLevel": 70},
        near_action=act("ask_manual", speaker="passenger"),
        near_when={**DRIVING, "Vehicle.Driver.DistractionLevel": 20},
    ),
    Case(
        "no-headlights-off-while-moving-in-the-dark",
        "refuse",
        act("set_headlights", ("Vehicle.Body.Lights.Beam.Low.IsOn", False)),
        {**DRIVING, **DARK},
        near_when=DRIVING,
    ),
    Case(
        "confirm-unlock-while-moving",
        "confirm",
        act("set_door_lock", (f"{DOOR}.Row1.DriverSide.IsLocked", False)),
        DRIVING,
    ),
    Case(
        "confirm-unlock-while-moving",
        "confirm",
        act("unlock_trunk", ("Vehicle.Body.Trunk.Rear.IsLocked", False)),
        DRIVING,
        near_action=act("set_door_lock", (f"{DOOR}.Row1.DriverSide.IsLocked", True)),
        near_when=DRIVING,
    ),
    Case(
        "confirm-llm-unlocking-and-opening",
        "confirm",
        act("set_door_lock", (f"{DOOR}.Row1.DriverSide.IsLocked", False), source="llm"),
        {},
        near_action=act("set_door_lock", (f"{DOOR}.Row1.DriverSide.IsLocked", False)),
    ),
    Case(
        "confirm-llm-unlocking-and-opening",
        "confirm",
        act("set_trunk", ("Vehicle.Body.Trunk.Rear.IsOpen", True), source="llm"),
        {},
        near_action=act("set_trunk", ("Vehicle.Body.Trunk.Rear.IsOpen", False), source="llm"),
    ),
    Case(
        "confirm-high-beam-in-town",
        "confirm",
        act("set_headlights", ("Vehicle.Body.Lights.Beam.High.IsOn", True)),
        TOWN,
        near_when={"Vehicle.Speed": 90},
    ),
    Case(
        "confirm-plugin-costs",
        "confirm",
        ProposedAction("order_coffee", source="plugin", scopes=frozenset({"payments"})),
        {},
        near_action=ProposedAction("find_cafe", source="plugin", scopes=frozenset({"places"})),
    ),
    Case(
        "confirm-plugin-privacy",
        "confirm",
        ProposedAction("share_eta", source="plugin", scopes=frozenset({"messages", "food"})),
        {},
        near_action=ProposedAction("share_eta", source="plugin", scopes=frozenset({"food"})),
    ),
    Case(
        "confirm-plugin-privacy",
        "confirm",
        ProposedAction("find_parking", source="plugin", scopes=frozenset({"location"})),
        {},
        # the same scopes on an action the occupant's own words proposed: no third party
        near_action=ProposedAction("find_parking", scopes=frozenset({"location"})),
    ),
    Case(
        "no-remote-unlocking",
        "refuse",
        act("set_door_lock", (f"{DOOR}.Row1.DriverSide.IsLocked", False), source="remote"),
        {},
        near_action=act(
            "set_door_lock", (f"{DOOR}.Row1.DriverSide.IsLocked", True), source="remote"
        ),
    ),
    Case(
        "no-remote-unlocking",
        "refuse",
        act("unlock_trunk", ("Vehicle.Body.Trunk.Rear.IsLocked", False), source="remote"),
        {},
        # the occupant unlocking while parked is fine
        near_action=act("unlock_trunk", ("Vehicle.Body.Trunk.Rear.IsLocked", False)),
    ),
]


def _case_id(case: Case) -> str:
    return f"{case.rule}:{case.action.tool}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_each_rule_decides_its_action(policy: SafetyPolicy, case: Case) -> None:
    verdict = policy.check(case.action, state(when=case.when))
    assert verdict.decision == case.decision
    assert verdict.rule == case.rule
    assert verdict.reason is not None
    assert verdict.reason.en and verdict.reason.zh


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_each_rule_allows_its_near_miss(policy: SafetyPolicy, case: Case) -> None:
    """The same write while parked (or a close cousin of the action) is allowed."""
    action = case.near_action or case.action
    verdict = policy.check(action, state(when=case.near_when))
    assert verdict.decision == "allow", verdict
    assert verdict.allowed


GEAR = "Vehicle.Powertrain.Transmission.SelectedGear"
NOT_KNOWN_PARKED = {
    "reversing": {"Vehicle.Speed": -8, GEAR: -1},
    "speed-unknown": {"Vehicle.Speed": None},
    "speed-unknown-in-park": {"Vehicle.Speed": None, GEAR: 126},
    "stopped-in-drive": {"Vehicle.Speed": 0, GEAR: 127},
    "stopped-gear-unknown": {"Vehicle.Speed": 0, GEAR: None},
    "rolling-in-park": {"Vehicle.Speed": 3, GEAR: 126},
    "speed-not-finite": {"Vehicle.Speed": float("nan")},
}
MOVING_CASES = [c for c in CASES if "Vehicle.Speed" in c.when and c.decision == "refuse"]


@pytest.mark.parametrize("how", NOT_KNOWN_PARKED)
@pytest.mark.parametrize("case", MOVING_CASES, ids=[_case_id(c) for c in MOVING_CASES])
def test_moving_rules_hold_unless_the_car_is_known_to_be_parked(
    policy: SafetyPolicy, case: Case, how: str
) -> None:
    """Reversing, a lost speed signal or a gear other than P is not parked: fail closed."""
    when = {**case.when, **NOT_KNOWN_PARKED[how]}
    verdict = policy.check(case.action, state(when=when))
    assert (verdict.decision, verdict.rule) == (case.decision, case.rule)


@pytest.mark.parametrize("how", ["reversing", "speed-unknown"])
def test_unlocking_while_not_known_parked_asks(policy: SafetyPolicy, how: str) -> None:
    action = act("set_lock", (f"{DOOR}.Row1.DriverSide.IsLocked", False))
    verdict = policy.check(action, state(when=NOT_KNOWN_PARKED[how]))
    assert (verdict.decision, verdict.rule) == ("confirm", "confirm-unlock-while-moving")


def test_headlights_off_when_the_light_is_not_known_count_as_dark(policy: SafetyPolicy) -> None:
    action = act("set_lights", ("Vehicle.Body.Lights.Beam.Low.IsOn", False))
    unknown = {**DRIVING, "Vehicle.Exterior.LightIntensity": None}
    verdict = policy.check(action, state(when=unknown))
    assert verdict.rule == "no-headlights-off-while-moving-in-the-dark"


def test_every_shipped_rule_is_exercised() -> None:
    text = resources.files("codriver.safety").joinpath("data/rules.yaml").read_text("utf-8")
    in_file = {rule["id"] for rule in yaml.safe_load(text)["rules"]}
    assert in_file == {case.rule for case in CASES}
    assert in_file == {rule.id for rule in load_rules()}


def test_opening_a_window_by_is_open_while_moving_is_no_door_opening(policy: SafetyPolicy) -> None:
    for item in ("Window", "Shade"):
        action = act("set_window", (f"{DOOR}.Row2.DriverSide.{item}.IsOpen", True))
        verdict = policy.check(action, state(when=DRIVING))
        assert verdict.decision == "allow", (item, verdict)


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [(40, "16", "32"), (10, "16", "32")],
    ids=["too-hot", "too-cold"],
)
def test_out_of_range_is_refused_with_the_range_in_both_languages(
    policy: SafetyPolicy, value: int, low: str, high: str
) -> None:
    verdict = policy.check(act("set_temperature", (TEMPERATURE, value)), state())
    assert verdict.decision == "refuse"
    assert verdict.rule == f"range:{TEMPERATURE}"
    assert verdict.reason is not None
    for text in (verdict.reason.en, verdict.reason.zh):
        assert f"{low}–{high}" in text
        assert str(value) in text
    assert "Celsius" in verdict.reason.en
    assert "摄氏度" in verdict.reason.zh


def test_a_not_allowed_string_is_refused_with_the_options(policy: SafetyPolicy) -> None:
    verdict = policy.check(
        act("set_wipers", ("Vehicle.Body.Windshield.Front.Wiping.Mode", "TURBO")), state()
    )
    assert verdict.decision == "refuse"
    assert verdict.reason is not None
    assert "RAIN_SENSOR" in verdict.reason.en and "RAIN_SENSOR" in verdict.reason.zh


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ("Vehicle.Speed", 0, "read_only"),
        ("Vehicle.Sped", 0, "unknown_signal"),
        ("Vehicle.Cabin.HVAC.IsAirConditioningActive", "yes", "wrong_type"),
    ],
    ids=["sensor", "unknown", "wrong-type"],
)
def test_catalog_problems_are_refused_with_their_code(
    policy: SafetyPolicy, path: str, value: Value, code: str
) -> None:
    verdict = policy.check(act("x", (path, value)), state())
    assert verdict.decision == "refuse"
    assert verdict.rule == f"{code}:{path}"


def test_cockpit_writes_pass_the_catalog_check(policy: SafetyPolicy) -> None:
    verdict = policy.check(act("navigate_to", ("Cockpit.Navigation.Destination", "Bund")), state())
    assert verdict.allowed


@pytest.mark.parametrize(
    "path",
    ["Vehicle.Cabin.Infotainment.Media.Volume", "Cockpit.Navigation.Destination"],
    ids=["vehicle", "cockpit"],
)
def test_a_plugin_cannot_write(policy: SafetyPolicy, path: str) -> None:
    action = act("plugin_tool", (path, 10 if path.startswith("Vehicle") else "x"), source="plugin")
    verdict = policy.check(action, state())
    assert verdict.decision == "refuse"
    assert verdict.rule == "plugin-writes-nothing-directly"
    # the same write from the engine is fine
    assert policy.check(replace(action, source="engine"), state()).allowed


def test_confirmed_passes_confirm_rules(policy: SafetyPolicy) -> None:
    unlock = act("set_door_lock", (f"{DOOR}.Row1.DriverSide.IsLocked", False))
    assert policy.check(unlock, state(when=DRIVING)).decision == "confirm"
    assert policy.check(replace(unlock, confirmed=True), state(when=DRIVING)).allowed


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.decision == "refuse"],
    ids=[_case_id(c) for c in CASES if c.decision == "refuse"],
)
def test_confirmed_never_passes_refuse_rules(policy: SafetyPolicy, case: Case) -> None:
    verdict = policy.check(replace(case.action, confirmed=True), state(when=case.when))
    assert verdict.decision == "refuse"
    assert verdict.rule == case.rule


def test_confirmed_never_passes_a_range_refusal(policy: SafetyPolicy) -> None:
    action = replace(act("set_temperature", (TEMPERATURE, 40)), confirmed=True)
    assert policy.check(action, state()).decision == "refuse"


def test_refuse_wins_over_confirm_in_one_action(policy: SafetyPolicy) -> None:
    action = act(
        "set_door",
        (f"{DOOR}.Row1.DriverSide.IsLocked", False),
        (f"{DOOR}.Row1.DriverSide.IsOpen", True),
    )
    verdict = policy.check(action, state(when=DRIVING))
    assert (verdict.decision, verdict.rule) == ("refuse", "no-door-opening-while-moving")


def test_speaker_and_when_conditions_of_a_custom_rule(
    tmp_path: Path, profile: VehicleProfile
) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        textwrap.dedent(
            """
            rules:
              - id: rear-no-windows-when-cold
                decision: refuse
                when: {Vehicle.Exterior.AirTemperature: {le: 0}}
                writes: {"Vehicle.Cabin.Door.Row2.*.Window.Position": {gt: 0}}
                speaker: [rear_left, rear_right]
                reason: {en: "Too cold.", zh: "太冷了。"}
            """
        ),
        encoding="utf-8",
    )
    policy = SafetyPolicy.from_file(profile.catalog, rules)
    window = (f"{DOOR}.Row2.DriverSide.Window.Position", 50)
    cold = state(when={"Vehicle.Exterior.AirTemperature": -5})
    assert policy.check(act("w", window, speaker="rear_left"), cold).decision == "refuse"
    assert policy.check(act("w", window, speaker="driver"), cold).allowed
    assert policy.check(act("w", window, speaker="rear_left"), state()).allowed


def test_rules_given_later_decide_from_then_on(profile: VehicleProfile) -> None:
    """The gate works out once which rules can apply to a tool; new rules are not missed."""
    policy = SafetyPolicy(profile.catalog)
    trunk = act("set_trunk", ("Vehicle.Body.Trunk.Rear.IsOpen", True))
    assert policy.check(trunk, state(when=DRIVING)).decision == "refuse"
    policy.rules = ()
    assert policy.check(trunk, state(when=DRIVING)).allowed
    policy.rules = load_rules()
    assert policy.check(trunk, state(when=DRIVING)).decision == "refuse"


BAD_RULES = {
    "unknown-key": """
        rules:
          - id: r
            decision: refuse
            when: {Vehicle.Speed: {gt: 0}}
            colour: red
            reason: {en: "no", zh: "不"}
        """,
    "bad-decision": """
        rules:
          - id: r
            decision: maybe
            when: {Vehicle.Speed: {gt: 0}}
            reason: {en: "no", zh: "不"}
        """,
    "missing-zh-reason": """
        rules:
          - id: r
            decision: refuse
            when: {Vehicle.Speed: {gt: 0}}
            reason: {en: "no"}
        """,
    "matches-nothing": """
        rules:
          - id: r
            decision: refuse
            reason: {en: "no", zh: "不"}
        """,
    "unknown-comparison": """
        rules:
          - id: r
            decision: refuse
            when: {Vehicle.Speed: {bigger: 0}}
            reason: {en: "no", zh: "不"}
        """,
    "unknown-source": """
        rules:
          - id: r
            decision: confirm
            sources: [martians]
            reason: {en: "no", zh: "不"}
        """,
    "bad-yaml": "rules: [\n",
    "no-rules-key": "rulez: []\n",
}


@pytest.mark.parametrize("text", BAD_RULES.values(), ids=BAD_RULES.keys())
def test_malformed_rule_files_raise_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape("rules.yaml")):
        load_rules(path)
