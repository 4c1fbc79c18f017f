"""Tools: schemas from signatures, argument validation, and the writes representative tools
propose (zones, relative changes clamped to the car's limits)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from codriver.safety import Write
from codriver.tools import ArgumentProblem, Effect, Tool, ToolContext, default_toolbox, tool
from codriver.vehicle import SimulatedCar, Value, VehicleProfile
from codriver.vehicle.seats import Seat

TOOLBOX = default_toolbox()
TOOLS = list(TOOLBOX)
HVAC = "Vehicle.Cabin.HVAC.Station"
DOOR = "Vehicle.Cabin.Door"


def test_the_default_toolbox_covers_every_domain() -> None:
    domains = {t.domain for t in TOOLS}
    documented = {"climate", "body", "seats", "lights", "media", "navigation", "phone", "drive"}
    assert domains >= documented
    assert len(TOOLBOX.names()) == len(TOOLS)


@pytest.mark.parametrize("item", TOOLS, ids=[t.name for t in TOOLS])
def test_every_tool_is_described_with_an_object_schema(item: Tool) -> None:
    assert item.description.strip()
    schema = item.parameters
    assert schema["type"] == "object"
    assert schema.get("additionalProperties") is False
    for name, prop in schema.get("properties", {}).items():
        assert prop.get("description", "").strip(), f"{item.name}.{name} has no description"
    for name in schema.get("required", []):
        assert name in schema["properties"]


def test_a_tool_needs_a_context_and_type_hints() -> None:
    with pytest.raises(TypeError, match="ToolContext"):

        @tool("test")
        def no_context(level: int) -> Effect:  # pragma: no cover - never called
            return Effect()

    with pytest.raises(TypeError, match="type hint"):

        @tool("test")
        def no_hint(ctx: ToolContext, level) -> Effect:  # type: ignore[no-untyped-def]  # pragma: no cover
            return Effect()


def test_schema_and_description_come_from_the_signature_and_docstring() -> None:
    @tool("test")
    def dim(ctx: ToolContext, level: int, room: str = "cabin") -> Effect:
        """Dim the lights.

        Args:
            level: brightness in percent.
            room: which room.
        """
        return Effect()

    assert dim.name == "dim"
    assert dim.description == "Dim the lights."
    props = dim.parameters["properties"]
    assert props["level"]["type"] == "integer"
    assert props["level"]["description"] == "brightness in percent."
    assert props["room"]["default"] == "cabin"
    assert dim.parameters["required"] == ["level"]


@pytest.mark.parametrize(
    ("name", "args", "mentions"),
    [
        ("set_temperature", {"celsius": "hot"}, "celsius"),
        ("set_temperature", {}, "celsius"),
        ("set_temperature", {"celsius": 22, "fahrenheit": 70}, "fahrenheit"),
        ("set_window", {"position": 50.5}, "position"),
        ("set_window", {"position": True}, "position"),
        ("set_temperature", {"celsius": False}, "celsius"),
        ("set_window", {"position": 50, "window": "roof"}, "window"),
        ("set_door_lock", {"locked": "maybe"}, "locked"),
        ("set_wipers", {"mode": "TURBO"}, "mode"),
        ("navigate_to", {"place": ["a", "b"]}, "place"),
    ],
    ids=[
        "text-for-number",
        "missing",
        "unknown-arg",
        "fraction-for-int",
        "bool-for-int",
        "bool-for-float",
        "unknown-zone",
        "text-for-bool",
        "unknown-mode",
        "list-for-text",
    ],
)
def test_bad_arguments_are_an_argument_problem(
    name: str, args: Mapping[str, object], mentions: str
) -> None:
    item = TOOLBOX.get(name)
    assert item is not None
    problem = item.validate(args)
    assert isinstance(problem, ArgumentProblem)
    assert problem.tool == name
    assert mentions in problem.message


def test_good_arguments_are_filled_with_defaults() -> None:
    item = TOOLBOX.get("set_window")
    assert item is not None
    assert item.validate({"position": 50}) == {"position": 50, "window": None}


@pytest.fixture
def ctx(profile: VehicleProfile) -> Any:
    """Builds a tool context on the default car state with some signals changed."""

    def make(speaker: Seat = "driver", **changes: Value) -> ToolContext:
        state: dict[str, Value | None] = dict(SimulatedCar(profile=profile).values())
        state.update({k.replace("__", "."): v for k, v in changes.items()})
        return ToolContext(state, speaker, "en", None, profile.catalog)

    return make


def run(name: str, context: ToolContext, **args: object) -> dict[str, Value]:
    item = TOOLBOX.get(name)
    assert item is not None
    checked = item.validate(args)
    assert not isinstance(checked, ArgumentProblem), checked
    effect = item.run(context, checked)
    assert all(isinstance(w, Write) for w in effect.writes)
    return {w.path: w.value for w in effect.writes}


@pytest.mark.parametrize(
    ("speaker", "station"),
    [
        ("driver", "Row1.Driver"),
        ("passenger", "Row1.Passenger"),
        ("rear_left", "Row2.Driver"),
        ("rear_right", "Row2.Passenger"),
    ],
    ids=["driver", "passenger", "rear_left", "rear_right"],
)
def test_zone_defaults_to_the_speakers_seat(ctx: Any, speaker: Seat, station: str) -> None:
    assert run("set_temperature", ctx(speaker), celsius=24) == {f"{HVAC}.{station}.Temperature": 24}


@pytest.mark.parametrize(
    ("zone", "stations"),
    [
        ("all", ["Row1.Driver", "Row1.Passenger", "Row2.Driver", "Row2.Passenger"]),
        ("front", ["Row1.Driver", "Row1.Passenger"]),
        ("rear", ["Row2.Driver", "Row2.Passenger"]),
        ("rear_right", ["Row2.Passenger"]),
    ],
    ids=["all", "front", "rear", "one-seat"],
)
def test_zone_groups_expand(ctx: Any, zone: str, stations: list[str]) -> None:
    writes = run("set_temperature", ctx("passenger"), celsius=20, zone=zone)
    assert writes == {f"{HVAC}.{s}.Temperature": 20 for s in stations}


def test_window_defaults_to_the_speakers_window(ctx: Any) -> None:
    writes = run("set_window", ctx("rear_left"), position=50)
    assert writes == {f"{DOOR}.Row2.DriverSide.Window.Position": 50}


def test_fan_speed_defaults_to_every_zone(ctx: Any) -> None:
    writes = run("set_fan_speed", ctx("passenger"), level=60)
    assert len(writes) == 4
    assert set(writes.values()) == {60}


@pytest.mark.parametrize(
    ("name", "args", "changes", "path", "expected"),
    [
        ("adjust_temperature", {"delta": 20}, {}, f"{HVAC}.Row1.Driver.Temperature", 32),
        ("adjust_temperature", {"delta": -20}, {}, f"{HVAC}.Row1.Driver.Temperature", 16),
        ("adjust_temperature", {"delta": 2}, {}, f"{HVAC}.Row1.Driver.Temperature", 24),
        ("adjust_window", {"delta": -30}, {}, f"{DOOR}.Row1.DriverSide.Window.Position", 0),
        (
            "adjust_window",
            {"delta": 30},
            {f"{DOOR}__Row1__DriverSide__Window__Position": 90},
            f"{DOOR}.Row1.DriverSide.Window.Position",
            100,
        ),
        ("adjust_volume", {"delta": 100}, {}, "Vehicle.Cabin.Infotainment.Media.Volume", 100),
        ("adjust_volume", {"delta": -10}, {}, "Vehicle.Cabin.Infotainment.Media.Volume", 20),
        ("adjust_fan_speed", {"delta": -50}, {}, f"{HVAC}.Row1.Driver.FanSpeed", 0),
        (
            "adjust_seat_climate",
            {"delta": 150},
            {},
            "Vehicle.Cabin.Seat.Row1.DriverSide.HeatingCooling",
            100,
        ),
        (
            "adjust_recline",
            {"delta": 100},
            {},
            "Vehicle.Cabin.Seat.Row1.DriverSide.Backrest.Recline",
            45,
        ),
        (
            "adjust_ambient_brightness",
            {"delta": -200},
            {},
            "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Intensity",
            1,
        ),
    ],
    ids=[
        "warmer-clamped-32",
        "cooler-clamped-16",
        "warmer",
        "window-clamped-0",
        "window-clamped-100",
        "volume-clamped-100",
        "volume-down",
        "fan-clamped-0",
        "seat-heat-clamped",
        "recline-clamped-45",
        "ambient-clamped-1",
    ],
)
def test_relative_tools_clamp_to_limits(
    ctx: Any,
    name: str,
    args: dict[str, object],
    changes: dict[str, Value],
    path: str,
    expected: float,
) -> None:
    writes = run(name, ctx(**changes), **args)
    assert writes[path] == expected


def test_relative_temperature_uses_the_fallback_range_without_a_catalog() -> None:
    bare = ToolContext({f"{HVAC}.Row1.Driver.Temperature": 30}, "driver")
    assert run("adjust_temperature", bare, delta=10) == {f"{HVAC}.Row1.Driver.Temperature": 32}


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("set_sunroof", {"action": "TILT_UP"}, {"Vehicle.Cabin.Sunroof.Switch": "TILT_UP"}),
        (
            "set_door_lock",
            {"locked": False},
            {
                f"{DOOR}.{s}.IsLocked": False
                for s in (
                    "Row1.DriverSide",
                    "Row1.PassengerSide",
                    "Row2.DriverSide",
                    "Row2.PassengerSide",
                )
            },
        ),
        ("set_trunk", {"open": True}, {"Vehicle.Body.Trunk.Rear.IsOpen": True}),
        (
            "set_headlights",
            {"on": True, "beam": "high"},
            {"Vehicle.Body.Lights.Beam.High.IsOn": True},
        ),
        (
            "set_fog_lights",
            {"on": True, "which": "rear"},
            {"Vehicle.Body.Lights.Fog.Rear.IsOn": True},
        ),
        (
            "set_shade",
            {"position": 100, "shade": "side"},
            {
                f"{DOOR}.Row2.DriverSide.Shade.Position": 100,
                f"{DOOR}.Row2.PassengerSide.Shade.Position": 100,
            },
        ),
        (
            "control_playback",
            {"action": "STOP"},
            {"Vehicle.Cabin.Infotainment.Media.Action": "STOP"},
        ),
        (
            "play_media",
            {"query": "jazz"},
            {
                "Cockpit.Media.Query": "jazz",
                "Vehicle.Cabin.Infotainment.Media.Action": "PLAY",
                "Cockpit.Media.Video": "",
            },
        ),
        (
            "navigate_to",
            {"place": "the Bund"},
            {"Cockpit.Navigation.Destination": "the Bund", "Cockpit.Navigation.Waypoints": []},
        ),
        ("set_wipers", {"mode": "FAST"}, {"Vehicle.Body.Windshield.Front.Wiping.Mode": "FAST"}),
    ],
    ids=[
        "sunroof",
        "unlock-all",
        "trunk",
        "high-beam",
        "rear-fog",
        "side-shades",
        "pause",
        "play",
        "navigate",
        "wipers",
    ],
)
def test_tools_propose_the_right_writes(
    ctx: Any, name: str, args: dict[str, object], expected: dict[str, Value]
) -> None:
    assert run(name, ctx(), **args) == expected


def test_add_waypoint_appends_to_an_active_route(ctx: Any) -> None:
    context = ctx(
        Cockpit__Navigation__Destination="Pudong Airport", Cockpit__Navigation__Waypoints=["Bund"]
    )
    assert run("add_waypoint", context, place="cafe") == {
        "Cockpit.Navigation.Waypoints": ["Bund", "cafe"]
    }


@pytest.mark.parametrize("name", ["cancel_navigation", "hang_up"])
def test_nothing_to_cancel_is_an_answer_without_writes(ctx: Any, name: str) -> None:
    state = {"Cockpit.Navigation.Destination": "", "Cockpit.Phone.Call": ""}
    item = TOOLBOX.get(name)
    assert item is not None
    effect = item.run(ToolContext(state), {})
    assert effect.writes == ()
    assert effect.answer is not None


def test_tool_replies_exist_in_both_languages(ctx: Any) -> None:
    item = TOOLBOX.get("set_temperature")
    assert item is not None
    effect = item.run(ctx("passenger"), {"celsius": 24, "zone": None})
    assert effect.done is not None
    assert "24" in effect.done.en and "passenger" in effect.done.en
    assert "24" in effect.done.zh and "副驾" in effect.done.zh
