"""What one camera frame shows, as plain values: the seam between perception and the rest.

Perception (models, numpy) produces these; the driver monitor, gestures, deixis and the bridge to
the car consume them. Coordinates are normalised to the image (0..1, x to the right, y down);
angles are degrees in the camera's view (yaw > 0: the person turns to the image's left, i.e. their
own right; pitch > 0: looks up).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Point = tuple[float, float]
Point3 = tuple[float, float, float]
HandShape = Literal["palm", "fist", "point", "thumbs_up", "other"]


@dataclass(frozen=True, slots=True)
class FaceObservation:
    """One face: where it is, how open its eyes and mouth are, where the head and eyes point."""

    box: tuple[float, float, float, float]  # x0, y0, x1, y1, normalised
    eye_open_left: float  # eye aspect ratio of the person's left eye (≈0.25–0.35 open, < 0.15 shut)
    eye_open_right: float
    mouth_open: float  # mouth aspect ratio (≈0 closed, > 0.6 a yawn)
    yaw: float  # head pose, degrees
    pitch: float
    roll: float
    gaze_yaw: float  # where the eyes point: head pose plus the eyes' turn in the head, degrees
    gaze_pitch: float
    confidence: float = 1.0

    @property
    def center(self) -> Point:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)

    @property
    def eye_open(self) -> float:
        return (self.eye_open_left + self.eye_open_right) / 2


@dataclass(frozen=True, slots=True)
class HandObservation:
    """One hand: its 21 landmarks (MediaPipe's order), its static shape and where it points."""

    handedness: Literal["left", "right"]
    landmarks: tuple[Point3, ...]  # 21 points, normalised x, y; z relative to the wrist
    shape: HandShape
    pointing: Point | None = None  # unit direction of the index finger in the image, if pointing
    confidence: float = 1.0

    @property
    def center(self) -> Point:
        xs = [p[0] for p in self.landmarks]
        ys = [p[1] for p in self.landmarks]
        return (sum(xs) / len(xs), sum(ys) / len(ys))


@dataclass(frozen=True, slots=True)
class FrameObservation:
    """Everything perceived in one frame taken at ``t`` seconds (monotonic, per source)."""

    t: float
    width: int
    height: int
    faces: tuple[FaceObservation, ...] = ()
    hands: tuple[HandObservation, ...] = ()
