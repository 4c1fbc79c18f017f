"""The driver monitor's thresholds (``data/monitor.yaml``), as frozen values."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from codriver.errors import ConfigError
from codriver.yamlfile import YAMLError, load_yaml, read_yaml


@dataclass(frozen=True, slots=True)
class Curve:
    """A piecewise-linear map from a measure to a level, flat beyond its end points."""

    points: tuple[tuple[float, float], ...]

    @classmethod
    def parse(cls, raw: Sequence[Sequence[float]]) -> Curve:
        points = tuple((float(x), float(y)) for x, y in raw)
        if len(points) < 2 or any(b[0] <= a[0] for a, b in pairwise(points)):
            raise ValueError("a curve needs two or more points with rising x")
        return cls(points)

    def __call__(self, x: float) -> float:
        xs = [p[0] for p in self.points]
        if x <= xs[0]:
            return self.points[0][1]
        if x >= xs[-1]:
            return self.points[-1][1]
        i = bisect_right(xs, x)
        (x0, y0), (x1, y1) = self.points[i - 1], self.points[i]
        return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


@dataclass(frozen=True, slots=True)
class MonitorSettings:
    """Every figure the driver monitor uses; see ``data/monitor.yaml`` for their sources."""

    calibration_s: float
    calibration_min_samples: int
    open_percentile: float
    default_open_ear: float
    shut_ear: float
    relearn_after_absent_s: float
    closed_fraction: float
    blink_max_s: float
    long_closure_s: float
    perclos_window_s: float
    perclos_min_observed_s: float
    fatigue_curve: Curve
    yawn_mouth_open: float
    yawn_min_s: float
    yawn_window_s: float
    yawn_fatigue_each: float
    yawn_fatigue_max: float
    lapse_fatigue_floor: float
    lapse_hold_s: float
    road_yaw_deg: float
    road_pitch_deg: float
    head_down_deg: float
    head_away_deg: float
    attention_window_s: float
    glance_curve: Curve
    share_curve: Curve
    period_s: float
    face_lost_grace_s: float
    max_frame_gap_s: float
    level_step: float
    level_release: float
    eyes_off_after_s: float
    eyes_on_after_s: float
    min_face_confidence: float

    @classmethod
    def load(cls, path: Path | None = None) -> MonitorSettings:
        """The shipped settings, or a file in the same format."""
        where = str(path or "codriver/vision/data/monitor.yaml")
        try:
            raw = _shipped() if path is None else load_yaml(path.read_text(encoding="utf-8"))
            return _parse(raw)
        except (OSError, YAMLError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"bad driver-monitor settings in {where}: {exc}") from exc


@cache
def _shipped() -> Any:
    return read_yaml("codriver.vision", "data/monitor.yaml")


def _parse(raw: Mapping[str, Any]) -> MonitorSettings:
    cal, clo, per, yawn = raw["calibration"], raw["closure"], raw["perclos"], raw["yawn"]
    lapse, att, out = raw["lapse"], raw["attention"], raw["output"]
    return MonitorSettings(
        calibration_s=float(cal["seconds"]),
        calibration_min_samples=int(cal["min_samples"]),
        open_percentile=float(cal["open_percentile"]),
        default_open_ear=float(cal["default_open_ear"]),
        shut_ear=float(cal["shut_ear"]),
        relearn_after_absent_s=float(cal["relearn_after_absent_s"]),
        closed_fraction=float(clo["closed_fraction"]),
        blink_max_s=float(clo["blink_max_s"]),
        long_closure_s=float(clo["long_closure_s"]),
        perclos_window_s=float(per["window_s"]),
        perclos_min_observed_s=float(per["min_observed_s"]),
        fatigue_curve=Curve.parse(per["fatigue_curve"]),
        yawn_mouth_open=float(yawn["mouth_open"]),
        yawn_min_s=float(yawn["min_s"]),
        yawn_window_s=float(yawn["window_s"]),
        yawn_fatigue_each=float(yawn["fatigue_each"]),
        yawn_fatigue_max=float(yawn["fatigue_max"]),
        lapse_fatigue_floor=float(lapse["fatigue_floor"]),
        lapse_hold_s=float(lapse["hold_s"]),
        road_yaw_deg=float(att["road_yaw_deg"]),
        road_pitch_deg=float(att["road_pitch_deg"]),
        head_down_deg=float(att["head_down_deg"]),
        head_away_deg=float(att["head_away_deg"]),
        attention_window_s=float(att["window_s"]),
        glance_curve=Curve.parse(att["glance_curve"]),
        share_curve=Curve.parse(att["share_curve"]),
        period_s=float(out["period_s"]),
        face_lost_grace_s=float(out["face_lost_grace_s"]),
        max_frame_gap_s=float(out["max_frame_gap_s"]),
        level_step=float(out["level_step"]),
        level_release=float(out["level_release"]),
        eyes_off_after_s=float(out["eyes_off_after_s"]),
        eyes_on_after_s=float(out["eyes_on_after_s"]),
        min_face_confidence=float(out["min_face_confidence"]),
    )
