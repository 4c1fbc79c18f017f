"""Hand gestures over time (``data/gestures.yaml``): a palm held still, a swipe across, a
thumbs-up, a finger pointing. Each is reported once: a swipe is one skip, a palm held for
seconds is one pause, until the hand lets go of the shape (or leaves) and comes back."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from codriver.errors import ConfigError
from codriver.vision.events import GestureKind
from codriver.vision.observation import HandObservation, HandShape, Point
from codriver.yamlfile import read_yaml

Proposal = tuple[str, Mapping[str, object]] | Literal["confirm"]


@dataclass(frozen=True, slots=True)
class GestureSettings:
    hold_s: Mapping[str, float]
    still_radius: float
    swipe_distance: float
    swipe_within_s: float
    swipe_straightness: float
    swipe_directions: Mapping[str, GestureKind]
    rearm_s: float
    cooldown_s: float
    min_confidence: float
    track_radius: float
    proposals: Mapping[str, Proposal]

    @classmethod
    def load(cls) -> GestureSettings:
        return _load()


@cache
def _load() -> GestureSettings:
    try:
        raw: Mapping[str, Any] = read_yaml("codriver.vision", "data/gestures.yaml")
        swipe = raw["swipe"]
        directions = dict(swipe["directions"])
        if set(directions) != {"image_left", "image_right"} or not set(directions.values()) <= {
            "next",
            "previous",
        }:
            raise ValueError("swipe directions map image_left and image_right to next/previous")
        proposals: dict[str, Proposal] = {}
        for name, spec in raw["proposals"].items():
            proposals[name] = (
                "confirm" if spec == "confirm" else (str(spec["tool"]), dict(spec["args"]))
            )
        return GestureSettings(
            hold_s={k: float(v) for k, v in raw["hold_s"].items()},
            still_radius=float(raw["still_radius"]),
            swipe_distance=float(swipe["distance"]),
            swipe_within_s=float(swipe["within_s"]),
            swipe_straightness=float(swipe["straightness"]),
            swipe_directions=directions,
            rearm_s=float(raw["rearm_s"]),
            cooldown_s=float(raw["cooldown_s"]),
            min_confidence=float(raw["min_confidence"]),
            track_radius=float(raw["track_radius"]),
            proposals=proposals,
        )
    except (KeyError, TypeError, ValueError) as exc:
        where = "codriver/vision/data/gestures.yaml"
        raise ConfigError(f"bad gesture settings in {where}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Gesture:
    """A gesture as the hand made it: where the hand was and, for a point, its direction."""

    t: float
    kind: GestureKind
    at: Point
    pointing: Point | None = None


@dataclass
class _Track:
    """One hand followed from frame to frame."""

    handedness: str
    center: Point
    seen: float
    path: deque[tuple[float, Point]] = field(default_factory=deque)
    shape: HandShape = "other"
    shape_since: float = 0.0
    anchor: Point = (0.0, 0.0)
    still_since: float = 0.0
    fired: str | None = None
    """The shape (or ``swipe``) already reported; reported again only once let go of."""
    off_since: float | None = None
    last_fired: float = -math.inf


class GestureRecognizer:
    """Feed it each frame's hands; it returns the gestures completed in that frame."""

    def __init__(self, settings: GestureSettings | None = None) -> None:
        self.s = settings or GestureSettings.load()
        self._tracks: list[_Track] = []

    def update(self, t: float, hands: tuple[HandObservation, ...]) -> list[Gesture]:
        self._tracks = [k for k in self._tracks if t - k.seen <= self.s.rearm_s]
        gestures = []
        taken: set[int] = set()
        for hand in hands:
            if hand.confidence < self.s.min_confidence or len(hand.landmarks) == 0:
                continue
            track = self._track(t, hand, taken)
            taken.add(id(track))
            gesture = self._step(t, track, hand)
            if gesture is not None:
                gestures.append(gesture)
        return gestures

    def _track(self, t: float, hand: HandObservation, taken: set[int]) -> _Track:
        center = hand.center
        near = [
            k
            for k in self._tracks
            if id(k) not in taken
            and k.handedness == hand.handedness
            and math.dist(k.center, center) <= self.s.track_radius
        ]
        if near:
            return min(near, key=lambda k: math.dist(k.center, center))
        track = _Track(hand.handedness, center, t, shape_since=t, anchor=center, still_since=t)
        self._tracks.append(track)
        return track

    def _step(self, t: float, track: _Track, hand: HandObservation) -> Gesture | None:
        s, center = self.s, hand.center
        track.center, track.seen = center, t
        track.path.append((t, center))
        while track.path and track.path[0][0] < t - s.swipe_within_s:
            track.path.popleft()
        if hand.shape != track.shape:
            track.shape, track.shape_since = hand.shape, t
        if math.dist(track.anchor, center) > s.still_radius:
            track.anchor, track.still_since = center, t
        self._rearm(t, track)
        if t - track.last_fired < s.cooldown_s:
            return None
        kind = self._swipe(track) or self._held(t, track, hand)
        if kind is None:
            return None
        track.fired = "swipe" if kind in ("next", "previous") else track.shape
        track.off_since, track.last_fired = None, t
        track.path.clear()
        return Gesture(t, kind, center, hand.pointing if kind == "point" else None)

    def _rearm(self, t: float, track: _Track) -> None:
        if track.fired is None:
            return
        if track.fired != "swipe" and track.shape == track.fired:
            track.off_since = None
        elif track.off_since is None:
            track.off_since = t
        elif t - track.off_since >= self.s.rearm_s:
            track.fired, track.off_since = None, None

    def _swipe(self, track: _Track) -> GestureKind | None:
        s = self.s
        if len(track.path) < 2:
            return None
        (_, start), (_, end) = track.path[0], track.path[-1]
        dx, dy = end[0] - start[0], end[1] - start[1]
        if abs(dx) < s.swipe_distance or abs(dx) < s.swipe_straightness * abs(dy):
            return None
        return s.swipe_directions["image_right" if dx > 0 else "image_left"]

    def _held(self, t: float, track: _Track, hand: HandObservation) -> GestureKind | None:
        shape = track.shape
        if track.fired is not None or shape not in self.s.hold_s:
            return None
        held = t - track.shape_since >= self.s.hold_s[shape]
        if shape == "palm":
            still = t - track.still_since >= self.s.hold_s[shape]
            return "palm" if held and still else None
        if shape == "point" and hand.pointing is None:
            return None
        return "point" if shape == "point" and held else "thumbs_up" if held else None
