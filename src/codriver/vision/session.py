"""A vision session: frame observations in, events out, and what they mean reaching the car
through the same paths as everything else — sensor readings through the vehicle bus (and the
assistant's care), gestures and cooling through the assistant and its safety gate.

Frames themselves never reach this module: only the plain values perception made of them.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal, Protocol

from codriver.errors import InputError
from codriver.text import Bilingual, PhraseBook
from codriver.vehicle.bus import VehicleBus
from codriver.vehicle.catalog import Value
from codriver.vehicle.seats import SEATS, Seat
from codriver.vision.cabin import (
    CABIN_AIR,
    DRIVER_DOOR_LOCKED,
    LeftBehindWatch,
    OccupancyTracker,
    occupancy_path,
)
from codriver.vision.deixis import DeixisTracker
from codriver.vision.driver import DriverMonitor
from codriver.vision.events import (
    Alert,
    DriverStateEvent,
    GestureEvent,
    Reaction,
    VisionEvent,
)
from codriver.vision.geometry import CabinGeometry, Drive
from codriver.vision.gestures import Gesture, GestureRecognizer, GestureSettings
from codriver.vision.levels import DRIVER_SIGNALS, DriverSignals, FaceStatus
from codriver.vision.observation import FaceObservation, FrameObservation
from codriver.vision.settings import MonitorSettings

if TYPE_CHECKING:
    from codriver.assistant import Assistant, TurnResult


class Perceiving(Protocol):
    """Perception as the session needs it: a frame (an RGB array) taken at ``t`` seconds in,
    what it shows out. ``codriver.vision.perception.Perceiver`` (extra ``[vision]``) is one."""

    def observe(self, frame: Any, t: float) -> FrameObservation: ...


TurnCause = Literal["sensors", "clock", "gesture", "alert"]
TurnHook = Callable[[TurnCause, "TurnResult"], Awaitable[None]]
"""Told of every turn the session makes the assistant take (a server publishes them)."""

PHRASES = PhraseBook.load("codriver.vision", "data/phrases.yaml")
_CAR_STATE = (
    "Vehicle.Speed",
    "Vehicle.Powertrain.Transmission",
    DRIVER_DOOR_LOCKED,
    CABIN_AIR,
)


class VisionSession:
    """Feed it frame observations in time order; it returns what they made happen.

    Given an :class:`~codriver.assistant.Assistant`, the driver and seat signals go in through
    ``assistant.feed`` (so care reacts, as to any sensor), gestures become proposals through
    ``assistant.propose`` and the safety gate, and :meth:`say` gives the assistant the gaze or
    pointing target for "that one". Given only a :class:`VehicleBus`, the signals are fed to it
    and gestures are reported, not acted on. ``follow_clock`` lets the assistant's simulated
    clock follow the frames' time (timers and care cooldowns run on it).
    """

    def __init__(
        self,
        target: Assistant | VehicleBus,
        *,
        geometry: CabinGeometry | None = None,
        drive: Drive | None = None,
        settings: MonitorSettings | None = None,
        gestures: GestureSettings | None = None,
        follow_clock: bool = False,
        occupancy: bool = True,
        on_turn: TurnHook | None = None,
    ) -> None:
        self.assistant: Assistant | None = None if isinstance(target, VehicleBus) else target
        self.bus: VehicleBus = target if isinstance(target, VehicleBus) else target.bus
        self.geometry = geometry or CabinGeometry.load(drive=drive)
        self.settings = settings or MonitorSettings.load()
        forward = self.geometry.region("driver").forward
        self.monitor = DriverMonitor(self.settings, forward)
        self.signals = DriverSignals(self.settings)
        self.deixis = DeixisTracker(self.geometry)
        self.occupancy = OccupancyTracker(self.geometry)
        self.gestures = GestureRecognizer(gestures)
        self.left_behind = LeftBehindWatch(self.geometry.left_behind)
        self.follow_clock = follow_clock and self.assistant is not None
        self.watch_seats = occupancy
        """Occupancy (and someone left behind) from the faces: off when perception looks for
        the driver's face alone, since then an empty seat is only an unseen one."""
        self._last_t: float | None = None
        self._next_sample: float | None = None
        self.on_turn = on_turn
        self._question_since: float | None = None
        self._question: Bilingual | None = None
        self._clock_t: float | None = None

    # -- frames ----------------------------------------------------------------------------

    async def feed(self, obs: FrameObservation) -> list[VisionEvent]:
        """One frame's observation; :class:`InputError` for one out of time order."""
        t = self._check(obs)
        self._follow_question(t)
        face, status = self._driver_face(obs.faces)
        self.monitor.update(t, face)
        measures = self.monitor.measures(t)
        self.signals.frame(t, measures)
        events: list[VisionEvent] = []
        writes: dict[str, Value | None] = {}
        for change in self.occupancy.update(t, obs.faces) if self.watch_seats else ():
            events.append(change)
            writes[occupancy_path(change.seat)] = change.status
        events.extend(self._looks(t, obs.faces))
        for gesture in self.gestures.update(t, obs.hands):
            events.extend(await self._gesture(gesture))
        if self._next_sample is None or t >= self._next_sample:
            self._next_sample = _next(self._next_sample, t, self.settings.period_s)
            state = self.signals.sample(measures, status)
            events.append(DriverStateEvent(state))
            writes.update(state.signals())
            events.extend(await self._write(t, writes))
            if self.watch_seats:
                events.extend(await self._check_left_behind(t))
        elif writes:
            events.extend(await self._write(t, writes))
        return events

    async def run(
        self, observations: AsyncIterable[FrameObservation] | Iterable[FrameObservation]
    ) -> AsyncIterator[VisionEvent]:
        """Every event of a stream of observations; the signals become unknown when it ends,
        or when it is left early or fails."""
        ended = False
        try:
            if isinstance(observations, AsyncIterable):
                async for obs in observations:
                    for event in await self.feed(obs):
                        yield event
            else:
                for obs in observations:
                    for event in await self.feed(obs):
                        yield event
            ended = True
        finally:
            if not ended:
                await self.close()  # nothing more is yielded to a consumer that left
        for event in await self.close():
            yield event

    async def watch(
        self, frames: Iterable[tuple[float, Any]], perceiver: Perceiving
    ) -> AsyncIterator[VisionEvent]:
        """Every event of a stream of ``(t, frame)`` pairs, each frame looked at by
        ``perceiver`` and dropped; the signals become unknown when the stream ends."""
        observations = (perceiver.observe(frame, t) for t, frame in frames)
        async for event in self.run(observations):
            yield event

    async def close(self) -> list[VisionEvent]:
        """The camera stopped: the driver signals and the seats' occupancy become unknown."""
        t = self._last_t if self._last_t is not None else 0.0
        stopped = self.occupancy.stop(t) if self.watch_seats else []
        writes: dict[str, Value | None] = {path: None for path in DRIVER_SIGNALS}
        writes.update({occupancy_path(e.seat): e.status for e in stopped})
        events: list[VisionEvent] = [*stopped, *await self._write(t, writes)]
        return events

    def _check(self, obs: FrameObservation) -> float:
        t = obs.t
        if not isinstance(t, int | float) or not math.isfinite(t):
            raise InputError(f"a frame's time must be a finite number of seconds, not {t!r}")
        if self._last_t is not None and t < self._last_t:
            raise InputError(f"frames out of order: {t} s after {self._last_t} s")
        self._last_t = float(t)
        return float(t)

    def _driver_face(
        self, faces: tuple[FaceObservation, ...]
    ) -> tuple[FaceObservation | None, FaceStatus]:
        """The driver: the one face in the driver's seat region; none, or two (whose is it?),
        is no driver face."""
        minimum = self.settings.min_face_confidence
        there = [
            f
            for f in faces
            if f.confidence >= minimum and self.geometry.seat_of_face(f) == "driver"
        ]
        if len(there) == 1:
            return there[0], "seen"
        return None, "none" if not there else "several"

    def _looks(self, t: float, faces: tuple[FaceObservation, ...]) -> list[VisionEvent]:
        events: list[VisionEvent] = []
        for face in faces:
            seat = self.geometry.seat_of_face(face)
            if seat is None:
                continue
            forward = self.geometry.region(seat).forward
            if seat == "driver" and self.monitor.baseline.learnt:
                forward = self.monitor.baseline.gaze
            target = self.deixis.look(t, seat, face, forward)
            if target is not None:
                events.append(target)
        return events

    # -- what it leads to ------------------------------------------------------------------

    async def _write(self, t: float, values: dict[str, Value | None]) -> list[VisionEvent]:
        """Sensor readings, through the assistant (care reacts) or straight to the bus."""
        known = {p: v for p, v in values.items() if p in self.bus.catalog}
        if not known:
            return []
        if self.assistant is None:
            await self.bus.feed(known)
            return []
        events: list[VisionEvent] = []
        if self.follow_clock:
            events.extend(await self._advance(t))
        turn = await self._told("sensors", await self.assistant.feed(known))
        if turn.reply:
            events.append(Reaction(t, turn))
        return events

    async def _advance(self, t: float) -> list[VisionEvent]:
        assert self.assistant is not None
        step = 0.0 if self._clock_t is None else t - self._clock_t
        self._clock_t = t
        if step <= 0:
            return []
        turn = await self._told("clock", await self.assistant.advance(step))
        return [Reaction(t, turn)] if turn.reply else []

    def _follow_question(self, t: float) -> None:
        """When the question now pending was first seen: a thumbs-up begun before it is no
        answer to it."""
        question = None if self.assistant is None else self.assistant.question
        if question is None:
            self._question_since, self._question = None, None
        elif self._question_since is None or question != self._question:
            self._question_since, self._question = t, question

    async def _gesture(self, gesture: Gesture) -> list[VisionEvent]:
        seat = self.geometry.seat_of_point(gesture.at)
        if gesture.kind == "point":
            if seat is None or gesture.pointing is None:
                return [GestureEvent(gesture.t, "point", seat, note="no seat or direction")]
            target = self.deixis.point(gesture.t, seat, gesture.pointing)
            return [GestureEvent(gesture.t, "point", seat, note="deixis"), target]
        if self.assistant is None:
            return [GestureEvent(gesture.t, gesture.kind, seat, note="no assistant to act")]
        proposal = self.gestures.s.proposals.get(gesture.kind)
        if proposal == "confirm":
            return [await self._confirm(gesture, seat)]
        if proposal is None:
            return [GestureEvent(gesture.t, gesture.kind, seat, note="proposes nothing")]
        from codriver.assistant import Plan, ToolCall

        plan = Plan("act", (ToolCall(proposal[0], dict(proposal[1])),))
        turn = await self.assistant.propose(plan, seat=seat or "driver")
        return [GestureEvent(gesture.t, gesture.kind, seat, await self._told("gesture", turn))]

    async def _confirm(self, gesture: Gesture, seat: Seat | None) -> GestureEvent:
        """A thumbs-up is a yes to the question pending since before the thumb went up, and to
        nothing else: with none pending it does nothing."""
        assert self.assistant is not None
        began = gesture.t - self.gestures.s.hold_s["thumbs_up"]
        since = self._question_since
        if self.assistant.question is None or since is None or since > began:
            return GestureEvent(gesture.t, "thumbs_up", seat, note="no question pending")
        from codriver.assistant import Plan

        turn = await self.assistant.propose(Plan("confirm"), seat=seat or "driver")
        turn = await self._told("gesture", turn)
        self._follow_question(gesture.t)
        return GestureEvent(gesture.t, "thumbs_up", seat, turn)

    async def _check_left_behind(self, t: float) -> list[VisionEvent]:
        state = await self.bus.snapshot(_CAR_STATE)
        found = self.left_behind.check(t, state, self.occupancy.status)
        if found is None:
            return []
        names = [PHRASES.get(f"seat.{s}") for s in found.seats]
        joined = PHRASES.get("and")
        seats = Bilingual(joined.en.join(n.en for n in names), joined.zh.join(n.zh for n in names))
        key = "left_behind" if found.celsius is not None else "left_behind_unknown_heat"
        celsius = None if found.celsius is None else round(found.celsius)
        message = PHRASES.get(key, seats=seats, celsius=celsius)
        turn = None
        if self.assistant is not None:
            from codriver.assistant import Plan, ToolCall

            cooling = self.geometry.left_behind.cooling
            calls = tuple(ToolCall(tool, dict(args)) for tool, args in cooling)
            turn = await self.assistant.propose(Plan("act", calls, source="care"), seat="driver")
            said = message.in_(turn.lang)  # the reason first, then what was done about it
            turn = replace(turn, reply=f"{said} {turn.reply}".strip())
            turn = await self._told("alert", turn)
        return [Alert(t, "left_behind", found.seats, message, found.celsius, turn)]

    async def _told(self, cause: TurnCause, turn: TurnResult) -> TurnResult:
        if self.on_turn is not None:
            await self.on_turn(cause, turn)
        return turn

    # -- speech with a look ----------------------------------------------------------------

    def gaze_for(self, seat: Seat | str = "driver") -> str | None:
        """The VSS branch ``seat``'s occupant recently looked or pointed at, for the assistant's
        ``gaze`` input; None when nothing was, or when it was between two things."""
        if seat not in SEATS or self._last_t is None:
            return None
        target = self.deixis.that_one(seat, self._last_t)  # type: ignore[arg-type]
        return None if target is None else target.branch

    async def say(self, text: str, *, seat: Seat | str = "driver") -> TurnResult:
        """An occupant speaks, with what the camera saw them single out as the gaze."""
        if self.assistant is None:
            raise InputError("this vision session has no assistant to speak to")
        return await self.assistant.say(text, seat=seat, gaze=self.gaze_for(seat))


def _next(previous: float | None, t: float, period: float) -> float:
    """The next sampling time: a steady grid, restarted after a long gap."""
    if previous is None or t - previous >= period:
        return t + period
    return previous + period
