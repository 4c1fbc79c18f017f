"""Proactive care's derived facts: the windscreen fog model."""

import pytest

from codriver.care.derived import (
    CABIN_AIR,
    OUTSIDE_AIR,
    OUTSIDE_HUMIDITY,
    RECIRCULATING,
    dew_point,
    windscreen_fog_risk,
)


@pytest.mark.parametrize(
    ("celsius", "humidity", "expected"),
    # Reference values from the Magnus formula tables (e.g. 20 °C at 50 % → 9.3 °C).
    [(20, 50, 9.3), (20, 100, 20.0), (0, 80, -3.0), (30, 70, 23.9)],
)
def test_dew_point_matches_reference_values(
    celsius: float, humidity: float, expected: float
) -> None:
    assert dew_point(celsius, humidity) == pytest.approx(expected, abs=0.15)


def _state(outside: float, humidity: float, cabin: float, recirc: bool) -> dict[str, object]:
    return {
        OUTSIDE_AIR: outside,
        OUTSIDE_HUMIDITY: humidity,
        CABIN_AIR: cabin,
        RECIRCULATING: recirc,
    }


def test_cold_wet_day_with_recirculation_fogs_the_windscreen() -> None:
    assert windscreen_fog_risk(_state(3, 93, 22, True))


def test_fresh_air_on_a_cold_dry_day_does_not() -> None:
    assert not windscreen_fog_risk(_state(3, 50, 22, False))


def test_a_cooled_cabin_on_a_humid_summer_day_does_not() -> None:
    assert not windscreen_fog_risk(_state(30, 90, 22, True))


def test_missing_signals_mean_no_risk() -> None:
    assert not windscreen_fog_risk({OUTSIDE_AIR: 3})
