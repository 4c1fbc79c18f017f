"""The perceiver: one RGB frame in, one :class:`FrameObservation` out.

The face mesh always runs; the hands graph only when asked for (it costs about as much again).
With ``tracking`` (the default, for video) MediaPipe runs its detector only while it has lost the
face or hand and otherwise follows it from the last frame's landmarks; for unrelated still images
pass ``tracking=False``. A frame without a face gives an observation without faces: nothing is
carried over from an earlier frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Literal

import numpy as np
import numpy.typing as npt

from codriver.errors import InputError
from codriver.vision.observation import FaceObservation, FrameObservation, HandObservation
from codriver.vision.perception._mediapipe import FaceMeshGraph, HandsGraph, RawHand
from codriver.vision.perception.face import (
    LEFT_EYE,
    MESH_POINTS,
    RIGHT_EYE,
    eye_aspect_ratio,
    face_box,
    mouth_aspect_ratio,
    to_pixels,
)
from codriver.vision.perception.hands import HAND_POINTS, classify_hand
from codriver.vision.perception.pose import gaze, head_pose

ImageArray = npt.NDArray[np.uint8]
FloatArray = npt.NDArray[np.float64]


class FrameError(InputError, ValueError):
    """A frame that is not an RGB image: wrong type, dtype, shape or an empty array."""


@dataclass(frozen=True, slots=True)
class PerceptionConfig:
    """What to look for and how.

    ``mirrored``: the frames are mirrored like a selfie preview (MediaPipe's handedness assumes
    so); a cabin camera's raw frames are not. ``max_faces`` above 1 makes the face detector run on
    every frame in which fewer faces are tracked than that, which costs speed.
    """

    hands: bool = False
    max_faces: int = 1
    max_hands: int = 2
    tracking: bool = True
    mirrored: bool = False
    min_confidence: float = 0.5


def check_frame(frame: object) -> ImageArray:
    """The frame itself if it is an H×W×3 uint8 array with pixels, else :class:`FrameError`."""
    if not isinstance(frame, np.ndarray):
        raise FrameError(f"a frame is a numpy array, not {type(frame).__name__}")
    if frame.dtype != np.uint8:
        raise FrameError(f"a frame's pixels are uint8 (0–255 RGB), not {frame.dtype}")
    if frame.ndim != 3 or frame.shape[2] != 3:
        raise FrameError(f"a frame is an RGB image of shape (height, width, 3), not {frame.shape}")
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise FrameError(f"a frame has no pixels: shape {frame.shape}")
    return frame


def face_observation(landmarks: FloatArray, width: int, height: int) -> FaceObservation:
    """One face's measures from its (478, 3) normalised mesh."""
    if landmarks.shape != (MESH_POINTS, 3):
        raise ValueError(f"a face mesh has {MESH_POINTS} rows of (x, y, z), got {landmarks.shape}")
    points = to_pixels(landmarks, width, height)
    pose = head_pose(points)
    eyes = gaze(points, pose)
    return FaceObservation(
        box=face_box(landmarks),
        eye_open_left=eye_aspect_ratio(points, LEFT_EYE),
        eye_open_right=eye_aspect_ratio(points, RIGHT_EYE),
        mouth_open=mouth_aspect_ratio(points),
        yaw=pose.yaw,
        pitch=pose.pitch,
        roll=pose.roll,
        gaze_yaw=eyes.yaw,
        gaze_pitch=eyes.pitch,
    )


def hand_observation(raw: RawHand, width: int, height: int, *, mirrored: bool) -> HandObservation:
    """One hand's shape and landmarks; handedness is the person's own hand."""
    if raw.points.shape != (HAND_POINTS, 3):
        raise ValueError(f"a hand has {HAND_POINTS} rows of (x, y, z), got {raw.points.shape}")
    shape, pointing = classify_hand(to_pixels(raw.points, width, height))
    said: Literal["left", "right"] = "left" if raw.label.lower() == "left" else "right"
    if not mirrored:  # MediaPipe names the hand as if the image were a mirrored selfie
        said = "right" if said == "left" else "left"
    landmarks = tuple((float(x), float(y), float(z)) for x, y, z in raw.points)
    return HandObservation(
        handedness=said, landmarks=landmarks, shape=shape, pointing=pointing, confidence=raw.score
    )


def _area(face: FaceObservation) -> float:
    x0, y0, x1, y1 = face.box
    return (x1 - x0) * (y1 - y0)


class Perceiver:
    """Faces (and hands, if configured) in RGB frames; close it, or use it in ``with``."""

    def __init__(self, config: PerceptionConfig | None = None) -> None:
        self.config = config or PerceptionConfig()
        cfg = self.config
        self._faces = FaceMeshGraph(
            max_faces=cfg.max_faces, tracking=cfg.tracking, min_confidence=cfg.min_confidence
        )
        self._hands: HandsGraph | None = None
        if cfg.hands:
            self._hands = HandsGraph(
                max_hands=cfg.max_hands, tracking=cfg.tracking, min_confidence=cfg.min_confidence
            )
        self._closed = False

    def observe(self, frame: ImageArray, t: float) -> FrameObservation:
        """What the frame taken at ``t`` seconds shows; faces largest first."""
        if self._closed:
            raise RuntimeError("this Perceiver is closed")
        image = np.ascontiguousarray(check_frame(frame))
        height, width = image.shape[:2]
        meshes = self._faces.process(image)
        faces = [face_observation(mesh, width, height) for mesh in meshes]
        faces.sort(key=_area, reverse=True)
        hands: list[HandObservation] = []
        if self._hands is not None:
            mirrored = self.config.mirrored
            raws = self._hands.process(image)
            hands = [hand_observation(r, width, height, mirrored=mirrored) for r in raws]
        return FrameObservation(
            t=t, width=width, height=height, faces=tuple(faces), hands=tuple(hands)
        )

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._faces.close()
            if self._hands is not None:
                self._hands.close()

    def __enter__(self) -> Perceiver:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
