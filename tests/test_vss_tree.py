"""The whole VSS tree: every standard signal is known, can be given and read, and keeps its type.

The expected values come from the VSS export itself (``../shared/vss/vss.csv``, read here with the
standard library), not from the catalog generated from it.
"""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest

from codriver.vehicle import Catalog, Rejection, SimulatedCar, VehicleProfile

ROOT = Path(__file__).resolve().parent.parent
VSS = ROOT.parent / "shared" / "vss" / "vss.csv"

needs_vss = pytest.mark.skipif(not VSS.exists(), reason=f"the VSS export {VSS} is not here")


def vss_signals() -> list[dict[str, str]]:
    with VSS.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["Type"] != "branch"]


def _bound(text: str) -> float | None:
    return float(text) if text.strip() else None


@needs_vss
def test_every_standard_signal_is_known_as_vss_describes_it(catalog: Catalog) -> None:
    rows = vss_signals()
    assert len(catalog) == len(rows)
    for row in rows:
        spec = catalog.spec(row["Signal"])
        assert spec.kind == row["Type"], row["Signal"]
        assert spec.datatype == row["DataType"], row["Signal"]
        assert spec.unit == (row["Unit"] or None), row["Signal"]
        assert spec.min == _bound(row["Min"]), row["Signal"]
        assert spec.max == _bound(row["Max"]), row["Signal"]
        allowed = tuple(ast.literal_eval(row["Allowed"])) if row["Allowed"] else None
        assert spec.allowed == allowed, row["Signal"]
        assert (spec.deprecated is not None) == bool(row["Deprecated"].strip()), row["Signal"]


def sample(row: dict[str, str]) -> tuple[object, object]:
    """A value the world could report for this VSS signal, and how it reads back."""
    datatype, allowed = row["DataType"], row["Allowed"]
    low, high = _bound(row["Min"]), _bound(row["Max"])
    if allowed:
        options = [str(o) for o in ast.literal_eval(allowed)]
        if datatype.endswith("[]"):
            return [o.lower() for o in options[:2]], options[:2]
        return options[-1].lower(), options[-1]  # allowed values are matched regardless of case
    if datatype == "boolean":
        return True, True
    if datatype == "string":
        return "2026-12-07T10:00:00Z", "2026-12-07T10:00:00Z"
    if datatype == "string[]":
        return ["a", "b"], ["a", "b"]
    if datatype == "float[]":
        return [3, 3.5], [3.0, 3.5]
    if datatype == "uint8[]":
        return [2.0, 3], [2, 3]
    number = high if high is not None else (low if low is not None else 1)
    if datatype in ("float", "double"):
        return int(number), float(number)  # whole numbers are accepted for floats
    return float(number), int(number)  # and whole floats for integers


@needs_vss
def test_any_standard_signal_can_be_given_and_read(profile: VehicleProfile) -> None:
    car = SimulatedCar(profile=profile)
    rows = vss_signals()
    narrowed = {s.path for s in profile.catalog if s != Catalog.load().get(s.path)}
    for row in rows:
        path = row["Signal"]
        if path in narrowed:
            continue  # the sedan accepts less there (climate 16-32 °C, #RRGGBB colours)
        given, expected = sample(row)
        result = car.feed_now({path: given})[0]
        assert not isinstance(result, Rejection), result.message
        read = car.value(path)
        assert read == expected, path
        assert type(read) is type(expected), path


@needs_vss
def test_signals_without_a_default_read_none(profile: VehicleProfile) -> None:
    car = SimulatedCar(profile=profile)
    unset = [row["Signal"] for row in vss_signals() if row["Signal"] not in profile.defaults]
    assert len(unset) > 1000
    assert all(car.value(path) is None for path in unset)
    assert set(car.values()) == {row["Signal"] for row in vss_signals()}


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ("Vehicle.Powertrain.Transmission.CurrentGear", 128, "out_of_range"),
        ("Vehicle.Powertrain.Transmission.CurrentGear", "3", "wrong_type"),
        ("Vehicle.Powertrain.Transmission.CurrentGear", 2.5, "wrong_type"),
        ("Vehicle.Powertrain.FuelSystem.RelativeLevel", 101, "out_of_range"),
        ("Vehicle.Cabin.Seat.Row2.Middle.Headrest.Height", -1, "out_of_range"),
        ("Vehicle.ADAS.ActiveAutonomyLevel", "SAE_6", "not_allowed"),
        ("Vehicle.Cabin.SeatPosCount", [2, 256], "out_of_range"),
        ("Vehicle.Cabin.SeatPosCount", [2, "3"], "wrong_type"),
        ("Vehicle.Powertrain.TractionBattery.CellVoltage.CellVoltages", 3.7, "wrong_type"),
        ("Vehicle.Powertrain.TractionBattery.CellVoltage.CellVoltages", [3.7, True], "wrong_type"),
    ],
    ids=[
        "gear-beyond-int8",
        "gear-as-text",
        "gear-fraction",
        "fuel-over-100-percent",
        "middle-headrest-below-0",
        "autonomy-level-not-in-vss",
        "array-item-beyond-uint8",
        "array-item-as-text",
        "array-given-a-number",
        "array-item-boolean",
    ],
)
def test_types_and_ranges_of_the_whole_tree_are_enforced(
    car: SimulatedCar, path: str, value: object, code: str
) -> None:
    result = car.feed_now({path: value})[0]  # type: ignore[dict-item]
    assert isinstance(result, Rejection)
    assert result.code == code
    assert car.value(path) is None


def test_a_string_array_item_must_be_an_allowed_value(catalog: Catalog) -> None:
    arrays = [s for s in catalog if s.datatype == "string[]" and s.allowed]
    assert arrays
    for spec in arrays:
        good = spec.coerce([spec.allowed[0].lower()])  # type: ignore[index]
        assert good == [spec.allowed[0]]  # type: ignore[index]
        bad = spec.coerce([spec.allowed[0], "NOT_A_VSS_VALUE"])  # type: ignore[index]
        assert isinstance(bad, Rejection)
        assert bad.code == "not_allowed"
        assert "item 2" in bad.message


def test_a_deprecated_signal_says_so_and_still_accepts_values(car: SimulatedCar) -> None:
    path = "Vehicle.Body.Mirrors.DriverSide.Pan"
    spec = car.catalog.spec(path)
    assert spec.deprecated is not None and "Yaw" in spec.deprecated
    assert car.catalog.get("Vehicle.Body.Mirrors.DriverSide.Tilt") is not None
    assert car.catalog.spec("Vehicle.Body.Mirrors.DriverSide.Tilt").deprecated is None
    assert car.feed_now({path: -20})[0].path == path  # type: ignore[union-attr]
    assert car.value(path) == -20


def test_the_sedan_sets_only_the_seats_and_rows_it_has(profile: VehicleProfile) -> None:
    set_paths = set(profile.defaults)
    assert "Vehicle.Cabin.HVAC.Station.Row2.Passenger.Temperature" in set_paths
    assert "Vehicle.Cabin.Seat.Row2.PassengerSide.IsBelted" in set_paths
    assert not [p for p in set_paths if ".Row3." in p or ".Row4." in p or ".Middle." in p]
    # a seat's own heater, not the backrest's or the cushion's
    assert "Vehicle.Cabin.Seat.Row1.DriverSide.Backrest.HeatingCooling" not in set_paths


# Literal VSS paths and globs in codriver's code and data; an f-string's literal part is a prefix.
_PATH = re.compile(r"Vehicle(?:\.[A-Za-z0-9_*?\[\]]+)+\.?")


def paths_named_in_the_package() -> list[str]:
    found: set[str] = set()
    for file in (ROOT / "src" / "codriver").rglob("*"):
        if file.suffix in (".py", ".yaml", ".yml"):
            found.update(_PATH.findall(file.read_text(encoding="utf-8")))
    return sorted(found)


PATHS = paths_named_in_the_package()


def test_the_package_names_signals_to_check() -> None:
    assert len(PATHS) > 100


@pytest.mark.parametrize("path", PATHS, ids=PATHS)
def test_every_signal_codriver_names_is_in_the_catalog(catalog: Catalog, path: str) -> None:
    if path.endswith("."):
        assert catalog.under(path.rstrip(".")), f"no signal under {path}"
    elif any(c in path for c in "*?["):
        assert catalog.matching(path), f"the glob {path} matches no signal"
    else:
        assert path in catalog or catalog.under(path), f"{path} is no signal or branch"


def test_a_snapshot_of_the_whole_car_holds_copies_of_arrays(car: SimulatedCar) -> None:
    path = "Vehicle.Powertrain.TractionBattery.CellVoltage.CellVoltages"
    car.feed_now({path: [3.7, 3.8]})
    snapshot = car.values()
    held = snapshot[path]
    assert isinstance(held, list)
    held.append(9.9)
    assert car.value(path) == [3.7, 3.8]
    assert car.values()[path] == [3.7, 3.8]
