"""From the driver monitor's measures to VSS's own driver signals, with hysteresis.

``Vehicle.Driver.FatigueLevel`` and ``DistractionLevel`` (float, percent 0..100),
``IsEyesOnRoad`` (boolean) and ``AttentiveProbability`` (float, percent 0..100). When the driver's
face is not seen (none, or two in the driver's seat) for longer than a short grace, every one is
unknown (None), never a stale "attentive"; the levels start afresh when it is seen again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from codriver.vehicle.catalog import Value
from codriver.vision.driver import Measures
from codriver.vision.settings import MonitorSettings

FATIGUE = "Vehicle.Driver.FatigueLevel"
DISTRACTION = "Vehicle.Driver.DistractionLevel"
EYES_ON_ROAD = "Vehicle.Driver.IsEyesOnRoad"
ATTENTIVE = "Vehicle.Driver.AttentiveProbability"
DRIVER_SIGNALS = (FATIGUE, DISTRACTION, EYES_ON_ROAD, ATTENTIVE)

FaceStatus = Literal["seen", "none", "several"]
Reason = Literal["perclos", "yawning", "long_closure", "glance_away", "often_away"]
REASON_MIN = 20.0
"""A part of a level smaller than this (percent points) is not shown as a reason for it."""


@dataclass(frozen=True, slots=True)
class DriverState:
    """What the camera says about the driver at ``t``, and the values written to VSS."""

    t: float
    face: FaceStatus
    measures: Measures
    fatigue: float | None
    distraction: float | None
    eyes_on_road: bool | None
    attentive: float | None
    reasons: tuple[Reason, ...] = ()
    """Why the levels are raised, most telling first."""

    def signals(self) -> dict[str, Value | None]:
        return {
            FATIGUE: self.fatigue,
            DISTRACTION: self.distraction,
            EYES_ON_ROAD: self.eyes_on_road,
            ATTENTIVE: self.attentive,
        }


class Level:
    """A percentage written in steps that rises at once and falls only well below (no
    flapping around a threshold such as care's 70)."""

    def __init__(self, step: float, release: float) -> None:
        self.step, self.release = step, release
        self.value: float | None = None

    def update(self, raw: float | None) -> float | None:
        if raw is None:
            self.value = None
            return None
        stepped = max(0.0, min(100.0, round(raw / self.step) * self.step))
        if self.value is None or stepped > self.value or raw <= self.value - self.release:
            self.value = stepped
        return self.value


class Latch:
    """A boolean that changes only after the new reading has held for a while."""

    def __init__(self, to_false_s: float, to_true_s: float) -> None:
        self.after = {False: to_false_s, True: to_true_s}
        self.value: bool | None = None
        self._candidate: bool | None = None
        self._since = 0.0

    def update(self, t: float, raw: bool | None) -> bool | None:
        if raw is None:
            self.value = self._candidate = None
            return None
        if raw == self.value:
            self._candidate = None
            return self.value
        if raw != self._candidate:
            self._candidate, self._since = raw, t
        if t - self._since >= self.after[raw]:
            self.value, self._candidate = raw, None
        return self.value


class DriverSignals:
    """Turns measures into the four signals: eyes on the road every frame, levels per sample."""

    def __init__(self, settings: MonitorSettings) -> None:
        self.s = settings
        self._fatigue = Level(settings.level_step, settings.level_release)
        self._distraction = Level(settings.level_step, settings.level_release)
        self._eyes = Latch(settings.eyes_off_after_s, settings.eyes_on_after_s)

    def frame(self, t: float, measures: Measures) -> None:
        """A frame: eyes on the road or not; a face missed within the grace changes nothing."""
        if not measures.seen:
            self._eyes.update(t, None)
        elif measures.eyes_on_road is not None:
            self._eyes.update(t, measures.eyes_on_road)

    def sample(self, measures: Measures, face: FaceStatus) -> DriverState:
        if not measures.seen:
            self._fatigue.update(None)
            self._distraction.update(None)
            self._eyes.update(measures.t, None)
            return DriverState(measures.t, face, measures, None, None, None, None)
        fatigue, why_tired = self._fatigue_raw(measures)
        distraction, why_away = self._distraction_raw(measures)
        f = self._fatigue.update(fatigue)
        d = self._distraction.update(distraction)
        attentive = None if f is None or d is None else round((100 - f) * (100 - d) / 100)
        eyes = self._eyes.value
        reasons = tuple(why_tired + why_away)
        return DriverState(measures.t, face, measures, f, d, eyes, attentive, reasons)

    def _fatigue_raw(self, m: Measures) -> tuple[float | None, list[Reason]]:
        s = self.s
        reasons: list[Reason] = []
        if m.perclos is None and not m.lapse:
            return None, reasons
        level = 0.0 if m.perclos is None else s.fatigue_curve(m.perclos)
        if level >= REASON_MIN:
            reasons.append("perclos")
        yawning = min(s.yawn_fatigue_max, s.yawn_fatigue_each * m.yawns)
        if yawning > 0:
            reasons.append("yawning")
        level += yawning
        if m.lapse:
            level = max(level, s.lapse_fatigue_floor)
            reasons.insert(0, "long_closure")
        return min(100.0, level), reasons

    def _distraction_raw(self, m: Measures) -> tuple[float, list[Reason]]:
        s = self.s
        glance = s.glance_curve(m.away_s)
        share = 0.0 if m.away_share is None else s.share_curve(m.away_share)
        reasons: list[Reason] = []
        if glance >= REASON_MIN:
            reasons.append("glance_away")
        if share >= REASON_MIN:
            reasons.append("often_away")
        return max(glance, share), reasons
