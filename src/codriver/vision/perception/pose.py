"""Where the head and the eyes point, from the face mesh's own 3-D coordinates.

The head's axes come from four points that lie close to one plane across the face (the outer eye
corners and the mouth corners): ``across`` runs from the person's right eye to their left,
``up`` from the mouth to the eyes, and their cross product is the face's forward direction. No
generic head model or focal length is assumed: MediaPipe's depth z is on the scale of x, so the
mesh in pixel units (:func:`~codriver.vision.perception.face.to_pixels`) is a 3-D shape whose
orientation can be read directly. The camera frame is x right, y down, z away from the camera.

Angles (degrees, as in :mod:`codriver.vision.observation`): yaw > 0 the person turns to the image's
left (their own right); pitch > 0 they look up; roll > 0 the face is turned counter-clockwise as
the image shows it (the eye on the image's right is higher).

Gaze adds the eyes' turn in the head: each iris centre's offset from the middle of its eye's
six-point contour (corners and lids), taken along the head's axes, is the sine of the eyeball's
rotation, with the eyeball's radius taken as ``EYEBALL_RADIUS`` times the eye's corner-to-corner
width (≈12 mm over ≈29 mm in adults).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from codriver.vision.perception.face import (
    LEFT_EYE,
    LEFT_IRIS_CENTER,
    RIGHT_EYE,
    RIGHT_IRIS_CENTER,
)

FloatArray = npt.NDArray[np.float64]

RIGHT_EYE_OUTER, LEFT_EYE_OUTER = RIGHT_EYE[0], LEFT_EYE[0]
RIGHT_MOUTH_CORNER, LEFT_MOUTH_CORNER = 61, 291
EYEBALL_RADIUS = 0.42


@dataclass(frozen=True, slots=True)
class HeadPose:
    yaw: float
    pitch: float
    roll: float


@dataclass(frozen=True, slots=True)
class Gaze:
    yaw: float
    pitch: float


def _unit(vector: FloatArray) -> FloatArray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0.0 else vector


def head_axes(points: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The head's (across, up, forward) unit vectors in camera coordinates."""
    across = _unit(points[LEFT_EYE_OUTER] - points[RIGHT_EYE_OUTER])
    eyes = (points[LEFT_EYE_OUTER] + points[RIGHT_EYE_OUTER]) / 2.0
    mouth = (points[LEFT_MOUTH_CORNER] + points[RIGHT_MOUTH_CORNER]) / 2.0
    rise = eyes - mouth
    up = _unit(rise - float(np.dot(rise, across)) * across)
    forward = np.cross(across, up)
    return across, up, forward


def head_pose(points: FloatArray) -> HeadPose:
    """Yaw and pitch from the face's forward direction, roll from the eye line in the image."""
    across, _, forward = head_axes(points)
    fx, fy, fz = (float(c) for c in forward)
    yaw = math.degrees(math.atan2(-fx, -fz))
    pitch = math.degrees(math.atan2(-fy, math.hypot(fx, fz)))
    roll = math.degrees(math.atan2(-float(across[1]), float(across[0])))
    return HeadPose(yaw=yaw, pitch=pitch, roll=roll)


def _eye_turn(
    points: FloatArray, eye: tuple[int, ...], iris: int, across: FloatArray, up: FloatArray
) -> tuple[float, float]:
    outer, inner = points[eye[0]], points[eye[3]]
    radius = EYEBALL_RADIUS * float(np.linalg.norm(outer - inner))
    if radius == 0.0:
        return 0.0, 0.0
    offset = points[iris] - points[list(eye)].mean(axis=0)
    sideways = float(np.clip(np.dot(offset, across) / radius, -1.0, 1.0))
    upward = float(np.clip(np.dot(offset, up) / radius, -1.0, 1.0))
    return -math.degrees(math.asin(sideways)), math.degrees(math.asin(upward))


def gaze(points: FloatArray, pose: HeadPose) -> Gaze:
    """Head pose plus the mean turn of both eyes in the head."""
    across, up, _ = head_axes(points)
    left = _eye_turn(points, LEFT_EYE, LEFT_IRIS_CENTER, across, up)
    right = _eye_turn(points, RIGHT_EYE, RIGHT_IRIS_CENTER, across, up)
    return Gaze(
        yaw=pose.yaw + (left[0] + right[0]) / 2.0,
        pitch=pose.pitch + (left[1] + right[1]) / 2.0,
    )
