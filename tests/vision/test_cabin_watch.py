"""Who sits where, from the camera, and someone left behind in a parked, locked, warming car."""

from __future__ import annotations

import asyncio

import pytest
from vision_frames import GEOMETRY, Clip, face, run

from codriver.testing import SimulatedCar, offline_assistant
from codriver.vision.cabin import occupancy_path
from codriver.vision.events import Alert, OccupancyChange
from codriver.vision.geometry import CabinGeometry
from codriver.vision.session import VisionSession

PARKED_LOCKED = {
    "Vehicle.Speed": 0.0,
    "Vehicle.Powertrain.Transmission.SelectedGear": 126,
    "Vehicle.Powertrain.Transmission.CurrentGear": 0,
    "Vehicle.Powertrain.Transmission.IsParkLockEngaged": True,
    "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked": True,
    "Vehicle.Cabin.HVAC.IsAirConditioningActive": False,
}
CABIN_AIR = "Vehicle.Cabin.HVAC.AmbientAirTemperature"


def test_faces_in_seats_become_the_seats_occupancy() -> None:
    car = SimulatedCar()
    vision = VisionSession(car)
    events = run(vision, Clip().hold(3.0, face(), face("rear_right")).frames)
    seen = {e.seat: e.status for e in events if isinstance(e, OccupancyChange)}
    assert seen == {
        "driver": "OCCUPIED",
        "passenger": "EMPTY",
        "rear_left": "EMPTY",
        "rear_right": "OCCUPIED",
    }
    for seat, status in seen.items():
        assert asyncio.run(car.get(occupancy_path(seat))) == status  # type: ignore[arg-type]


def test_a_face_glimpsed_for_a_moment_changes_no_seat() -> None:
    vision = VisionSession(SimulatedCar())
    clip = Clip().hold(3.0, face()).hold(0.5, face(), face("passenger")).hold(3.0, face())
    changes = [e for e in run(vision, clip.frames) if isinstance(e, OccupancyChange)]
    assert [c.seat for c in changes if c.status == "OCCUPIED"] == ["driver"]


def test_when_the_camera_stops_nobodys_seat_is_known() -> None:
    car = SimulatedCar()
    vision = VisionSession(car)
    run(vision, Clip().hold(3.0, face()).frames)
    asyncio.run(vision.close())
    assert asyncio.run(car.get(occupancy_path("driver"))) == "UNKNOWN"
    assert asyncio.run(car.get("Vehicle.Driver.IsEyesOnRoad")) is None


def test_the_driver_of_a_right_hand_drive_car_sits_on_the_image_left() -> None:
    right = CabinGeometry.load(drive="right")
    driver_box = face()  # on the image's right: the passenger's seat in this car
    assert right.seat_of_face(driver_box) == "passenger"
    assert GEOMETRY.seat_of_face(driver_box) == "driver"


def _left_behind(celsius: float) -> tuple[list[Alert], VisionSession]:
    assistant = offline_assistant({**PARKED_LOCKED, CABIN_AIR: celsius})
    vision = VisionSession(assistant)
    events = run(vision, Clip().hold(20.0, face("rear_left")).frames)
    return [e for e in events if isinstance(e, Alert)], vision


def test_a_child_left_in_a_hot_locked_car_raises_an_alert_and_the_cabin_is_cooled() -> None:
    alerts, vision = _left_behind(34.0)
    [alert] = alerts
    assert alert.seats == ("rear_left",) and alert.cabin_celsius == 34.0
    assert "34" in alert.message.en and "34" in alert.message.zh
    assert alert.turn is not None and alert.turn.outcome == "done"
    assistant = vision.assistant
    assert assistant is not None
    assert asyncio.run(assistant.read("Vehicle.Cabin.HVAC.IsAirConditioningActive")) is True
    settled_at = GEOMETRY.occupancy_settle_s + GEOMETRY.left_behind.after_s
    assert alert.t == pytest.approx(settled_at, abs=1.0)


def test_no_alert_while_the_cabin_is_cool() -> None:
    alerts, _ = _left_behind(GEOMETRY.left_behind.warm_celsius - 6)
    assert alerts == []


def test_no_alert_while_the_driver_is_in_the_seat() -> None:
    assistant = offline_assistant({**PARKED_LOCKED, CABIN_AIR: 34.0})
    vision = VisionSession(assistant)
    events = run(vision, Clip().hold(20.0, face(), face("rear_left")).frames)
    assert not any(isinstance(e, Alert) for e in events)
