"""What the driver's face shows over time: eye closure against their own open baseline, blinks,
long closures, PERCLOS, yawns and glances away from the road.

The monitor only measures; :mod:`codriver.vision.levels` turns the measures into VSS's driver
signals. Time is the frames' own ``t``; a gap between frames counts at most
``max_frame_gap_s``, so a stalled camera does not make a blink a microsleep.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field

from codriver.vision.observation import FaceObservation
from codriver.vision.settings import MonitorSettings


@dataclass(frozen=True, slots=True)
class Baseline:
    """This driver's open-eye aspect ratio and their gaze and head when looking at the road."""

    open_ear: float
    gaze: tuple[float, float]
    head: tuple[float, float]
    learnt: bool


@dataclass(frozen=True, slots=True)
class Measures:
    """The driver's face over the recent past, at time ``t``."""

    t: float
    seen: bool
    """The driver's face was seen in the last ``face_lost_grace_s``."""
    calibrated: bool
    eye_closure: float | None
    """0 wide open .. 1 shut, against the driver's own open eyes."""
    eyes_closed_s: float
    blinks_per_min: int
    perclos: float | None
    yawns: int
    lapse: bool
    """A closure of ``long_closure_s`` or more within ``lapse_hold_s``."""
    head: tuple[float, float] | None
    """Head yaw and pitch from the driver's own road direction, degrees."""
    gaze: tuple[float, float] | None
    away_s: float
    away_share: float | None
    eyes_on_road: bool | None
    """This frame: the eyes open and on the road (None when the face is not seen)."""


@dataclass
class _Window:
    """Time-weighted samples over the last ``span`` seconds: how much of it was ``True``."""

    span: float
    samples: deque[tuple[float, float, bool]] = field(default_factory=deque)
    total: float = 0.0
    true: float = 0.0

    def add(self, t: float, dt: float, value: bool) -> None:
        self.samples.append((t, dt, value))
        self.total += dt
        self.true += dt if value else 0.0
        while self.samples and self.samples[0][0] < t - self.span:
            _, old, was = self.samples.popleft()
            self.total -= old
            self.true -= old if was else 0.0

    def share(self, min_total: float) -> float | None:
        return None if self.total < min_total else max(0.0, min(1.0, self.true / self.total))

    def clear(self) -> None:
        self.samples.clear()
        self.total = self.true = 0.0


@dataclass
class _Calibration:
    ears: list[float] = field(default_factory=list)
    gazes: list[tuple[float, float]] = field(default_factory=list)
    heads: list[tuple[float, float]] = field(default_factory=list)
    seen_s: float = 0.0


class DriverMonitor:
    """Feed it the driver's face (or None) frame by frame; read :meth:`measures`."""

    def __init__(self, settings: MonitorSettings, road_head: tuple[float, float]) -> None:
        self.s = settings
        self._default_head = road_head
        self._reset(None)

    def _reset(self, t: float | None) -> None:
        s = self.s
        self.baseline = Baseline(s.default_open_ear, self._default_head, self._default_head, False)
        self._cal = _Calibration()
        self._perclos = _Window(s.perclos_window_s)
        self._attention = _Window(s.attention_window_s)
        self._blinks: deque[float] = deque()
        self._yawns: deque[float] = deque()
        self._closed_since: float | None = None
        self._yawn_since: float | None = None
        self._yawn_counted = False
        self._away_since: float | None = None
        self._lapse_at: float | None = None
        self._last_t: float | None = t
        self._last_seen: float | None = None
        self._face: FaceObservation | None = None
        self._on_road: bool | None = None

    def update(self, t: float, face: FaceObservation | None) -> None:
        """One frame at ``t``: the driver's face, or None when it is not seen (or not alone)."""
        gap = self.s.max_frame_gap_s
        dt = 0.0 if self._last_t is None else max(0.0, min(gap, t - self._last_t))
        self._last_t = t
        if face is None:
            self._face, self._on_road = None, None
            self._closed_since = self._yawn_since = self._away_since = None
            return
        if self._last_seen is not None and t - self._last_seen >= self.s.relearn_after_absent_s:
            self._reset(t)  # back after long: perhaps another driver, learnt afresh
        self._last_seen, self._face = t, face
        self._calibrate(face, dt)
        closed = self._eyes(t, dt, face)
        self._yawn(t, face)
        self._attend(t, dt, face, closed)

    def _calibrate(self, face: FaceObservation, dt: float) -> None:
        cal, s = self._cal, self.s
        if self.baseline.learnt:
            return
        cal.ears.append(face.eye_open)
        cal.gazes.append((face.gaze_yaw, face.gaze_pitch))
        cal.heads.append((face.yaw, face.pitch))
        cal.seen_s += dt
        if cal.seen_s < s.calibration_s or len(cal.ears) < s.calibration_min_samples:
            return
        ears = sorted(cal.ears)
        open_ear = ears[min(len(ears) - 1, int(s.open_percentile * len(ears)))]
        self.baseline = Baseline(
            max(open_ear, s.shut_ear + 0.05),
            _median(cal.gazes),
            _median(cal.heads),
            True,
        )

    def closure(self, face: FaceObservation) -> float:
        """0 open .. 1 shut, against this driver's open eyes."""
        span = self.baseline.open_ear - self.s.shut_ear
        return max(0.0, min(1.0, (self.baseline.open_ear - face.eye_open) / span))

    def _head(self, face: FaceObservation) -> tuple[float, float]:
        return face.yaw - self.baseline.head[0], face.pitch - self.baseline.head[1]

    def _eyes(self, t: float, dt: float, face: FaceObservation) -> bool:
        """Closed or not this frame; blinks and long closures end here. A head bowed down
        hides the eyes under the lids: that is looking down, not eyes closing."""
        s = self.s
        bowed = self._head(face)[1] < -s.head_down_deg
        closed = not bowed and self.closure(face) >= s.closed_fraction
        self._perclos.add(t, dt, closed)
        if closed:
            if self._closed_since is None:
                self._closed_since = t
            elif t - self._closed_since >= s.long_closure_s:
                self._lapse_at = t
        elif self._closed_since is not None:
            if t - self._closed_since <= s.blink_max_s:
                self._blinks.append(t)
            self._closed_since = None
        while self._blinks and self._blinks[0] < t - 60.0:
            self._blinks.popleft()
        return closed

    def _yawn(self, t: float, face: FaceObservation) -> None:
        s = self.s
        if face.mouth_open >= s.yawn_mouth_open:
            if self._yawn_since is None:
                self._yawn_since, self._yawn_counted = t, False
            elif not self._yawn_counted and t - self._yawn_since >= s.yawn_min_s:
                self._yawns.append(t)
                self._yawn_counted = True
        else:
            self._yawn_since = None
        while self._yawns and self._yawns[0] < t - s.yawn_window_s:
            self._yawns.popleft()

    def _attend(self, t: float, dt: float, face: FaceObservation, closed: bool) -> None:
        s = self.s
        gaze = self._gaze(face)
        head = self._head(face)
        away = (
            abs(gaze[0]) > s.road_yaw_deg
            or abs(gaze[1]) > s.road_pitch_deg
            or head[1] < -s.head_down_deg
            or abs(head[0]) > s.head_away_deg
        )
        self._attention.add(t, dt, away)
        if away:
            self._away_since = t if self._away_since is None else self._away_since
        else:
            self._away_since = None
        shut_long = (
            closed and self._closed_since is not None and (t - self._closed_since > s.blink_max_s)
        )
        self._on_road = not away and not shut_long

    def _gaze(self, face: FaceObservation) -> tuple[float, float]:
        return face.gaze_yaw - self.baseline.gaze[0], face.gaze_pitch - self.baseline.gaze[1]

    def measures(self, t: float) -> Measures:
        s, face = self.s, self._face
        seen = self._last_seen is not None and t - self._last_seen <= s.face_lost_grace_s
        lapse = self._lapse_at is not None and t - self._lapse_at <= s.lapse_hold_s
        return Measures(
            t=t,
            seen=seen,
            calibrated=self.baseline.learnt,
            eye_closure=None if face is None else self.closure(face),
            eyes_closed_s=0.0 if self._closed_since is None else t - self._closed_since,
            blinks_per_min=len(self._blinks),
            perclos=self._perclos.share(s.perclos_min_observed_s),
            yawns=len(self._yawns),
            lapse=lapse,
            head=None if face is None else self._head(face),
            gaze=None if face is None else self._gaze(face),
            away_s=0.0 if self._away_since is None else t - self._away_since,
            away_share=self._attention.share(s.perclos_min_observed_s),
            eyes_on_road=self._on_road,
        )


def _median(values: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(v[0] for v in values), statistics.median(v[1] for v in values)
