"""One cabin as the service holds it: an assistant, what it is waiting for an answer to, a short
transcript for clients that join late, the pace of its clock and how far it has read its log.

Its operations run under the caller's lock (see :class:`~codriver.server.cabins.Cabins`): bad
input raises :class:`~codriver.errors.InputError` and changes nothing. The events an operation
causes are collected in :attr:`Cabin.outbox` and sent once the operation is stored.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from codriver.assistant import Assistant, TurnResult
from codriver.errors import InputError
from codriver.server.events import Event, EventType, JsonObject, change_list
from codriver.server.problems import NothingPending
from codriver.server.route import ROUTE_INPUTS, route_summary
from codriver.server.store.log import Entry, Tail
from codriver.services.profiles import Preference, Profile, Profiles
from codriver.text import Bilingual, Lang
from codriver.vehicle.catalog import Value
from codriver.vehicle.cockpit_paths import COCKPIT

if TYPE_CHECKING:
    from codriver.vision.events import VisionEvent
    from codriver.vision.observation import FrameObservation
    from codriver.vision.session import VisionSession

Cause = Literal["say", "accept", "dismiss", "sensors", "clock", "tick", "vision"]
TRANSCRIPT_TURNS = 50
MAX_SCALE = 600.0

_ANSWERS: dict[tuple[bool, Lang], str] = {
    (True, "en"): "yes",
    (True, "zh"): "好的",
    (False, "en"): "no",
    (False, "zh"): "不用了",
}


class Publisher(Protocol):
    """Where an event goes: a cabin's outbox, or a stream."""

    def publish(self, kind: EventType, at: float, payload: Mapping[str, object]) -> object: ...


@dataclass(frozen=True, slots=True)
class Pending:
    """A question the assistant asked (a confirmation, a choice, a proactive offer)."""

    text: str
    lang: Lang
    seat: str
    proactive: bool
    texts: Bilingual | None = None
    """The question alone in both languages, so a cockpit can show it in its own."""

    def to_dict(self) -> JsonObject:
        texts = None if self.texts is None else {"en": self.texts.en, "zh": self.texts.zh}
        return {
            "text": self.text,
            "lang": self.lang,
            "seat": self.seat,
            "proactive": self.proactive,
            "texts": texts,
        }


class Outbox:
    """The events of the operation in progress, kept until it is stored."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, kind: EventType, at: float, payload: Mapping[str, object]) -> None:
        self.events.append((kind, at, dict(payload)))


class Cabin:
    """A session's state; each operation is one input of its log (see :mod:`.store.log`)."""

    def __init__(
        self, cabin_id: str, assistant: Assistant, name: str = "", scale: float = 1.0
    ) -> None:
        self.id = cabin_id
        self.name = name or cabin_id
        self.assistant = assistant
        self.pending: Pending | None = None
        self.turns = 0
        self.clock_scale = scale
        self.upto = 0.0
        """Real time up to which its clock has followed real time (see :mod:`.clockwork`)."""
        self.transcript: deque[JsonObject] = deque(maxlen=TRANSCRIPT_TURNS)
        self.vision: VisionSession | None = None
        self.last_frame_t: float | None = None
        self.tail = Tail()
        self.last: Entry | None = None
        """The last entry of its log, as far as this copy has read it."""
        self.outbox: Outbox | None = None
        """Where events go while someone listens; None builds none (replay, nobody watching)."""

    @property
    def now(self) -> float:
        return self.assistant.clock.now()

    async def say(
        self, text: str, seat: str = "driver", gaze: str | None = None, cause: Cause = "say"
    ) -> TurnResult:
        """An occupant speaks; bad input raises InputError and changes nothing."""
        result = await self.assistant.say(text, seat=seat, gaze=gaze)
        self.turns += 1
        heard: JsonObject = {"text": text, "seat": seat, "gaze": gaze}
        await self._after(cause, heard, result)
        return result

    async def answer(self, accept: bool) -> TurnResult:
        """Say yes or no to what the assistant asked, in the language it asked in."""
        pending = self.pending
        if pending is None:
            raise NothingPending("the assistant is not waiting for an answer")
        text = _ANSWERS[accept, pending.lang]
        return await self.say(text, pending.seat, None, "accept" if accept else "dismiss")

    async def feed(self, values: Mapping[str, Value]) -> TurnResult:
        """Sensor readings arrive; rules, care and automations react. A client reports what the
        world does, never commands: an actuator or the assistant's own state is refused here
        (a command goes through a turn, and so through the safety gate)."""
        catalog = self.assistant.bus.catalog
        for path in values:
            spec = catalog.get(path)
            if path.startswith(COCKPIT) or (spec is not None and spec.kind == "actuator"):
                raise InputError(f"{path} is not a sensor reading: ask the assistant to change it")
        result = await self.assistant.feed(values)
        await self._after("sensors", None, result)
        return result

    async def advance(self, seconds: float, cause: Cause = "clock") -> TurnResult:
        """Simulated time passes; timers, reminders, rules and care fire as it does."""
        result = await self.assistant.advance(seconds)
        await self._after(cause, None, result)
        return result

    async def follow(self, seconds: float, real: float) -> TurnResult:
        """Real time passed (``real`` seconds): the clock moves on by ``seconds``."""
        result = await self.advance(seconds, "tick")
        self.upto += real
        return result

    async def see(
        self,
        observations: Sequence[FrameObservation],
        publish: Callable[[Publisher, float, VisionEvent], None],
    ) -> list[VisionEvent]:
        """What the cabin camera saw (observations, never frames): the turns it leads to (care,
        gestures, alerts) are published as any turn is, and ``publish`` adds the vision events.
        Frames out of time order are refused before any is looked at."""
        last = self.last_frame_t
        for observation in observations:
            if not math.isfinite(observation.t):
                raise InputError(f"a frame's time must be a finite number, not {observation.t}")
            if last is not None and observation.t < last:
                raise InputError(f"frames out of order: {observation.t} s after {last} s")
            last = observation.t
        if self.vision is None:
            from codriver.vision.session import VisionSession

            self.vision = VisionSession(self.assistant, on_turn=self._vision_turn)
        events: list[VisionEvent] = []
        for observation in observations:
            found = await self.vision.feed(observation)
            self.last_frame_t = observation.t
            if self.outbox is not None:
                for event in found:
                    publish(self.outbox, self.now, event)
            events.extend(found)
        return events

    async def _vision_turn(self, cause: str, result: TurnResult) -> None:
        await self._after("vision", None, result)

    def set_scale(self, scale: float, upto: float) -> None:
        """How many simulated seconds pass per real second (0 stops the clock), from ``upto``."""
        self.clock_scale = scale
        self.upto = upto
        self._emit("clock", self.now, {"now": self.now, "scale": scale})

    def remember(self, seat: str, values: Mapping[str, object]) -> Profile | None:
        """Preferences for the occupant of ``seat``; their profile after, if there is one."""
        known = self.profiles()
        updated = known.of(seat)
        for what, value in values.items():
            updated = known.remember(seat, _preference(what), value)
        return updated

    def profiles(self) -> Profiles:
        found: Profiles | None = self.assistant.services.profiles
        if found is None:
            self.assistant.services.profiles = found = Profiles()
        return found

    def _emit(self, kind: EventType, at: float, payload: Mapping[str, object]) -> None:
        if self.outbox is not None:
            self.outbox.publish(kind, at, payload)

    async def _after(self, cause: Cause, heard: JsonObject | None, result: TurnResult) -> None:
        """Follow the assistant's pending question and keep the transcript, then publish."""
        spoken = heard is not None
        was = self.pending
        if self.assistant.question is None:
            self.pending = None
        elif result.outcome == "asked" or was is None:  # a new question
            seat = str(heard["seat"]) if heard else "driver"
            question = self.assistant.question
            self.pending = Pending(result.reply, result.lang, seat, not spoken, question)
        if spoken or result.reply:
            self.transcript.append(_line(cause, heard, result, self.now))
        if self.outbox is not None:
            await self._publish(self.outbox, cause, heard, result, was)

    async def _publish(
        self,
        out: Outbox,
        cause: Cause,
        heard: JsonObject | None,
        result: TurnResult,
        was: Pending | None,
    ) -> None:
        at = self.now
        if heard is not None or result.reply or result.actions:
            out.publish("turn", at, {"cause": cause, "input": heard, "result": result.to_dict()})
        if result.changes:
            out.publish("changes", at, {"cause": cause, "changes": change_list(result.changes)})
            if any(c.path.startswith(ROUTE_INPUTS) for c in result.changes) and cause != "tick":
                out.publish("route", at, {"route": await route_summary(self.assistant)})
        if was is not None and self.pending is not was:
            reason = {"accept": "accepted", "dismiss": "dismissed"}.get(cause, "answered")
            out.publish("suggestion_closed", at, {"reason": reason})
        if self.pending is not None and self.pending is not was:
            out.publish("suggestion", at, {"cause": cause, **self.pending.to_dict()})
        elif heard is None and result.reply:
            out.publish("notice", at, {"cause": cause, "text": result.reply, "lang": result.lang})
        if cause in ("clock", "tick"):
            out.publish("clock", at, {"now": at, "scale": self.clock_scale})


def _line(cause: Cause, heard: JsonObject | None, result: TurnResult, at: float) -> JsonObject:
    return {
        "cause": cause,
        "input": heard,
        "reply": result.reply,
        "outcome": result.outcome,
        "lang": result.lang,
        "at": at,
    }


def _preference(what: str) -> Preference:
    return what  # type: ignore[return-value]  # ProfilePatch's fields are the preferences
