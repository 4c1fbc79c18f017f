"""The one place that touches MediaPipe: its legacy face-mesh and hands graphs behind typed calls.

MediaPipe 0.10.21 ships no type information, so every untyped call is confined here; the rest of
perception sees numpy arrays. The graphs load the models packaged in the wheel (face detection,
face landmarks with attention, i.e. 478 points with the irises, palm detection, hand landmarks):
nothing is downloaded. Each graph is a native resource that must be closed (the Perceiver does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from codriver.errors import MissingExtraError

FloatArray = npt.NDArray[np.float64]
ImageArray = npt.NDArray[np.uint8]

INSTALL_HINT = (
    "camera perception (MediaPipe, installed apart: pip install --no-deps mediapipe==0.10.21)"
)


def _solutions() -> Any:
    try:
        from mediapipe.python import solutions
    except ImportError as exc:
        raise MissingExtraError(INSTALL_HINT, "vision") from exc
    return solutions


@dataclass(frozen=True, slots=True)
class RawHand:
    """One hand as the graph reports it: 21 normalised (x, y, z) rows and its handedness label
    (MediaPipe's, which assumes a mirrored selfie image)."""

    points: FloatArray
    label: str
    score: float


def _as_array(landmarks: Any) -> FloatArray:
    return np.array([(p.x, p.y, p.z) for p in landmarks.landmark], dtype=np.float64)


class FaceMeshGraph:
    """MediaPipe's face mesh with refined eyes and lips (478 landmarks per face)."""

    def __init__(self, *, max_faces: int, tracking: bool, min_confidence: float) -> None:
        self._graph: Any = _solutions().face_mesh.FaceMesh(
            static_image_mode=not tracking,
            max_num_faces=max_faces,
            refine_landmarks=True,
            min_detection_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
        )

    def process(self, image: ImageArray) -> list[FloatArray]:
        """Each face's landmarks as a (478, 3) array of normalised x, y and relative depth z."""
        result = self._graph.process(image)
        return [_as_array(face) for face in (result.multi_face_landmarks or [])]

    def close(self) -> None:
        self._graph.close()


class HandsGraph:
    """MediaPipe's hands: palm detection and 21 landmarks per hand."""

    def __init__(self, *, max_hands: int, tracking: bool, min_confidence: float) -> None:
        self._graph: Any = _solutions().hands.Hands(
            static_image_mode=not tracking,
            max_num_hands=max_hands,
            model_complexity=1,
            min_detection_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
        )

    def process(self, image: ImageArray) -> list[RawHand]:
        result = self._graph.process(image)
        hands = result.multi_hand_landmarks or []
        labels = result.multi_handedness or []
        return [
            RawHand(_as_array(h), c.classification[0].label, float(c.classification[0].score))
            for h, c in zip(hands, labels, strict=True)
        ]

    def close(self) -> None:
        self._graph.close()
