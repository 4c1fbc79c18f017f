"""How open the eyes and the mouth are, measured on MediaPipe's 478-point face mesh.

All measures take the mesh in pixel units (``to_pixels``): x and z scaled by the image width, y by
its height, so a ratio of lengths does not depend on the frame's aspect. "Left" and "right" are the
person's own: in a camera image that is not mirrored the person's left eye is on the image's right.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# The 6-point eye contour of the eye aspect ratio (Soukupová and Čech, 2016), as mesh indices:
# p1 outer corner, p2 p3 upper lid, p4 inner corner, p5 p6 lower lid (p2 above p6, p3 above p5).
LEFT_EYE = (263, 387, 385, 362, 380, 373)
RIGHT_EYE = (33, 160, 158, 133, 153, 144)
# Inner lip contour: the two corners, then three upper/lower pairs across the mouth.
MOUTH_CORNERS = (78, 308)
MOUTH_PAIRS = ((81, 178), (13, 14), (311, 402))
LEFT_IRIS_CENTER = 473
RIGHT_IRIS_CENTER = 468
MESH_POINTS = 478


def to_pixels(landmarks: FloatArray, width: int, height: int) -> FloatArray:
    """Normalised mesh rows (x, y, z) in pixels: x and z times the width, y times the height."""
    return landmarks * np.array([width, height, width], dtype=np.float64)


def _distance(points: FloatArray, a: int, b: int) -> float:
    return float(np.linalg.norm(points[a, :2] - points[b, :2]))


def eye_aspect_ratio(points: FloatArray, eye: tuple[int, int, int, int, int, int]) -> float:
    """(|p2−p6| + |p3−p5|) / (2·|p1−p4|) in the image plane: ≈0.25–0.35 open, near 0 shut."""
    p1, p2, p3, p4, p5, p6 = eye
    width = _distance(points, p1, p4)
    if width == 0.0:
        return 0.0
    return (_distance(points, p2, p6) + _distance(points, p3, p5)) / (2.0 * width)


def mouth_aspect_ratio(points: FloatArray) -> float:
    """Mean inner-lip opening over the inner mouth width: ≈0 closed, above 0.6 a yawn."""
    width = _distance(points, *MOUTH_CORNERS)
    if width == 0.0:
        return 0.0
    openings = [_distance(points, a, b) for a, b in MOUTH_PAIRS]
    return sum(openings) / (len(openings) * width)


def face_box(landmarks: FloatArray) -> tuple[float, float, float, float]:
    """The mesh's bounding box, normalised and clipped to the image: x0, y0, x1, y1."""
    xs = np.clip(landmarks[:, 0], 0.0, 1.0)
    ys = np.clip(landmarks[:, 1], 0.0, 1.0)
    return (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
