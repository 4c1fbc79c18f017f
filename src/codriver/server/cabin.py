"""One cabin of the service: an assistant, the lock that serializes its turns, its event stream,
what it is waiting for an answer to, and a short transcript for clients that join late."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from codriver.assistant import Assistant, TurnResult
from codriver.errors import InputError
from codriver.server.events import EventStream, JsonObject, change_list
from codriver.server.problems import NothingPending
from codriver.server.route import ROUTE_INPUTS, route_summary
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


class Cabin:
    """A session: every call goes through :attr:`lock`, so one cabin's turns never interleave."""

    def __init__(self, cabin_id: str, assistant: Assistant, events: EventStream, name: str = ""):
        self.id = cabin_id
        self.name = name or cabin_id
        self.assistant = assistant
        self.events = events
        self.lock = asyncio.Lock()
        self.pending: Pending | None = None
        self.turns = 0
        self.clock_scale = 1.0
        self.transcript: deque[JsonObject] = deque(maxlen=TRANSCRIPT_TURNS)
        self.vision: VisionSession | None = None

    @property
    def now(self) -> float:
        return self.assistant.clock.now()

    async def say(self, text: str, seat: str = "driver", gaze: str | None = None) -> TurnResult:
        """An occupant speaks; bad input raises InputError and changes nothing."""
        async with self.lock:
            return await self._say(text, seat, gaze, "say")

    async def answer(self, accept: bool) -> TurnResult:
        """Say yes or no to what the assistant asked, in the language it asked in."""
        async with self.lock:
            pending = self.pending
            if pending is None:
                raise NothingPending("the assistant is not waiting for an answer")
            text = _ANSWERS[accept, pending.lang]
            return await self._say(text, pending.seat, None, "accept" if accept else "dismiss")

    async def feed(self, values: Mapping[str, Value]) -> TurnResult:
        """Sensor readings arrive; rules, care and automations react. A client reports what the
        world does, never commands: an actuator or the assistant's own state is refused here
        (a command goes through a turn, and so through the safety gate)."""
        catalog = self.assistant.bus.catalog
        for path in values:
            spec = catalog.get(path)
            if path.startswith(COCKPIT) or (spec is not None and spec.kind == "actuator"):
                raise InputError(f"{path} is not a sensor reading: ask the assistant to change it")
        async with self.lock:
            result = await self.assistant.feed(values)
            await self._after("sensors", None, result)
            return result

    async def advance(self, seconds: float, cause: Cause = "clock") -> TurnResult:
        """Simulated time passes; timers, reminders, rules and care fire as it does."""
        async with self.lock:
            result = await self.assistant.advance(seconds)
            await self._after(cause, None, result)
            return result

    async def see(
        self,
        observations: Sequence[FrameObservation],
        publish: Callable[[EventStream, float, VisionEvent], None],
    ) -> list[VisionEvent]:
        """What the cabin camera saw (observations, never frames): the turns it leads to (care,
        gestures, alerts) are published as any turn is, and ``publish`` adds the vision events."""
        async with self.lock:
            if self.vision is None:
                from codriver.vision.session import VisionSession

                self.vision = VisionSession(self.assistant, on_turn=self._vision_turn)
            events: list[VisionEvent] = []
            for observation in observations:
                found = await self.vision.feed(observation)
                for event in found:
                    publish(self.events, self.now, event)
                events.extend(found)
            return events

    async def _vision_turn(self, cause: str, result: TurnResult) -> None:
        await self._after("vision", None, result)

    def set_scale(self, scale: float) -> None:
        """How many simulated seconds pass per real second (0 stops the clock)."""
        self.clock_scale = scale
        self.events.publish("clock", self.now, {"now": self.now, "scale": scale})

    async def _say(self, text: str, seat: str, gaze: str | None, cause: Cause) -> TurnResult:
        result = await self.assistant.say(text, seat=seat, gaze=gaze)
        self.turns += 1
        heard: JsonObject = {"text": text, "seat": seat, "gaze": gaze}
        await self._after(cause, heard, result)
        return result

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
        if self.events.listening:
            await self._publish(cause, heard, result, was)

    async def _publish(
        self, cause: Cause, heard: JsonObject | None, result: TurnResult, was: Pending | None
    ) -> None:
        at, events = self.now, self.events
        if heard is not None or result.reply or result.actions:
            events.publish("turn", at, {"cause": cause, "input": heard, "result": result.to_dict()})
        if result.changes:
            events.publish("changes", at, {"cause": cause, "changes": change_list(result.changes)})
            if any(c.path.startswith(ROUTE_INPUTS) for c in result.changes) and cause != "tick":
                events.publish("route", at, {"route": await route_summary(self.assistant)})
        if was is not None and self.pending is not was:
            reason = {"accept": "accepted", "dismiss": "dismissed"}.get(cause, "answered")
            events.publish("suggestion_closed", at, {"reason": reason})
        if self.pending is not None and self.pending is not was:
            events.publish("suggestion", at, {"cause": cause, **self.pending.to_dict()})
        elif heard is None and result.reply:
            notice = {"cause": cause, "text": result.reply, "lang": result.lang}
            events.publish("notice", at, notice)
        if cause in ("clock", "tick"):
            events.publish("clock", at, {"now": at, "scale": self.clock_scale})


def _line(cause: Cause, heard: JsonObject | None, result: TurnResult, at: float) -> JsonObject:
    return {
        "cause": cause,
        "input": heard,
        "reply": result.reply,
        "outcome": result.outcome,
        "lang": result.lang,
        "at": at,
    }
