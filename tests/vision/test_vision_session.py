"""The vision session's own contract: events from an async stream, signals unknown when the stream
ends, frames in time order, gestures only reported without an assistant, deixis by geometry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from vision_frames import Clip, face, hand, run

from codriver.errors import ConfigError, InputError
from codriver.testing import SimulatedCar
from codriver.vision.deixis import gaze_target, point_target
from codriver.vision.events import DriverStateEvent, GestureEvent, VisionEvent
from codriver.vision.geometry import CabinGeometry
from codriver.vision.observation import FrameObservation
from codriver.vision.session import VisionSession

LEFT = CabinGeometry.load()
RIGHT = CabinGeometry.load(drive="right")
PASSENGER_WINDOW = "Vehicle.Cabin.Door.Row1.PassengerSide.Window"
DRIVER_WINDOW = "Vehicle.Cabin.Door.Row1.DriverSide.Window"


def test_an_async_stream_gives_events_and_ends_with_the_signals_unknown() -> None:
    car = SimulatedCar()
    vision = VisionSession(car)
    frames = Clip().awake(3.0).frames

    async def stream() -> AsyncIterator[FrameObservation]:
        for frame in frames:
            yield frame

    async def collect() -> list[VisionEvent]:
        return [event async for event in vision.run(stream())]

    events = asyncio.run(collect())
    assert len([e for e in events if isinstance(e, DriverStateEvent)]) == 3
    assert asyncio.run(car.get("Vehicle.Driver.AttentiveProbability")) is None


def test_frames_out_of_order_are_refused() -> None:
    vision = VisionSession(SimulatedCar())
    run(vision, Clip(t=5.0).awake(1.0).frames)
    with pytest.raises(InputError, match="order"):
        run(vision, Clip(t=1.0).awake(0.1).frames)


def test_without_an_assistant_a_gesture_is_reported_not_acted_on() -> None:
    car = SimulatedCar()
    vision = VisionSession(car)
    events = run(vision, Clip().hold(1.0, face(), hands=(hand((0.7, 0.6), "palm"),)).frames)
    [gesture] = [e for e in events if isinstance(e, GestureEvent)]
    assert gesture.kind == "palm" and gesture.turn is None and "assistant" in gesture.note


@pytest.mark.parametrize(
    ("geometry", "azimuth", "expected"),
    [
        (LEFT, 70.0, PASSENGER_WINDOW),  # left-hand drive: the passenger is to the right
        (LEFT, -80.0, DRIVER_WINDOW),
        (RIGHT, -70.0, PASSENGER_WINDOW),  # right-hand drive: to the left
        (RIGHT, 80.0, DRIVER_WINDOW),
        (LEFT, 0.0, None),  # the road ahead is nothing to open
    ],
    ids=["lhd-passenger", "lhd-driver", "rhd-passenger", "rhd-driver", "road"],
)
def test_a_look_names_the_window_on_that_side(
    geometry: CabinGeometry, azimuth: float, expected: str | None
) -> None:
    region = geometry.region("driver")
    forward = region.forward
    gaze = (forward[0] + azimuth, forward[1] - 5.0)
    picked = gaze_target(region, gaze, forward, LEFT.deixis.gaze)
    assert picked.branch == expected


def test_pointing_towards_the_camera_is_no_direction() -> None:
    picked = point_target(LEFT.region("driver"), (0.0, 0.0), LEFT.deixis.point)
    assert picked.branch is None and picked.ambiguous


def test_a_broken_geometry_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "cabin.yaml"
    path.write_text("drive: middle\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cabin geometry"):
        CabinGeometry.load(path)


def test_a_stream_left_early_still_makes_the_signals_unknown() -> None:
    car = SimulatedCar()
    vision = VisionSession(car)

    async def leave_early() -> object:
        stream = vision.run(Clip().awake(5.0).frames)
        async for event in stream:
            if isinstance(event, DriverStateEvent) and event.state.t >= 2.0:
                break
        seen = await car.get("Vehicle.Driver.IsEyesOnRoad")
        await stream.aclose()
        return seen

    assert asyncio.run(leave_early()) is True
    assert asyncio.run(car.get("Vehicle.Driver.IsEyesOnRoad")) is None
