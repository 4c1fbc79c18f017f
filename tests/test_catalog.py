"""The VSS catalog: loading, datatype coercion, ranges, rejections and a vehicle's narrowing."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from codriver.errors import CatalogError
from codriver.vehicle import Catalog, Rejection, SignalSpec, VehicleProfile
from codriver.vehicle.catalog import Limit

ROOT = Path(__file__).resolve().parent.parent

SIDES = ("Row1.DriverSide", "Row1.PassengerSide", "Row2.DriverSide", "Row2.PassengerSide")
STATIONS = ("Row1.Driver", "Row1.Passenger", "Row2.Driver", "Row2.Passenger")

# Every signal FORMAT.md names (its tables, conventions and default state), written out by hand.
FORMAT_SIGNALS = [
    "Vehicle.Speed",
    "Vehicle.Powertrain.Transmission.SelectedGear",
    "Vehicle.Powertrain.Range",
    "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed",
    "Vehicle.CurrentLocation.Latitude",
    "Vehicle.CurrentLocation.Longitude",
    "Vehicle.Cabin.Sunroof.Position",
    "Vehicle.Cabin.Sunroof.Switch",
    "Vehicle.Cabin.HVAC.IsAirConditioningActive",
    "Vehicle.Cabin.HVAC.IsRecirculationActive",
    "Vehicle.Cabin.HVAC.IsFrontDefrosterActive",
    "Vehicle.Cabin.HVAC.IsRearDefrosterActive",
    "Vehicle.Body.Lights.Beam.Low.IsOn",
    "Vehicle.Body.Lights.Beam.High.IsOn",
    "Vehicle.Body.Lights.Fog.Front.IsOn",
    "Vehicle.Body.Lights.Fog.Rear.IsOn",
    "Vehicle.Cabin.Light.IsDomeOn",
    "Vehicle.Body.Windshield.Front.Wiping.Mode",
    "Vehicle.Cabin.Infotainment.Media.Action",
    "Vehicle.Cabin.Infotainment.Media.Volume",
    "Vehicle.Exterior.AirTemperature",
    "Vehicle.Body.Raindetection.Intensity",
    "Vehicle.Driver.FatigueLevel",
    "Vehicle.Driver.DistractionLevel",
    "Vehicle.Body.Trunk.Rear.Position",
    "Vehicle.Body.Trunk.Rear.IsOpen",
    *(
        f"Vehicle.Cabin.HVAC.Station.{s}.{leaf}"
        for s in STATIONS
        for leaf in ("Temperature", "FanSpeed")
    ),
    *(
        f"Vehicle.Cabin.Door.{s}.{leaf}"
        for s in SIDES
        for leaf in ("IsOpen", "Position", "IsLocked", "Window.Position", "Window.IsOpen")
    ),
    *(
        f"Vehicle.Cabin.Seat.{s}.{leaf}"
        for s in SIDES
        for leaf in ("HeatingCooling", "Massage.Level", "OccupancyStatus")
    ),
    *(
        f"Vehicle.Cabin.Light.AmbientLight.{s}.{leaf}"
        for s in SIDES
        for leaf in ("IsLightOn", "Intensity", "Color")
    ),
]


def test_packaged_catalog_loads_with_its_origin(catalog: Catalog) -> None:
    assert len(catalog) > 100
    assert "MPL" in catalog.origin["license"]
    assert all(spec.kind in ("sensor", "actuator", "attribute") for spec in catalog)


@pytest.mark.parametrize("path", FORMAT_SIGNALS, ids=FORMAT_SIGNALS)
def test_every_signal_format_md_names_exists(catalog: Catalog, path: str) -> None:
    assert path in catalog


@pytest.mark.parametrize(
    "text",
    [
        '{"signals": [{"path": "A.B"}]}',
        '[["A.B", "sensor", "boolean"]]',
        '{"columns": ["path", "type"], "signals": [["A.B", "sensor", "boolean"]]}',
        '{"columns": ["path", "type", "datatype"], "signals": ["A.B"]}',
    ],
    ids=["object-missing-fields", "not-an-object", "row-longer-than-columns", "row-not-a-list"],
)
def test_a_broken_catalog_file_raises_catalog_error(tmp_path: Path, text: str) -> None:
    bad = tmp_path / "catalog.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="catalog"):
        Catalog.load(bad)


def test_a_catalog_file_may_list_signals_as_rows_or_as_objects(tmp_path: Path) -> None:
    rows = tmp_path / "rows.json"
    rows.write_text(
        '{"columns": ["path", "type", "datatype", "unit", "min", "max"],'
        ' "signals": [["A.Speed", "sensor", "float", "km/h", 0, 250]]}',
        encoding="utf-8",
    )
    objects = tmp_path / "objects.json"
    objects.write_text(
        '{"signals": [{"path": "A.Speed", "type": "sensor", "datatype": "float",'
        ' "unit": "km/h", "min": 0, "max": 250}]}',
        encoding="utf-8",
    )
    for file in (rows, objects):
        speed = Catalog.load(file).spec("A.Speed")
        assert (speed.kind, speed.unit, speed.bounds()) == ("sensor", "km/h", (0, 250))


def spec(datatype: str, **kw: object) -> SignalSpec:
    return SignalSpec("Test.Signal", "actuator", datatype, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("datatype", "value", "expected"),
    [
        ("boolean", True, True),
        ("boolean", False, False),
        ("uint8", 3.0, 3),
        ("int8", -5, -5),
        ("float", 3, 3.0),
        ("double", 2.5, 2.5),
        ("string", "hello", "hello"),
        ("string[]", ["a", "b"], ["a", "b"]),
    ],
    ids=[
        "bool-true",
        "bool-false",
        "int-from-whole-float",
        "int8-negative",
        "float-from-int",
        "double",
        "string",
        "string-array",
    ],
)
def test_coerce_accepts_values_of_the_datatype(
    datatype: str, value: object, expected: object
) -> None:
    result = spec(datatype).coerce(value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("datatype", "value"),
    [
        ("boolean", 1),
        ("boolean", "true"),
        ("uint8", True),
        ("float", False),
        ("uint8", 3.5),
        ("float", "21"),
        ("float", math.nan),
        ("double", math.inf),
        ("int16", -math.inf),
        ("string", 5),
        ("string[]", ["a", 1]),
        ("string[]", "a"),
    ],
    ids=[
        "bool-from-int",
        "bool-from-text",
        "int-from-bool",
        "float-from-bool",
        "int-fraction",
        "float-from-text",
        "nan",
        "inf",
        "minus-inf",
        "text-from-int",
        "array-with-number",
        "array-from-text",
    ],
)
def test_coerce_rejects_values_of_another_type(datatype: str, value: object) -> None:
    result = spec(datatype).coerce(value)
    assert isinstance(result, Rejection)
    assert result.code == "wrong_type"
    assert result.path == "Test.Signal"


@pytest.mark.parametrize(
    ("datatype", "inside", "outside"),
    [
        ("uint8", [0, 255], [256, -1]),
        ("int8", [-128, 127], [128, -129]),
        ("uint16", [65535], [65536]),
        ("int16", [-32768], [-32769]),
    ],
    ids=["uint8", "int8", "uint16", "int16"],
)
def test_integer_datatypes_have_their_own_range(
    datatype: str, inside: list[int], outside: list[int]
) -> None:
    for value in inside:
        assert spec(datatype).coerce(value) == value
    for value in outside:
        result = spec(datatype).coerce(value)
        assert isinstance(result, Rejection), value
        assert result.code == "out_of_range"


def test_min_and_max_bound_a_float() -> None:
    bounded = spec("float", min=16, max=32, unit="Celsius")
    assert bounded.coerce(16) == 16.0
    assert bounded.coerce(32.0) == 32.0
    for value in (15.9, 32.1):
        result = bounded.coerce(value)
        assert isinstance(result, Rejection)
        assert result.code == "out_of_range"
        assert result.accepted == "16–32 Celsius"


def test_min_and_max_narrow_the_datatype_range_but_never_widen_it() -> None:
    assert spec("uint8", min=-10, max=1000).bounds() == (0, 255)
    assert spec("uint8", min=10, max=20).bounds() == (10, 20)
    assert spec("float").bounds() == (None, None)


@pytest.mark.parametrize(
    ("given", "canonical"),
    [("OFF", "OFF"), ("off", "OFF"), ("Rain_Sensor", "RAIN_SENSOR")],
    ids=["exact", "lower-case", "mixed-case"],
)
def test_allowed_strings_are_canonicalised_case_insensitively(given: str, canonical: str) -> None:
    wipers = spec("string", allowed=("OFF", "SLOW", "RAIN_SENSOR"))
    assert wipers.coerce(given) == canonical


def test_a_string_outside_the_allowed_values_is_not_allowed() -> None:
    result = spec("string", allowed=("OFF", "SLOW")).coerce("TURBO")
    assert isinstance(result, Rejection)
    assert result.code == "not_allowed"
    assert "OFF, SLOW" in result.message
    assert result.accepted == "OFF, SLOW"


@pytest.mark.parametrize(
    ("signal", "accepted"),
    [
        (spec("string", allowed=("OFF", "SLOW", "FAST")), "OFF, SLOW, FAST"),
        (spec("float", min=16, max=32, unit="Celsius"), "16–32 Celsius"),
        (spec("uint8", max=100, unit="percent"), "0–100 percent"),
        (spec("int8", min=-100, max=100), "-100–100"),
        (spec("float", min=0.5, max=2.5), "0.5–2.5"),
        (spec("float"), None),
        (spec("boolean"), None),
        (spec("string"), None),
    ],
    ids=[
        "allowed",
        "float-range-unit",
        "uint8-max-only",
        "int8-no-unit",
        "fractional-bounds",
        "unbounded-float",
        "boolean",
        "free-text",
    ],
)
def test_accepted_says_what_is_accepted(signal: SignalSpec, accepted: str | None) -> None:
    assert signal.accepted() == accepted


def test_unknown_signal_is_a_rejection_with_a_did_you_mean_hint(catalog: Catalog) -> None:
    result = catalog.validate("Vehicle.Sped", 10)
    assert isinstance(result, Rejection)
    assert result.code == "unknown_signal"
    assert "did you mean Vehicle.Speed" in result.message


def test_unknown_signal_far_from_any_gives_no_hint(catalog: Catalog) -> None:
    result = catalog.validate("Completely.Different", 10)
    assert isinstance(result, Rejection)
    assert "did you mean" not in result.message


def test_spec_of_an_unknown_signal_raises_with_the_hint(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match=re.escape("did you mean Vehicle.Speed")):
        catalog.spec("Vehicle.Sped")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("Vehicle.Speed", 50),
        ("Vehicle.Cabin.Sunroof.Position", 100),
        ("Vehicle.Cabin.Seat.Row1.DriverSide.OccupancyStatus", "EMPTY"),
    ],
    ids=["speed", "sunroof-position", "occupancy"],
)
def test_sensors_are_read_only_for_commands_but_not_for_the_world(
    catalog: Catalog, path: str, value: object
) -> None:
    commanded = catalog.validate(path, value, write=True)
    assert isinstance(commanded, Rejection)
    assert commanded.code == "read_only"
    assert not isinstance(catalog.validate(path, value), Rejection)


def test_actuators_can_be_commanded(catalog: Catalog) -> None:
    path = "Vehicle.Cabin.Infotainment.Media.Volume"
    assert catalog.validate(path, 40, write=True) == 40
    rejected = catalog.validate(path, 101, write=True)
    assert isinstance(rejected, Rejection)
    assert rejected.code == "out_of_range"


def test_under_and_matching_find_signals_by_prefix_and_glob(catalog: Catalog) -> None:
    hvac = catalog.under("Vehicle.Cabin.HVAC")
    assert "Vehicle.Cabin.HVAC.IsAirConditioningActive" in hvac
    assert all(p.startswith("Vehicle.Cabin.HVAC.") for p in hvac)
    assert catalog.under("Vehicle.Cabin.HVA") == []
    # VSS has climate stations for four rows; the sedan's are rows 1 and 2
    every_row = [f"Row{r}.{side}" for r in (1, 2, 3, 4) for side in ("Driver", "Passenger")]
    temps = catalog.matching("Vehicle.Cabin.HVAC.Station.*.Temperature")
    assert sorted(temps) == sorted(f"Vehicle.Cabin.HVAC.Station.{s}.Temperature" for s in every_row)
    front_and_rear = catalog.matching("Vehicle.Cabin.HVAC.Station.Row[12].*.Temperature")
    assert front_and_rear == sorted(f"Vehicle.Cabin.HVAC.Station.{s}.Temperature" for s in STATIONS)
    assert catalog.matching("Vehicle.Speed") == ["Vehicle.Speed"]
    assert catalog.matching("Vehicle.Nothing*") == []


HVAC_TEMPERATURES = [f"Vehicle.Cabin.HVAC.Station.{s}.Temperature" for s in STATIONS]


def test_narrowed_limits_hvac_temperature_to_16_32(catalog: Catalog) -> None:
    narrowed = catalog.narrowed([Limit("Vehicle.Cabin.HVAC.Station.*.Temperature", 16, 32)])
    for path in HVAC_TEMPERATURES:
        assert narrowed.spec(path).bounds() == (16, 32)
        assert isinstance(narrowed.validate(path, 33, write=True), Rejection)
        assert narrowed.validate(path, 32, write=True) == 32.0
        # the packaged catalog itself is left as VSS has it
        assert catalog.validate(path, 33, write=True) == 33.0


def test_narrowed_allowed_and_text_pattern(catalog: Catalog) -> None:
    color = "Vehicle.Cabin.Light.AmbientLight.Row1.DriverSide.Color"
    narrowed = catalog.narrowed(
        [
            Limit("Vehicle.Cabin.Light.*.Color", text_pattern="#[0-9A-Fa-f]{6}"),
            Limit("Vehicle.Body.Windshield.Front.Wiping.Mode", allowed=("OFF", "SLOW")),
        ]
    )
    assert narrowed.validate(color, "#00ff00") == "#00ff00"
    bad = narrowed.validate(color, "blue")
    assert isinstance(bad, Rejection)
    assert bad.code == "not_allowed"
    fast = narrowed.validate("Vehicle.Body.Windshield.Front.Wiping.Mode", "FAST")
    assert isinstance(fast, Rejection)


def test_a_limit_matching_nothing_raises(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match=re.escape("Vehicle.Nothing")):
        catalog.narrowed([Limit("Vehicle.Nothing.*", min=0)])


def test_the_sedan_profile_narrows_hvac_temperature(profile: VehicleProfile) -> None:
    for path in HVAC_TEMPERATURES:
        assert profile.catalog.spec(path).accepted() == "16–32 Celsius"


def test_generated_catalog_is_up_to_date_with_vss() -> None:
    vss = ROOT.parent / "shared" / "vss" / "vss.csv"
    if not vss.exists():
        pytest.skip(f"the VSS export {vss} is not here, so the generated catalog cannot be checked")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_vss_catalog.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
