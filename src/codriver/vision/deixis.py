"""Gaze and pointing as deixis: the window, mirror, screen or sunroof an occupant looks or points
at, as the VSS branch the assistant's ``gaze`` input takes — or none when it is not clearly one.

Angles come from the cabin geometry (``data/cabin.yaml``); a look or a point counts once it has
been held (its median over ``steady_s``), and stays the answer to "that one" for ``fresh_s``.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field, replace

from codriver.vehicle.seats import Seat
from codriver.vision.events import DeixisTarget
from codriver.vision.geometry import CabinGeometry, SeatRegion, Target, Tolerance
from codriver.vision.observation import FaceObservation, Point


def pick(distances: list[tuple[float, str]], tolerance: Tolerance) -> Picked:
    """The nearest target when it is within the tolerance and clearly nearer than the next one;
    with the nearest few, nearest first."""
    ranked = sorted(distances)
    names = tuple(name for _, name in ranked[:3])
    if not ranked or ranked[0][0] > tolerance.max_error:
        return Picked(None, names, ambiguous=False)
    if len(ranked) > 1 and ranked[1][0] - ranked[0][0] < tolerance.margin:
        return Picked(None, names, ambiguous=True)
    return Picked(ranked[0][1], names, ambiguous=False)


@dataclass(frozen=True, slots=True)
class Picked:
    """The target singled out (None if none), the nearest few, and whether two were too close
    to tell apart (rather than nothing being near)."""

    branch: str | None
    near: tuple[str, ...]
    ambiguous: bool


def gaze_target(
    region: SeatRegion, gaze: tuple[float, float], forward: tuple[float, float], tol: Tolerance
) -> Picked:
    """What a seat's occupant looks at, from their gaze in camera degrees (yaw > 0 to their
    right) and where they look when looking ahead."""
    azimuth, elevation = gaze[0] - forward[0], gaze[1] - forward[1]
    return pick([(_angular(t, azimuth, elevation), t.branch) for t in region.targets], tol)


def point_target(region: SeatRegion, direction: Point, tol: Tolerance) -> Picked:
    """What a seat's occupant points at, from the index finger's direction in the image."""
    if math.hypot(*direction) < 1e-6:
        return Picked(None, (), ambiguous=True)  # pointing at the camera: no direction
    angle = math.degrees(math.atan2(-direction[1], direction[0])) % 360.0
    return pick(
        [(_circular(angle, t.point), t.branch) for t in region.targets if t.point is not None],
        tol,
    )


def _angular(target: Target, azimuth: float, elevation: float) -> float:
    return math.hypot(target.gaze[0] - azimuth, target.gaze[1] - elevation)


def _circular(a: float, b: float) -> float:
    d = abs(a - b) % 360.0
    return min(d, 360.0 - d)


@dataclass
class _Seen:
    gazes: deque[tuple[float, float, float]] = field(default_factory=deque)
    clear: DeixisTarget | None = None
    """The last target singled out."""
    doubt: DeixisTarget | None = None
    """The last look or point between two targets."""
    shown: tuple[str | None, bool] = (None, False)


class DeixisTracker:
    """Follows each seat's gaze; remembers each seat's latest look or point as "that one"."""

    def __init__(self, geometry: CabinGeometry) -> None:
        self.geometry = geometry
        self._seats: dict[Seat, _Seen] = {}

    def look(
        self, t: float, seat: Seat, face: FaceObservation, forward: tuple[float, float]
    ) -> DeixisTarget | None:
        """A face's gaze this frame; a target (or a doubt) when a held look settles on a new one."""
        settings = self.geometry.deixis
        seen = self._seats.setdefault(seat, _Seen())
        if face.confidence < settings.min_confidence:
            return None
        seen.gazes.append((t, face.gaze_yaw, face.gaze_pitch))
        while seen.gazes and seen.gazes[0][0] < t - settings.steady_s:
            seen.gazes.popleft()
        if t - seen.gazes[0][0] < settings.steady_s * 0.9:
            return None  # not held long enough yet
        gaze = (
            statistics.median(g[1] for g in seen.gazes),
            statistics.median(g[2] for g in seen.gazes),
        )
        picked = gaze_target(self.geometry.region(seat), gaze, forward, settings.gaze)
        pointed = seen.clear if seen.clear is not None and seen.clear.by == "point" else None
        if pointed is not None and t - pointed.t <= settings.fresh_s:
            return None  # a finger pointing outranks the eyes while it is fresh
        return self._note(seen, DeixisTarget(t, seat, "gaze", picked.branch, picked.near), picked)

    def point(self, t: float, seat: Seat, direction: Point) -> DeixisTarget:
        """A finger held pointing: always reported (a point is meant), clear or not."""
        picked = point_target(self.geometry.region(seat), direction, self.geometry.deixis.point)
        target = DeixisTarget(t, seat, "point", picked.branch, picked.near)
        seen = self._seats.setdefault(seat, _Seen())
        self._note(seen, target, replace(picked, ambiguous=picked.branch is None))
        return target

    def _note(self, seen: _Seen, target: DeixisTarget, picked: Picked) -> DeixisTarget | None:
        if picked.branch is not None:
            seen.clear = target
        elif picked.ambiguous:
            seen.doubt = target
        shown = (picked.branch, picked.ambiguous)
        if shown == seen.shown:
            return None
        seen.shown = shown
        return None if shown == (None, False) else target  # looking at nothing: no event

    def that_one(self, seat: Seat, now: float) -> DeixisTarget | None:
        """What ``seat``'s occupant singled out last, if recently: the answer to "that one" —
        a target, or one with no branch when their last look or point was between two."""
        seen = self._seats.get(seat)
        if seen is None:
            return None
        fresh = [
            x
            for x in (seen.clear, seen.doubt)
            if x is not None and now - x.t <= self.geometry.deixis.fresh_s
        ]
        return max(fresh, key=lambda x: x.t) if fresh else None
