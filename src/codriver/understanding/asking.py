"""Questions about the car's state, answered by look-ups only.

A clause that ``sentence.py`` reads as a question never reaches the resolvers that drive the
car: it names a device (or a topic: the battery, the tyres, the speed), and the answer is the
status look-up for it, a trip estimate or a list of nearby places. A question about nothing this
car can tell is answered as such.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from codriver.assistant.plan import ToolCall, Utterance
from codriver.text import Bilingual, PhraseBook
from codriver.understanding.clauses import name_from_free_text
from codriver.understanding.frames import Frame
from codriver.understanding.resolve import ANSWER_UNITS, Need, Scope, resolve, zones_of

if TYPE_CHECKING:
    from codriver.understanding.devices import DeviceSpec
    from codriver.understanding.inference import Inference

REPLIES = PhraseBook.load("codriver.understanding", "data/replies.yaml")

_LOOKUPS = ("trip", "nearby")
"""Device kinds whose resolvers only look things up."""
_MOVES = ("navigate", "add_stop")
"""Dropped from a question: "where can I park?" finds places, it does not go there."""
_ACTION_TOPICS = {
    "lock": "lock", "unlock": "lock", "play": "media", "pause": "media", "resume": "media",
    "navigate": "navigation", "add_stop": "navigation", "trip": "trip", "nearby": "nearby",
    "fold": "mirrors", "unfold": "mirrors", "recline": "backrest", "upright": "backrest",
    "call": "phone",
}  # fmt: skip
_TEMPERATURE_UNITS = ("degree", "celsius", "fahrenheit")
_FELT = ("hot", "cold", "very_cold")
"""Needs that, asked about ("车里热不热"), ask for the temperature."""
_SEATS = ("driver", "passenger", "rear_left", "rear_right", "front", "rear")


@dataclass
class Asking:
    """Answers question clauses with look-ups: which device a question is about comes from
    ``inference``."""

    devices: dict[str, DeviceSpec]
    inference: Inference

    def look_up(
        self,
        frame: Frame,
        previous: Frame | None,
        utt: Utterance,
        scope: Scope,
        unanswered: list[Bilingual],
        acted: list[tuple[Frame, str, list[ToolCall]]],
    ) -> list[ToolCall]:
        """The look-up that answers the question ``frame`` asks; never a change to the car.
        What cannot be answered goes to ``unanswered``, said when nothing else is."""
        device = self._asked_device(frame, previous, utt)
        topic = _temperature_topic(frame, device)
        spec = self.devices.get(device or "")
        if topic is None and spec is not None and spec.kind in _LOOKUPS:
            asked = replace(frame, actions=tuple(a for a in frame.actions if a not in _MOVES))
            name_from_free_text(asked, spec.name, utt.text)  # "到苏州有多少公里": the place
            found = resolve(asked, spec, scope)
            if isinstance(found, Need):
                unanswered.append(REPLIES.get("cannot_tell"))
                return []
            acted.append((frame, spec.name, []))
            return found
        if topic is None and spec is not None:
            topic = spec.topic if spec.kind == "status" else spec.status
        if topic is None:
            unanswered.append(REPLIES.get("cannot_tell" if _about_the_car(frame) else "off_topic"))
            return []
        if device is not None:
            acted.append((frame, device, []))
        args: dict[str, object] = {"topic": topic}
        if frame.unit in ANSWER_UNITS:
            args["unit"] = ANSWER_UNITS[frame.unit]  # "… in Fahrenheit", "how many miles"
        zone = _zone(frame, scope)
        if zone is not None:
            args["zone"] = zone
        return [ToolCall("vehicle_status", args)]

    def _asked_device(self, frame: Frame, previous: Frame | None, utt: Utterance) -> str | None:
        """The device a question is about: named, pointed at, implied by its verb ("did I lock
        the car?"), or — for "is it open?" — the one just talked about."""
        if utt.gaze and (frame.deictic or frame.device is None):
            gazed = self.inference.gazed(frame, utt.gaze)
            if gazed is not None:
                return gazed
        if frame.device is not None:
            return self.inference.refine(frame, frame.device)
        for action in frame.actions:
            if action in _ACTION_TOPICS:
                return _ACTION_TOPICS[action]
        if frame.deictic:
            if previous is not None and previous.device:
                return previous.device
            if self.inference.memory.frames:
                return self.inference.memory.frames[-1][1]
        return None


def _temperature_topic(frame: Frame, device: str | None) -> str | None:
    """ "车里现在多少度", "how hot is it in here": the cabin; "空调开的多少度": the set point."""
    felt = any(n in _FELT for n in frame.needs)
    asked = "temperature" in frame.asked or frame.unit in _TEMPERATURE_UNITS or felt
    if not asked:
        return None
    if device is None:
        return "cabin_temperature"
    if device in ("ac", "temperature"):
        return "set_temperature"
    return None


def _zone(frame: Frame, scope: Scope) -> str | None:
    """The one seat or row the question names (the speaker's for "my"); None for all."""
    zones = zones_of(frame, scope)
    if len(zones) == 1 and zones[0] in _SEATS:
        return zones[0]
    return None


def _about_the_car(frame: Frame) -> bool:
    """Whether the question names anything of a car (else it is trivia, and off topic)."""
    return bool(frame.actions or frame.zones or frame.modes or frame.unit or frame.needs)
