"""Real photographs that ship in packages, and edits made from them with their own landmarks:
eyes painted shut, the camera rotated, the head re-drawn turned. Used by the perception tests and
by ``benchmarks/vision_bench.py``; needs numpy, OpenCV, MediaPipe and scikit-image (scipy)."""

from __future__ import annotations

import math
import os
from pathlib import Path

import cv2
import numpy as np
from mediapipe.python.solutions import face_mesh_connections
from scipy.spatial import Delaunay

REQUIRED = os.environ.get("CODRIVER_REQUIRE_VISION") == "1"  # .ci/run sets it: no silent skip
OPENCV_DOC = Path("/usr/share/doc/opencv-doc")
HAND_PHOTOS = [
    OPENCV_DOC / "opencv4/html" / name
    for name in (
        "Back_Projection1_Source_Image.jpg",
        "Back_Projection_Theory0.jpg",
        "Histogram_Comparison_Source_0.jpg",
        "Histogram_Comparison_Source_1.jpg",
        "Histogram_Comparison_Source_2.jpg",
    )
]
FRUITS = OPENCV_DOC / "examples/data/fruits.jpg"
SHUT_EYE_MAX = 0.15  # eye aspect ratio of a shut eye, at most (FaceObservation's own bound)


def read_rgb(path: Path):
    """A photo as RGB; under pytest, a missing one skips (or fails where CI requires it)."""
    if not path.is_file():
        import pytest

        if REQUIRED:
            pytest.fail(f"{path} is missing: .ci/run installs Debian's opencv-doc")
        pytest.skip(f"{path} is missing (Debian's opencv-doc is not installed)")
    return cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)


def cameraman():
    """scikit-image's cameraman, cropped to his head: a real head in near profile, facing the
    image's right (so its yaw is negative), looking into a camera's viewfinder."""
    from skimage import data

    grey = cv2.resize(data.camera()[40:240, 160:360], (400, 400))
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB)


def hopper():
    from matplotlib import cbook

    with cbook.get_sample_data("grace_hopper.jpg") as handle:
        encoded = np.frombuffer(handle.read(), np.uint8)
    return cv2.cvtColor(cv2.imdecode(encoded, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _contour(connections) -> list[int]:
    """MediaPipe's eye outline (pairs of indices) as one closed polygon."""
    neighbours: dict[int, list[int]] = {}
    for a, b in connections:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    start = min(neighbours)
    polygon, previous, current = [start], None, start
    while True:
        following = next(n for n in neighbours[current] if n != previous)
        if following == start:
            return polygon
        polygon.append(following)
        previous, current = current, following


def shut_eyes(image, mesh, which: str = "both"):
    """The photo with its eyes painted shut: each eye's outline filled from the skin around it,
    then a thin dark lash line sagging between the corners. ``which``: "both", or "image-right"
    (the person's left eye, in a photo that is not mirrored)."""
    height, width = image.shape[:2]
    outlines = [
        np.array([(mesh[i, 0] * width, mesh[i, 1] * height) for i in _contour(eye)], np.int32)
        for eye in (
            face_mesh_connections.FACEMESH_LEFT_EYE,
            face_mesh_connections.FACEMESH_RIGHT_EYE,
        )
    ]
    if which == "image-right":
        outlines = [max(outlines, key=lambda outline: outline[:, 0].mean())]
    mask = np.zeros((height, width), np.uint8)
    cv2.fillPoly(mask, outlines, 255)
    mask = cv2.dilate(mask, np.ones((5, 5), np.uint8), iterations=2)
    shut = cv2.inpaint(image, mask, 5, cv2.INPAINT_TELEA)
    for outline in outlines:
        left, right = outline[outline[:, 0].argmin()], outline[outline[:, 0].argmax()]
        span = float(right[0] - left[0])
        xs = np.linspace(left[0], right[0], 12)
        sag = np.sin(np.linspace(0.0, math.pi, 12)) * span * 0.12
        ys = np.interp(xs, [left[0], right[0]], [left[1], right[1]]) + sag
        lashes = np.stack([xs, ys], axis=1).astype(np.int32)
        cv2.polylines(shut, [lashes], False, (45, 30, 25), max(1, round(span / 18)), cv2.LINE_AA)
    return shut


def rotate(image, degrees: float):
    """The photo turned counter-clockwise on screen by ``degrees`` about its centre."""
    height, width = image.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(image, turn, (width, height), borderMode=cv2.BORDER_REPLICATE)


def turn_head(image, mesh, yaw: float = 0.0, pitch: float = 0.0):
    """The photo with its face re-drawn turned by yaw (to the image's left) and pitch (up), in
    degrees: the mesh's 468 surface points are rotated in 3-D about their centre and each
    triangle of the face is warped from where it was to where it goes, farthest first."""
    height, width = image.shape[:2]
    points = mesh[:468] * np.array([width, height, width])
    centre = points.mean(axis=0)
    a, b = math.radians(yaw), math.radians(pitch)
    about_y = np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])
    about_x = np.array([[1, 0, 0], [0, math.cos(b), math.sin(b)], [0, -math.sin(b), math.cos(b)]])
    moved = (points - centre) @ (about_x @ about_y).T + centre
    triangles = Delaunay(points[:, :2]).simplices
    out = image.copy()
    for triangle in triangles[np.argsort(-moved[triangles, 2].mean(axis=1))]:
        source, target = points[triangle, :2], moved[triangle, :2]
        x, y, w, h = cv2.boundingRect(target.astype(np.float32))
        warp = cv2.getAffineTransform(
            source.astype(np.float32), (target - [x, y]).astype(np.float32)
        )
        patch = cv2.warpAffine(image, warp, (w, h), borderMode=cv2.BORDER_REFLECT)
        inside = np.zeros((h, w), np.uint8)
        cv2.fillConvexPoly(inside, np.round(target - [x, y]).astype(np.int32), 1)
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, width), min(y + h, height)
        keep = inside[y0 - y : y1 - y, x0 - x : x1 - x].astype(bool)
        out[y0:y1, x0:x1][keep] = patch[y0 - y : y1 - y, x0 - x : x1 - x][keep]
    return out


IRISES = ((473, (474, 475, 476, 477)), (468, (469, 470, 471, 472)))  # centre, rim (left, right)


def look_sideways(image, mesh, fraction: float):
    """The photo with both irises moved sideways by ``fraction`` of each eye's width (+: to the
    image's right): the iris disc is painted over with the eye's white, then drawn again shifted,
    both only between the lids."""
    height, width = image.shape[:2]
    out = image.copy()
    eyes = (face_mesh_connections.FACEMESH_LEFT_EYE, face_mesh_connections.FACEMESH_RIGHT_EYE)
    for eye, (centre, rim) in zip(eyes, IRISES, strict=True):
        outline = np.array([(mesh[i, 0] * width, mesh[i, 1] * height) for i in _contour(eye)])
        inside = np.zeros((height, width), np.uint8)
        cv2.fillPoly(inside, [outline.astype(np.int32)], 1)
        middle = mesh[centre, :2] * [width, height]
        radius = 1.15 * np.mean([np.hypot(*(mesh[i, :2] * [width, height] - middle)) for i in rim])
        disc = np.zeros((height, width), np.uint8)
        cv2.circle(disc, tuple(int(v) for v in np.round(middle)), round(radius), 1, -1)
        white = np.percentile(image[(inside == 1) & (disc == 0)], 75, axis=0).astype(np.uint8)
        out[(inside == 1) & (disc == 1)] = white
        shift = np.float32([[1, 0, fraction * np.ptp(outline[:, 0])], [0, 1, 0]])
        moved = cv2.warpAffine(image, shift, (width, height))
        moved_disc = cv2.warpAffine(disc, shift, (width, height), flags=cv2.INTER_NEAREST)
        keep = (inside == 1) & (moved_disc == 1)
        out[keep] = moved[keep]
    return out
