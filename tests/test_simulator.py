"""The simulated car: FORMAT.md's default state, couplings, rejections, subscriptions, the clock
and the battery physics."""

from __future__ import annotations

import asyncio
import re

import pytest

from codriver.errors import CatalogError
from codriver.testing import offline_assistant
from codriver.vehicle import Applied, Rejection, SignalChange, SimClock, SimulatedCar, Value

SIDES = ("Row1.DriverSide", "Row1.PassengerSide", "Row2.DriverSide", "Row2.PassengerSide")
STATIONS = ("Row1.Driver", "Row1.Passenger", "Row2.Driver", "Row2.Passenger")
DOOR = "Vehicle.Cabin.Door"
SEAT = "Vehicle.Cabin.Seat"
HVAC = "Vehicle.Cabin.HVAC"


def _default_state() -> list[tuple[str, Value]]:
    """FORMAT.md, "Default state when not given", one signal at a time, written by hand."""
    pairs: list[tuple[str, Value]] = [
        # parked in gear P (Vehicle.Speed 0) at People's Square, Shanghai (31.2304, 121.4737)
        ("Vehicle.Speed", 0),
        ("Vehicle.Powertrain.Transmission.SelectedGear", 126),
        ("Vehicle.CurrentLocation.Latitude", 31.2304),
        ("Vehicle.CurrentLocation.Longitude", 121.4737),
        # sunroof and trunk closed
        ("Vehicle.Cabin.Sunroof.Position", 0),
        ("Vehicle.Body.Trunk.Rear.IsOpen", False),
        ("Vehicle.Body.Trunk.Rear.Position", 0),
        # shades closed
        ("Vehicle.Cabin.Sunroof.Shade.Position", 0),
        ("Vehicle.Cabin.RearShade.Position", 0),
        # A/C on, recirculation and defrosters off
        (f"{HVAC}.IsAirConditioningActive", True),
        (f"{HVAC}.IsRecirculationActive", False),
        (f"{HVAC}.IsFrontDefrosterActive", False),
        (f"{HVAC}.IsRearDefrosterActive", False),
        # headlights, fog, dome lights off
        ("Vehicle.Body.Lights.Beam.Low.IsOn", False),
        ("Vehicle.Body.Lights.Beam.High.IsOn", False),
        ("Vehicle.Body.Lights.Fog.Front.IsOn", False),
        ("Vehicle.Body.Lights.Fog.Rear.IsOn", False),
        ("Vehicle.Cabin.Light.IsDomeOn", False),
        # wipers "OFF", media stopped (STOP) at volume 30
        ("Vehicle.Body.Windshield.Front.Wiping.Mode", "OFF"),
        ("Vehicle.Cabin.Infotainment.Media.Action", "STOP"),
        ("Vehicle.Cabin.Infotainment.Media.Volume", 30),
        # battery 80 % with 400 km range (400000 m)
        ("Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed", 80),
        ("Vehicle.Powertrain.Range", 400000),
        # outside 15 °C, no rain, driver fatigue and distraction 0
        ("Vehicle.Exterior.AirTemperature", 15),
        ("Vehicle.Body.Raindetection.Intensity", 0),
        ("Vehicle.Driver.FatigueLevel", 0),
        ("Vehicle.Driver.DistractionLevel", 0),
        # driver and front passenger occupied
        (f"{SEAT}.Row1.DriverSide.OccupancyStatus", "OCCUPIED"),
        (f"{SEAT}.Row1.PassengerSide.OccupancyStatus", "OCCUPIED"),
    ]
    for side in SIDES:
        # doors closed and locked, windows closed
        pairs += [
            (f"{DOOR}.{side}.IsOpen", False),
            (f"{DOOR}.{side}.Position", 0),
            (f"{DOOR}.{side}.IsLocked", True),
            (f"{DOOR}.{side}.Window.Position", 0),
            (f"{DOOR}.{side}.Window.IsOpen", False),
            # seat heating and massage off
            (f"{SEAT}.{side}.HeatingCooling", 0),
            (f"{SEAT}.{side}.Massage.Level", 0),
            # ambient lights off
            (f"Vehicle.Cabin.Light.AmbientLight.{side}.IsLightOn", False),
        ]
    for side in ("Row2.DriverSide", "Row2.PassengerSide"):
        pairs.append((f"{DOOR}.{side}.Shade.Position", 0))
    for station in STATIONS:
        # all HVAC set points 22 °C with fan 30
        pairs += [
            (f"{HVAC}.Station.{station}.Temperature", 22),
            (f"{HVAC}.Station.{station}.FanSpeed", 30),
        ]
    return pairs


DEFAULTS = _default_state()


@pytest.mark.parametrize(("path", "expected"), DEFAULTS, ids=[p for p, _ in DEFAULTS])
def test_default_state_is_formats(car: SimulatedCar, path: str, expected: Value) -> None:
    actual = car.value(path)
    if isinstance(expected, bool | str):
        assert actual == expected
        assert type(actual) is type(expected)
    else:
        assert actual == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("side", ["Row2.DriverSide", "Row2.PassengerSide"])
def test_rear_seats_are_not_occupied_by_default(car: SimulatedCar, side: str) -> None:
    assert car.value(f"{SEAT}.{side}.OccupancyStatus") != "OCCUPIED"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Cockpit.Navigation.Destination", ""),
        ("Cockpit.Navigation.Waypoints", []),
        ("Cockpit.Timers", []),
        ("Cockpit.Reminders", []),
        ("Cockpit.Rules", []),
    ],
    ids=["destination", "waypoints", "timers", "reminders", "rules"],
)
def test_no_destination_timers_reminders_or_rules_by_default(path: str, expected: Value) -> None:
    assert asyncio.run(offline_assistant().read(path)) == expected


def test_the_default_range_follows_from_battery_and_consumption(car: SimulatedCar) -> None:
    profile = car.profile
    kwh = profile.battery_capacity_kwh * 80 / 100
    assert car.value("Vehicle.Powertrain.Range") == pytest.approx(
        kwh / profile.consumption_kwh_per_100km * 100 * 1000
    )


def test_given_values_override_defaults() -> None:
    car = SimulatedCar(values={"Vehicle.Speed": 60, f"{HVAC}.Station.Row1.Driver.Temperature": 18})
    assert car.value("Vehicle.Speed") == 60
    assert car.value(f"{HVAC}.Station.Row1.Driver.Temperature") == 18


def test_bad_given_values_raise() -> None:
    with pytest.raises(CatalogError, match=re.escape("Vehicle.Sped")):
        SimulatedCar(values={"Vehicle.Sped": 60})


def test_reading_an_unknown_signal_raises(car: SimulatedCar) -> None:
    with pytest.raises(CatalogError):
        car.value("Vehicle.Nope")


def command(car: SimulatedCar, path: str, value: Value) -> Applied:
    result = asyncio.run(car.set(path, value))
    assert isinstance(result, Applied), result
    return result


WINDOW = f"{DOOR}.Row1.PassengerSide.Window"


@pytest.mark.parametrize(
    ("position", "is_open"), [(50, True), (100, True), (1, True)], ids=["half", "full", "crack"]
)
def test_window_position_sets_is_open(car: SimulatedCar, position: int, is_open: bool) -> None:
    command(car, f"{WINDOW}.Position", position)
    assert car.value(f"{WINDOW}.IsOpen") is is_open
    command(car, f"{WINDOW}.Position", 0)
    assert car.value(f"{WINDOW}.IsOpen") is False


def test_window_is_open_sets_position(car: SimulatedCar) -> None:
    command(car, f"{WINDOW}.IsOpen", True)
    assert car.value(f"{WINDOW}.Position") == 100
    command(car, f"{WINDOW}.IsOpen", False)
    assert car.value(f"{WINDOW}.Position") == 0


def test_is_open_keeps_a_partial_position_that_already_agrees(car: SimulatedCar) -> None:
    command(car, f"{WINDOW}.Position", 40)
    command(car, f"{WINDOW}.IsOpen", True)
    assert car.value(f"{WINDOW}.Position") == 40


def test_window_switch_moves_the_window(car: SimulatedCar) -> None:
    command(car, f"{WINDOW}.Switch", "OPEN")
    assert car.value(f"{WINDOW}.Position") == 100
    assert car.value(f"{WINDOW}.IsOpen") is True
    command(car, f"{WINDOW}.Switch", "CLOSE")
    assert car.value(f"{WINDOW}.Position") == 0


@pytest.mark.parametrize(
    ("switch", "position"),
    [("OPEN", 100), ("CLOSE", 0), ("TILT_UP", -100)],
    ids=["open", "close", "tilt"],
)
def test_sunroof_switch_sets_its_position(car: SimulatedCar, switch: str, position: int) -> None:
    if switch == "CLOSE":
        command(car, "Vehicle.Cabin.Sunroof.Switch", "OPEN")
    command(car, "Vehicle.Cabin.Sunroof.Switch", switch)
    assert car.value("Vehicle.Cabin.Sunroof.Position") == position


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (f"{DOOR}.Row2.PassengerSide.IsOpen", True),
        (f"{DOOR}.Row2.PassengerSide.Position", 30),
    ],
    ids=["is-open", "position"],
)
def test_opening_a_door_unlocks_it(car: SimulatedCar, path: str, value: Value) -> None:
    item = f"{DOOR}.Row2.PassengerSide"
    result = command(car, path, value)
    assert car.value(f"{item}.IsLocked") is False
    assert car.value(f"{item}.IsOpen") is True
    assert {c.path for c in result.changes} >= {f"{item}.IsLocked", f"{item}.IsOpen"}
    assert all(c.source == "vehicle" for c in result.changes if c.path != path)
    # the other doors stay locked
    assert car.value(f"{DOOR}.Row1.DriverSide.IsLocked") is True


def test_opening_the_trunk_unlocks_it(car: SimulatedCar) -> None:
    command(car, "Vehicle.Body.Trunk.Rear.IsOpen", True)
    assert car.value("Vehicle.Body.Trunk.Rear.IsLocked") is False


def test_closing_a_door_does_not_unlock_it(car: SimulatedCar) -> None:
    command(car, f"{DOOR}.Row1.DriverSide.IsOpen", False)
    assert car.value(f"{DOOR}.Row1.DriverSide.IsLocked") is True


def test_opening_a_window_does_not_unlock_its_door(car: SimulatedCar) -> None:
    command(car, f"{DOOR}.Row1.DriverSide.Window.Position", 100)
    assert car.value(f"{DOOR}.Row1.DriverSide.IsLocked") is True


@pytest.mark.parametrize(("level", "status"), [(60, "ON"), (0, "OFF")], ids=["on", "off"])
def test_massage_level_sets_its_status(car: SimulatedCar, level: int, status: str) -> None:
    massage = f"{SEAT}.Row1.DriverSide.Massage"
    if level == 0:
        command(car, f"{massage}.Level", 40)
    command(car, f"{massage}.Level", level)
    assert car.value(f"{massage}.Status") == status


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        (f"{HVAC}.Station.Row1.Driver.Temperature", 40, "out_of_range"),
        (f"{HVAC}.Station.Row1.Driver.Temperature", 10, "out_of_range"),
        (f"{WINDOW}.Position", 150, "out_of_range"),
        ("Vehicle.Cabin.Infotainment.Media.Volume", -1, "out_of_range"),
        ("Vehicle.Body.Windshield.Front.Wiping.Mode", "TURBO", "not_allowed"),
        ("Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Color", "blue", "not_allowed"),
        ("Vehicle.Cabin.HVAC.IsAirConditioningActive", 1, "wrong_type"),
        ("Vehicle.Speed", 30, "read_only"),
        ("Vehicle.Nope", 1, "unknown_signal"),
    ],
    ids=[
        "too-hot",
        "too-cold",
        "window-150",
        "volume-negative",
        "wiper-mode",
        "color-name",
        "bool-as-int",
        "sensor",
        "unknown",
    ],
)
def test_a_bad_write_is_a_rejection_and_changes_nothing(
    car: SimulatedCar, path: str, value: Value, code: str
) -> None:
    before = car.values()
    heard: list[SignalChange] = []
    car.subscribe(heard.append)
    result = asyncio.run(car.set(path, value))
    assert isinstance(result, Rejection)
    assert result.code == code
    assert car.values() == before
    assert heard == []


def test_writes_are_canonicalised(car: SimulatedCar) -> None:
    result = command(car, "Vehicle.Body.Windshield.Front.Wiping.Mode", "fast")
    assert result.value == "FAST"
    assert car.value("Vehicle.Body.Windshield.Front.Wiping.Mode") == "FAST"


def test_the_world_feeds_sensors(car: SimulatedCar) -> None:
    results = asyncio.run(
        car.feed({"Vehicle.Speed": 80, "Vehicle.Body.Raindetection.Intensity": 40})
    )
    assert all(isinstance(r, Applied) for r in results)
    assert all(c.source == "world" for r in results for c in r.changes)  # type: ignore[union-attr]
    assert car.value("Vehicle.Speed") == 80


def test_subscriptions_get_changes_under_their_prefixes(car: SimulatedCar) -> None:
    hvac: list[SignalChange] = []
    everything: list[SignalChange] = []
    car.subscribe(hvac.append, ["Vehicle.Cabin.HVAC"])
    car.subscribe(everything.append)
    command(car, f"{HVAC}.Station.Row1.Driver.Temperature", 24)
    command(car, "Vehicle.Cabin.Infotainment.Media.Volume", 50)
    assert [(c.path, c.old, c.new, c.source) for c in hvac] == [
        (f"{HVAC}.Station.Row1.Driver.Temperature", 22, 24, "command")
    ]
    assert [c.path for c in everything] == [
        f"{HVAC}.Station.Row1.Driver.Temperature",
        "Vehicle.Cabin.Infotainment.Media.Volume",
    ]


def test_a_prefix_is_a_whole_branch_name(car: SimulatedCar) -> None:
    heard: list[SignalChange] = []
    car.subscribe(heard.append, ["Vehicle.Cabin.HVA"])
    command(car, f"{HVAC}.Station.Row1.Driver.Temperature", 24)
    assert heard == []


def test_a_cancelled_subscription_hears_nothing_more(car: SimulatedCar) -> None:
    heard: list[SignalChange] = []
    subscription = car.subscribe(heard.append)
    command(car, "Vehicle.Cabin.Infotainment.Media.Volume", 50)
    subscription.cancel()
    command(car, "Vehicle.Cabin.Infotainment.Media.Volume", 60)
    assert [c.new for c in heard] == [50]


def test_writing_the_same_value_reports_no_change(car: SimulatedCar) -> None:
    result = command(car, "Vehicle.Cabin.Infotainment.Media.Volume", 30)
    assert result.changes == ()


def test_clock_runs_callbacks_in_time_order_at_their_time() -> None:
    clock = SimClock(start=1000.0)
    fired: list[tuple[str, float]] = []
    clock.call_later(30, lambda: fired.append(("b", clock.now())))
    clock.call_later(10, lambda: fired.append(("a", clock.now())))
    clock.call_at(1030.0, lambda: fired.append(("c", clock.now())))  # same time: scheduled later
    clock.call_later(100, lambda: fired.append(("late", clock.now())))
    asyncio.run(clock.advance(60))
    assert fired == [("a", 1010.0), ("b", 1030.0), ("c", 1030.0)]
    assert clock.now() == 1060.0
    asyncio.run(clock.advance(40))
    assert fired[-1] == ("late", 1100.0)


def test_clock_cancel_and_async_callbacks() -> None:
    clock = SimClock(start=0.0)
    fired: list[str] = []

    async def later() -> None:
        fired.append("async")

    handle = clock.call_later(5, lambda: fired.append("cancelled"))
    clock.call_later(6, later)
    handle.cancel()
    asyncio.run(clock.advance(10))
    assert fired == ["async"]


def test_callbacks_scheduled_while_advancing_fire_in_the_same_advance() -> None:
    clock = SimClock(start=0.0)
    fired: list[float] = []

    def first() -> None:
        fired.append(clock.now())
        clock.call_later(5, lambda: fired.append(clock.now()))

    clock.call_later(5, first)
    asyncio.run(clock.advance(20))
    assert fired == [5.0, 10.0]


def test_tickers_see_every_stretch_of_time() -> None:
    clock = SimClock(start=0.0)
    elapsed: list[float] = []
    clock.on_tick(elapsed.append)
    clock.call_later(15, lambda: None)
    asyncio.run(clock.advance(60))
    assert elapsed == [15.0, 45.0]
    assert sum(elapsed) == 60.0


def test_time_cannot_go_backwards() -> None:
    with pytest.raises(ValueError):
        asyncio.run(SimClock().advance(-1))


def test_an_hour_at_100_kmh_drains_battery_and_range_consistently(car: SimulatedCar) -> None:
    profile = car.profile
    soc = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
    car.feed_now({"Vehicle.Speed": 100})
    start_soc = car.value(soc)
    start_range = car.value("Vehicle.Powertrain.Range")
    assert isinstance(start_soc, int | float) and isinstance(start_range, int | float)
    asyncio.run(car.clock.advance(3600))

    used_kwh = 100 * profile.consumption_kwh_per_100km / 100
    expected_soc = start_soc - 100 * used_kwh / profile.battery_capacity_kwh
    assert car.value(soc) == pytest.approx(expected_soc, abs=0.01)
    remaining_kwh = profile.battery_capacity_kwh * expected_soc / 100
    expected_range_m = remaining_kwh / profile.consumption_kwh_per_100km * 100 * 1000
    assert car.value("Vehicle.Powertrain.Range") == pytest.approx(expected_range_m, abs=10)
    # 100 km driven take 100 km off the range
    assert start_range - car.value("Vehicle.Powertrain.Range") == pytest.approx(100_000, abs=10)


def test_standing_still_uses_no_battery(car: SimulatedCar) -> None:
    before = car.value("Vehicle.Powertrain.Range")
    asyncio.run(car.clock.advance(3600))
    assert car.value("Vehicle.Powertrain.Range") == before


def test_cabin_air_drifts_towards_the_driver_set_point(car: SimulatedCar) -> None:
    air = "Vehicle.Cabin.HVAC.AmbientAirTemperature"
    command(car, f"{HVAC}.Station.Row1.Driver.Temperature", 28)
    start = car.value(air)
    assert isinstance(start, int | float)
    asyncio.run(car.clock.advance(60))
    middle = car.value(air)
    assert isinstance(middle, int | float)
    assert start < middle < 28
    asyncio.run(car.clock.advance(3600))
    assert car.value(air) == pytest.approx(28, abs=0.01)
