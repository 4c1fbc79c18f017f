"""Perception (extra ``[vision]``): camera frames become :mod:`~codriver.vision.observation` values.

MediaPipe's face mesh (478 points with the irises) gives eye and mouth opening, head pose and gaze;
its hands graph gives 21 landmarks per hand, from which the hand's shape is read. Models come from
inside the MediaPipe wheel; nothing is downloaded, and frames are never stored or sent.

    with Perceiver(PerceptionConfig(hands=True)) as perceiver:
        for t, frame in open_source("drive.mp4"):
            observation = perceiver.observe(frame, t)
"""

from __future__ import annotations

try:
    import numpy  # noqa: F401  (the extra is there, or the import error names it)
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    from codriver.errors import MissingExtraError

    raise MissingExtraError(
        "camera perception (and MediaPipe apart: pip install --no-deps mediapipe==0.10.21)",
        "vision",
    ) from exc

from codriver.vision.perception.hands import classify_hand
from codriver.vision.perception.perceiver import (
    FrameError,
    Perceiver,
    PerceptionConfig,
    check_frame,
    face_observation,
)

__all__ = [
    "FrameError",
    "Perceiver",
    "PerceptionConfig",
    "check_frame",
    "classify_hand",
    "face_observation",
]
