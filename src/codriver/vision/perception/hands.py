"""A hand's static shape from its 21 landmarks: open palm, fist, pointing, thumbs-up or other.

Landmarks follow MediaPipe's order (0 wrist; thumb 1–4; index 5–8; middle 9–12; ring 13–16;
pinky 17–20, each base to tip) and are taken in pixel units, z on the scale of x, so that angles
are true. A finger is *extended* when its knuckles are nearly straight, *curled* when it bends
back towards the palm; the shape follows from the four fingers and the thumb:

- palm: all four fingers extended;
- point: the index extended, the other three curled (the thumb does not matter);
- thumbs_up: four fingers curled, the thumb straight and pointing up in the image (within 45°);
- fist: four fingers curled, the thumb not pointing up or down;
- other: anything else (a thumb down, two fingers, a half-open hand).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import numpy.typing as npt

from codriver.vision.observation import HandShape, Point

FloatArray = npt.NDArray[np.float64]
FingerState = Literal["extended", "curled", "between"]

WRIST = 0
THUMB = (1, 2, 3, 4)
FINGERS = ((5, 6, 7, 8), (9, 10, 11, 12), (13, 14, 15, 16), (17, 18, 19, 20))
HAND_POINTS = 21
STRAIGHT_DEGREES = 50.0  # sum of the two distal joint angles of a straight finger, at most
CURLED_DEGREES = 90.0  # …of a finger folded back, at least
UPRIGHT = math.cos(math.radians(45.0))


def _bend(points: FloatArray, a: int, b: int, c: int) -> float:
    """The angle between segments a→b and b→c in degrees: 0 for a straight joint."""
    first, second = points[b] - points[a], points[c] - points[b]
    norms = float(np.linalg.norm(first) * np.linalg.norm(second))
    if norms == 0.0:
        return 0.0
    cosine = float(np.clip(np.dot(first, second) / norms, -1.0, 1.0))
    return math.degrees(math.acos(cosine))


def _distance(points: FloatArray, a: int, b: int) -> float:
    return float(np.linalg.norm(points[a] - points[b]))


def finger_state(points: FloatArray, finger: tuple[int, int, int, int]) -> FingerState:
    mcp, pip, dip, tip = finger
    distal = _bend(points, mcp, pip, dip) + _bend(points, pip, dip, tip)
    base = _bend(points, WRIST, mcp, pip)
    if distal <= STRAIGHT_DEGREES and base <= 60.0:
        return "extended"
    folded_back = _distance(points, WRIST, tip) < _distance(points, WRIST, pip)
    if distal >= CURLED_DEGREES or folded_back:
        return "curled"
    return "between"


def _thumb_direction(points: FloatArray) -> FloatArray | None:
    """The thumb's unit direction in the image if it is straight, else None."""
    cmc, mcp, ip, tip = THUMB
    if _bend(points, cmc, mcp, ip) + _bend(points, mcp, ip, tip) > STRAIGHT_DEGREES:
        return None
    along = points[tip, :2] - points[mcp, :2]
    norm = float(np.linalg.norm(along))
    return along / norm if norm > 0.0 else None


def pointing_direction(points: FloatArray) -> Point:
    """The index finger's unit direction in the image plane (x right, y down), base to tip."""
    mcp, _, _, tip = FINGERS[0]
    along = points[tip, :2] - points[mcp, :2]
    norm = float(np.linalg.norm(along)) or 1.0
    return (float(along[0]) / norm, float(along[1]) / norm)


def _curled_shape(points: FloatArray) -> HandShape:
    thumb = _thumb_direction(points)
    if thumb is None or abs(float(thumb[1])) < UPRIGHT:
        return "fist"
    return "thumbs_up" if thumb[1] < 0 else "other"  # image y grows downwards


def classify_hand(points: FloatArray) -> tuple[HandShape, Point | None]:
    """The hand's shape and, when it points, the index finger's direction in the image."""
    if points.shape != (HAND_POINTS, 3):
        raise ValueError(f"a hand has {HAND_POINTS} landmarks of (x, y, z), got {points.shape}")
    states = [finger_state(points, finger) for finger in FINGERS]
    if all(state == "extended" for state in states):
        return "palm", None
    if states[0] == "extended" and all(state == "curled" for state in states[1:]):
        return "point", pointing_direction(points)
    if all(state == "curled" for state in states):
        return _curled_shape(points), None
    return "other", None
