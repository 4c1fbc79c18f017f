"""The cabin as the camera sees it (``data/cabin.yaml``): which seat a face or a hand is in, where
each occupant looks when looking ahead, and what they may look or point at."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from codriver.errors import ConfigError
from codriver.vehicle.seats import SEATS, Seat
from codriver.vision.observation import FaceObservation, HandObservation, Point
from codriver.yamlfile import YAMLError, load_yaml, read_yaml

Drive = Literal["left", "right"]


@dataclass(frozen=True, slots=True)
class Target:
    """Something "that one" may be: a VSS branch, where it lies for the eyes of one seat
    (azimuth, elevation in degrees) and, if a finger can single it out, its image angle."""

    branch: str
    gaze: tuple[float, float]
    point: float | None = None


@dataclass(frozen=True, slots=True)
class SeatRegion:
    """Where one seat's occupant appears: an image column and a row (1 front, 2 rear), and the
    camera yaw and pitch of their face when they look straight ahead."""

    seat: Seat
    x: tuple[float, float]
    row: int
    forward: tuple[float, float]
    targets: tuple[Target, ...] = ()

    def holds_x(self, x: float) -> bool:
        return self.x[0] <= x < self.x[1] or (x == 1.0 and self.x[1] == 1.0)


@dataclass(frozen=True, slots=True)
class Tolerance:
    max_error: float
    margin: float


@dataclass(frozen=True, slots=True)
class DeixisSettings:
    gaze: Tolerance
    point: Tolerance
    steady_s: float
    fresh_s: float
    min_confidence: float


@dataclass(frozen=True, slots=True)
class LeftBehindSettings:
    after_s: float
    warm_celsius: float
    repeat_s: float
    cooling: tuple[tuple[str, Mapping[str, object]], ...]


@dataclass(frozen=True, slots=True)
class CabinGeometry:
    """Seat regions, targets and the settings that go with them, for one drive side."""

    drive: Drive
    regions: tuple[SeatRegion, ...]
    front_face_min: float
    deixis: DeixisSettings
    occupancy_settle_s: float
    occupancy_min_confidence: float
    left_behind: LeftBehindSettings

    @classmethod
    def load(cls, path: Path | None = None, *, drive: Drive | None = None) -> CabinGeometry:
        """The shipped geometry (or a file in its format), for ``drive`` (default: the file's)."""
        return _load(path, drive)

    def region(self, seat: Seat) -> SeatRegion:
        return next(r for r in self.regions if r.seat == seat)

    def seat_of_face(self, face: FaceObservation) -> Seat | None:
        """The seat whose region holds the face's centre: front row for big faces."""
        row = 1 if face.box[3] - face.box[1] >= self.front_face_min else 2
        x = face.center[0]
        for region in self.regions:
            if region.row == row and region.holds_x(x):
                return region.seat
        return None

    def seat_of_hand(self, hand: HandObservation) -> Seat | None:
        """The front seat whose column holds the hand: hands are raised in front, near the body."""
        return self.seat_of_point(hand.center)

    def seat_of_point(self, point: Point) -> Seat | None:
        for region in self.regions:
            if region.row == 1 and region.holds_x(point[0]):
                return region.seat
        return None

    def mirrored(self) -> CabinGeometry:
        """The same cabin for the other drive side: x, yaw and pointing mirrored."""
        drive: Drive = "right" if self.drive == "left" else "left"
        return replace(self, drive=drive, regions=tuple(_mirror(r) for r in self.regions))


def _mirror(region: SeatRegion) -> SeatRegion:
    targets = tuple(
        Target(
            t.branch,
            (-t.gaze[0], t.gaze[1]),
            None if t.point is None else (180.0 - t.point) % 360.0,
        )
        for t in region.targets
    )
    x0, x1 = region.x
    return replace(
        region,
        x=(1.0 - x1, 1.0 - x0),
        forward=(-region.forward[0], region.forward[1]),
        targets=targets,
    )


@cache
def _shipped() -> Any:
    return read_yaml("codriver.vision", "data/cabin.yaml")


def _load(path: Path | None, drive: Drive | None) -> CabinGeometry:
    where = str(path or "codriver/vision/data/cabin.yaml")
    try:
        raw = _shipped() if path is None else load_yaml(path.read_text(encoding="utf-8"))
        geometry = _parse(raw)
    except (OSError, YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"bad cabin geometry in {where}: {exc}") from exc
    if drive is not None and drive != geometry.drive:
        geometry = geometry.mirrored()
    return geometry


def _parse(raw: Mapping[str, Any]) -> CabinGeometry:
    drive = raw.get("drive", "left")
    if drive not in ("left", "right"):
        raise ValueError(f"drive must be left or right, not {drive!r}")
    regions = []
    for name, spec in raw["seats"]["regions"].items():
        if name not in SEATS:
            raise ValueError(f"unknown seat {name!r}")
        seat = cast(Seat, name)
        targets = tuple(_target(t) for t in raw["targets"].get(name, ()))
        x0, x1 = (float(v) for v in spec["x"])
        if not 0.0 <= x0 < x1 <= 1.0:
            raise ValueError(f"{name}: x must be a range inside 0..1")
        forward = (float(spec["forward"]["yaw"]), float(spec["forward"]["pitch"]))
        regions.append(SeatRegion(seat, (x0, x1), int(spec["row"]), forward, targets))
    deixis = raw["deixis"]
    occupancy = raw["occupancy"]
    behind = raw["left_behind"]
    return CabinGeometry(
        drive=drive,
        regions=tuple(regions),
        front_face_min=float(raw["seats"]["front_face_min"]),
        deixis=DeixisSettings(
            gaze=_tolerance(deixis["gaze"]),
            point=_tolerance(deixis["point"]),
            steady_s=float(deixis["steady_s"]),
            fresh_s=float(deixis["fresh_s"]),
            min_confidence=float(deixis["min_confidence"]),
        ),
        occupancy_settle_s=float(occupancy["settle_s"]),
        occupancy_min_confidence=float(occupancy["min_confidence"]),
        left_behind=LeftBehindSettings(
            after_s=float(behind["after_s"]),
            warm_celsius=float(behind["warm_celsius"]),
            repeat_s=float(behind["repeat_s"]),
            cooling=tuple((str(c["tool"]), dict(c.get("args") or {})) for c in behind["cooling"]),
        ),
    )


def _tolerance(raw: Mapping[str, Any]) -> Tolerance:
    return Tolerance(float(raw["max_error_deg"]), float(raw["margin_deg"]))


def _target(raw: Mapping[str, Any]) -> Target:
    azimuth, elevation = (float(v) for v in raw["gaze"])
    point = raw.get("point")
    return Target(str(raw["branch"]), (azimuth, elevation), None if point is None else float(point))
