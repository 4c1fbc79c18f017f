"""Hand shapes and eye/mouth ratios on landmark sets built geometrically: a hand whose joints are
bent by known angles, an eye and a mouth whose openings are known lengths."""

from __future__ import annotations

import math

import pytest

np = pytest.importorskip("numpy", reason="the [vision] extra is not installed")

from codriver.vision.perception.face import (  # noqa: E402
    LEFT_EYE,
    MOUTH_CORNERS,
    MOUTH_PAIRS,
    eye_aspect_ratio,
    mouth_aspect_ratio,
)
from codriver.vision.perception.hands import classify_hand  # noqa: E402

CURLED = (75.0, 100.0, 60.0)  # MCP, PIP, DIP flexion of a finger folded into the palm
STRAIGHT = (0.0, 5.0, 5.0)
HALF = (20.0, 30.0, 25.0)
# Local frame: palm towards the camera, fingers up (-y), the thumb on the -x side.
BASES = ((-30.0, -90.0), (-10.0, -95.0), (10.0, -90.0), (28.0, -80.0))
LENGTHS = ((40.0, 25.0, 20.0), (44.0, 28.0, 20.0), (40.0, 26.0, 19.0), (32.0, 20.0, 17.0))


def _chain(start, direction, bends, lengths, axis):
    """Points along segments from start, each joint turning by its bend about ``axis``."""
    points, here, heading = [], np.array(start, float), np.array(direction, float)
    for bend, length in zip(bends, lengths, strict=True):
        heading = _rotate(heading, axis, math.radians(bend))
        here = here + heading * length
        points.append(here)
    return points


def _rotate(vector, axis, angle):
    axis = np.array(axis, float) / np.linalg.norm(axis)
    return (
        vector * math.cos(angle)
        + np.cross(axis, vector) * math.sin(angle)
        + axis * np.dot(axis, vector) * (1 - math.cos(angle))
    )


def build_hand(fingers, thumb_bends, thumb_direction, turn_degrees=0.0):
    """21 landmarks: four fingers flexed towards the camera (−z) by their joint angles, the thumb
    along ``thumb_direction`` bending across the palm; then the hand turned in the image."""
    points = [np.zeros(3)]
    thumb_start = np.array([-25.0, -15.0, 0.0])
    thumb = _chain(thumb_start, thumb_direction, thumb_bends, (25.0, 22.0, 18.0), (0, 0, 1))
    points += [thumb_start, *thumb]
    for (x, y), bends, lengths in zip(BASES, fingers, LENGTHS, strict=True):
        mcp = np.array([x, y, 0.0])
        points += [mcp, *_chain(mcp, (0, -1, 0), (0.0, *bends[1:]), lengths, (1, 0, 0))]
        # the MCP flexion turns the whole finger: rotate its three outer points about the MCP
        for i in range(1, 4):
            points[-i] = mcp + _rotate(points[-i] - mcp, (1, 0, 0), math.radians(bends[0]))
    turn = math.radians(turn_degrees)
    offset = np.array([320.0, 240.0, 0.0])
    return np.array([_rotate(p, (0, 0, 1), turn) + offset for p in points])


THUMB_OUT = ((0.0, 0.0, 0.0), (-0.7, -0.7, 0.0))  # straight, out and up
THUMB_ACROSS = ((45.0, 45.0, 30.0), (-0.3, -0.95, 0.0))  # folded over the fingers
THUMB_SIDE = ((0.0, 0.0, 0.0), (-1.0, 0.0, 0.0))  # straight, perpendicular to the fingers


def test_an_open_hand_is_a_palm() -> None:
    hand = build_hand([STRAIGHT] * 4, *THUMB_OUT)
    assert classify_hand(hand) == ("palm", None)


@pytest.mark.parametrize("turn", [0.0, 90.0, 180.0, -135.0], ids=["up", "right", "down", "tilt"])
def test_a_fist_is_a_fist_whichever_way_it_is_turned(turn: float) -> None:
    hand = build_hand([CURLED] * 4, *THUMB_ACROSS, turn_degrees=turn)
    assert classify_hand(hand)[0] == "fist"


@pytest.mark.parametrize("turn", [0.0, 60.0, 135.0, -90.0], ids=["up", "60", "135", "-90"])
def test_a_pointing_hand_gives_the_index_fingers_direction(turn: float) -> None:
    hand = build_hand([STRAIGHT, CURLED, CURLED, CURLED], *THUMB_ACROSS, turn_degrees=turn)
    shape, direction = classify_hand(hand)
    assert shape == "point"
    # fingers point to −y before the turn; turning by +θ about +z (y down) is clockwise on screen
    expected = (math.sin(math.radians(turn)), -math.cos(math.radians(turn)))
    assert direction is not None
    assert direction == pytest.approx(expected, abs=0.05)


def test_a_thumb_up_over_a_fist_is_thumbs_up_and_upside_down_it_is_not() -> None:
    # fingers point to the image's right (turn +90°), so the thumb that stood out sideways to −x
    # in the hand's frame now points up
    up = build_hand([CURLED] * 4, *THUMB_SIDE, turn_degrees=90.0)
    down = build_hand([CURLED] * 4, *THUMB_SIDE, turn_degrees=-90.0)
    assert classify_hand(up)[0] == "thumbs_up"
    assert classify_hand(down)[0] == "other"


@pytest.mark.parametrize(
    "fingers",
    [
        [STRAIGHT, STRAIGHT, CURLED, CURLED],
        [HALF, HALF, HALF, HALF],
        [CURLED, STRAIGHT, CURLED, CURLED],
    ],
    ids=["two-fingers", "half-open", "middle-finger"],
)
def test_other_shapes_are_other(fingers) -> None:
    assert classify_hand(build_hand(fingers, *THUMB_ACROSS))[0] == "other"


def test_a_hand_needs_21_landmarks() -> None:
    with pytest.raises(ValueError, match="21"):
        classify_hand(np.zeros((20, 3)))


def _mesh_with_eye(opening: float, width: float = 30.0):
    points = np.zeros((478, 3))
    p1, p2, p3, p4, p5, p6 = LEFT_EYE
    points[p1], points[p4] = (0.0, 0.0, 0.0), (width, 0.0, 0.0)
    points[p2], points[p6] = (10.0, -opening / 2, 0.0), (10.0, opening / 2, 0.0)
    points[p3], points[p5] = (20.0, -opening / 2, 0.0), (20.0, opening / 2, 0.0)
    return points


@pytest.mark.parametrize("opening", [0.0, 3.0, 9.0])
def test_eye_aspect_ratio_is_the_lid_gap_over_the_eye_width(opening: float) -> None:
    assert eye_aspect_ratio(_mesh_with_eye(opening), LEFT_EYE) == pytest.approx(opening / 30.0)


def test_mouth_aspect_ratio_is_the_mean_lip_gap_over_the_mouth_width() -> None:
    points = np.zeros((478, 3))
    points[MOUTH_CORNERS[0]], points[MOUTH_CORNERS[1]] = (0.0, 0.0, 0.0), (40.0, 0.0, 0.0)
    for (upper, lower), gap in zip(MOUTH_PAIRS, (20.0, 30.0, 22.0), strict=True):
        points[upper], points[lower] = (20.0, -gap / 2, 0.0), (20.0, gap / 2, 0.0)
    assert mouth_aspect_ratio(points) == pytest.approx(24.0 / 40.0)
