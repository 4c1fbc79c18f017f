"""Frame observations as JSON, so that what the cabin camera saw can be logged and replayed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from codriver.server.store.log import Json
from codriver.vision.observation import FaceObservation, FrameObservation, HandObservation


def frames_to_json(frames: Sequence[FrameObservation]) -> list[Json]:
    return [_frame(f) for f in frames]


def frames_from_json(raw: Json) -> list[FrameObservation]:
    return [_observation(cast(dict[str, Any], f)) for f in cast(list[Json], raw)]


def _frame(frame: FrameObservation) -> Json:
    return {
        "t": frame.t,
        "width": frame.width,
        "height": frame.height,
        "faces": [
            {
                "box": list(f.box),
                "eye_open_left": f.eye_open_left,
                "eye_open_right": f.eye_open_right,
                "mouth_open": f.mouth_open,
                "yaw": f.yaw,
                "pitch": f.pitch,
                "roll": f.roll,
                "gaze_yaw": f.gaze_yaw,
                "gaze_pitch": f.gaze_pitch,
                "confidence": f.confidence,
            }
            for f in frame.faces
        ],
        "hands": [
            {
                "handedness": h.handedness,
                "landmarks": [list(p) for p in h.landmarks],
                "shape": h.shape,
                "pointing": None if h.pointing is None else list(h.pointing),
                "confidence": h.confidence,
            }
            for h in frame.hands
        ],
    }


def _observation(raw: dict[str, Any]) -> FrameObservation:
    faces = tuple(FaceObservation(**{**f, "box": tuple(f["box"])}) for f in raw["faces"])
    hands = tuple(
        HandObservation(
            h["handedness"],
            tuple((p[0], p[1], p[2]) for p in h["landmarks"]),
            h["shape"],
            None if h["pointing"] is None else (h["pointing"][0], h["pointing"][1]),
            h["confidence"],
        )
        for h in raw["hands"]
    )
    return FrameObservation(raw["t"], raw["width"], raw["height"], faces, hands)
