"""Answers about the driver's controls and assists: cruise control, ESC, lane departure warning,
driver monitoring, the parking brake, the child lock, steering-wheel heating, phone projection,
automatic headlights. Read only. A control whose signal has no value is said to be unknown, never
off: "is ESC on?" with no reading must not sound like it is safe to rely on it or not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from codriver.text import Bilingual
from codriver.tools.base import ToolContext
from codriver.tools.status_cabin import STATUS, Answer
from codriver.tools.units import speed
from codriver.tools.zones import Zone
from codriver.vehicle.catalog import Value


@dataclass(frozen=True, slots=True)
class Control:
    path: str
    on: Callable[[Value], bool]


def _true(value: Value) -> bool:
    return value is True


def _above_zero(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


CONTROLS = {
    "cruise": Control("Vehicle.ADAS.CruiseControl.IsActive", _true),
    "esc": Control("Vehicle.ADAS.ESC.IsEnabled", _true),
    "lane_departure": Control("Vehicle.ADAS.LaneDepartureDetection.IsEnabled", _true),
    "driver_monitoring": Control("Vehicle.ADAS.DMS.IsEnabled", _true),
    "parking_brake": Control("Vehicle.Chassis.ParkingBrake.IsEngaged", _true),
    "child_lock": Control("Vehicle.Cabin.IsWindowChildLockEngaged", _true),
    "steering_heat": Control("Vehicle.Chassis.SteeringWheel.HeatingCooling", _above_zero),
    "projection": Control(
        "Vehicle.Cabin.Infotainment.SmartphoneProjection.Active", lambda v: v == "ACTIVE"
    ),
    "auto_headlights": Control("Vehicle.Body.Lights.LightSwitch", lambda v: v == "AUTO"),
}


def control(name: str) -> Answer:
    def answer(ctx: ToolContext, zone: Zone | None) -> Bilingual:
        spec = CONTROLS[name]
        value = ctx.state.get(spec.path)
        item = STATUS.get(f"control.{name}")
        if value is None:
            return STATUS.get("control.unknown", item=item)
        if name == "parking_brake":  # "手刹拉着", not "开着"
            return STATUS.get("control.brake_on" if spec.on(value) else "control.brake_off")
        if not spec.on(value):
            return STATUS.get("flag.off", item=item)
        held = ctx.state.get("Vehicle.ADAS.CruiseControl.SpeedSet")
        if name == "cruise" and isinstance(held, int | float) and held > 0:
            return STATUS.get("control.cruise_at", value=speed(ctx, float(held)))
        return STATUS.get("flag.on", item=item)

    return answer


CONTROL_ANSWERS: dict[str, Answer] = {name: control(name) for name in CONTROLS}
