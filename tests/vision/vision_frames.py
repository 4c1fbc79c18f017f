"""Synthetic frame observations for the vision tests: faces placed in seat regions, held for a
while at a frame rate, with eyes, mouth, head and gaze set per stretch."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace

from codriver.vehicle.seats import Seat
from codriver.vision.events import VisionEvent
from codriver.vision.geometry import CabinGeometry
from codriver.vision.observation import FaceObservation, FrameObservation, HandObservation
from codriver.vision.session import VisionSession

GEOMETRY = CabinGeometry.load()
OPEN = 0.30
SHUT = 0.05

_BOXES: dict[Seat, tuple[float, float, float, float]] = {
    "driver": (0.60, 0.20, 0.85, 0.50),  # front row: tall boxes
    "passenger": (0.15, 0.20, 0.40, 0.50),
    "rear_left": (0.60, 0.25, 0.68, 0.35),  # rear row: small boxes
    "rear_right": (0.32, 0.25, 0.40, 0.35),
}


def face(
    seat: Seat = "driver",
    *,
    ear: float = OPEN,
    mouth: float = 0.05,
    look: tuple[float, float] = (0.0, 0.0),
    head: tuple[float, float] | None = None,
    confidence: float = 1.0,
) -> FaceObservation:
    """A face in ``seat``'s region; ``look`` is the gaze from the seat's forward direction
    (azimuth to the occupant's right, elevation up), ``head`` the head's (default: the gaze's)."""
    forward = GEOMETRY.region(seat).forward
    head = look if head is None else head
    return FaceObservation(
        box=_BOXES[seat],
        eye_open_left=ear,
        eye_open_right=ear,
        mouth_open=mouth,
        yaw=forward[0] + head[0],
        pitch=forward[1] + head[1],
        roll=0.0,
        gaze_yaw=forward[0] + look[0],
        gaze_pitch=forward[1] + look[1],
        confidence=confidence,
    )


def hand(
    center: tuple[float, float],
    shape: str = "other",
    *,
    pointing: tuple[float, float] | None = None,
    handedness: str = "right",
) -> HandObservation:
    """A hand of 21 landmarks spread a little around ``center``."""
    x, y = center
    points = tuple((x + 0.01 * ((i % 5) - 2), y + 0.01 * ((i // 5) - 2), 0.0) for i in range(21))
    return HandObservation(handedness, points, shape, pointing)  # type: ignore[arg-type]


@dataclass
class Clip:
    """Frames at ``fps``: each :meth:`hold` adds ``seconds`` of the same faces and hands."""

    fps: float = 10.0
    t: float = 0.0
    frames: list[FrameObservation] = field(default_factory=list)

    def hold(
        self,
        seconds: float,
        *faces: FaceObservation,
        hands: tuple[HandObservation, ...] = (),
    ) -> Clip:
        for _ in range(round(seconds * self.fps)):
            self.frames.append(FrameObservation(self.t, 640, 480, tuple(faces), hands))
            self.t = round(self.t + 1.0 / self.fps, 6)
        return self

    def move(self, seconds: float, start: HandObservation, end_x: float) -> Clip:
        """A hand travelling across the image to ``end_x`` over ``seconds``."""
        steps = round(seconds * self.fps)
        x0 = start.center[0]
        for i in range(steps):
            x = x0 + (end_x - x0) * (i + 1) / steps
            moved = hand((x, start.center[1]), start.shape, handedness=start.handedness)
            self.frames.append(FrameObservation(self.t, 640, 480, (), (moved,)))
            self.t = round(self.t + 1.0 / self.fps, 6)
        return self

    def awake(self, seconds: float, *, blink_every: float = 4.0) -> Clip:
        """An alert driver looking at the road, blinking (0.2 s) every ``blink_every`` s."""
        done = 0.0
        while done < seconds - 1e-9:
            span = min(blink_every - 0.2, seconds - done)
            self.hold(span, face())
            done += span
            if done < seconds - 1e-9:
                self.hold(0.2, face(ear=SHUT))
                done += 0.2
        return self


def run(session: VisionSession, frames: list[FrameObservation]) -> list[VisionEvent]:
    async def go() -> list[VisionEvent]:
        events: list[VisionEvent] = []
        for frame in frames:
            events.extend(await session.feed(frame))
        return events

    return asyncio.run(go())


def shifted(frames: list[FrameObservation], by: float) -> list[FrameObservation]:
    return [replace(f, t=round(f.t + by, 6)) for f in frames]
