"""The cabin camera after perception, on synthetic observations: the time from the driver's eyes
closing to Vehicle.Driver.FatigueLevel reaching care's 70 on the bus (closing at ten offsets
within the one-second output period), and the cost of VisionSession.feed per frame (two faces
and a hand, with the assistant, writing once a second).

Usage: python benchmarks/vision_monitor.py [FPS]   (default: 30)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from codriver.testing import SimulatedCar, offline_assistant
from codriver.vision.geometry import CabinGeometry
from codriver.vision.observation import FaceObservation, FrameObservation, HandObservation
from codriver.vision.session import VisionSession

FATIGUE = "Vehicle.Driver.FatigueLevel"
GEOMETRY = CabinGeometry.load()


def face(seat: str, ear: float) -> FaceObservation:
    yaw, pitch = GEOMETRY.region(seat).forward  # type: ignore[arg-type]
    x = 0.6 if seat == "driver" else 0.15
    return FaceObservation((x, 0.2, x + 0.25, 0.5), ear, ear, 0.05, yaw, pitch, 0, yaw, pitch)


def frames(fps: float, closed_at: float, until: float) -> list[FrameObservation]:
    """An alert driver blinking every 4 s, whose eyes close at ``closed_at`` and stay closed."""
    found, i = [], 0
    while (t := i / fps) < until:
        blinking = t % 4.0 > 3.8
        ear = 0.05 if t >= closed_at or blinking else 0.30
        found.append(FrameObservation(t, 640, 480, (face("driver", ear),)))
        i += 1
    return found


async def delay(fps: float, closed_at: float) -> float:
    car = SimulatedCar()
    vision = VisionSession(car)
    for frame in frames(fps, closed_at, closed_at + 5.0):
        await vision.feed(frame)
        level = await car.get(FATIGUE)
        if frame.t >= closed_at and isinstance(level, float) and level >= 70:
            return frame.t - closed_at
    return float("nan")


async def cost(fps: float) -> float:
    hand = HandObservation("right", tuple((0.7, 0.6, 0.0) for _ in range(21)), "other")
    vision = VisionSession(offline_assistant({"Vehicle.Speed": 80.0}))
    run = [
        FrameObservation(f.t, 640, 480, (*f.faces, face("passenger", 0.3)), (hand,))
        for f in frames(fps, 1e9, 60.0)
    ]
    started = time.perf_counter()
    for frame in run:
        await vision.feed(frame)
    return (time.perf_counter() - started) / len(run)


def main() -> None:
    fps = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0
    delays = [asyncio.run(delay(fps, 20.0 + k / 10)) for k in range(10)]
    print(
        f"eyes closed -> FatigueLevel >= 70 at {fps:g} frames/s: min {min(delays):.2f} s, "
        f"mean {statistics.mean(delays):.2f} s, max {max(delays):.2f} s"
    )
    print(f"VisionSession.feed: {asyncio.run(cost(fps)) * 1000:.3f} ms a frame")


if __name__ == "__main__":
    main()
