"""The on-device engine: bilingual, offline, deterministic understanding in about a millisecond.

Pipeline: lexicon scan (one linear pass) → frames → dialogue (confirmations, pending slots, undo,
corrections, "too", "more") → device inference → needs or device resolution → tool calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from codriver.assistant.plan import Exchange, Plan, ToolCall, TurnContext, Utterance
from codriver.text import Bilingual
from codriver.understanding.automations import plan_rule, plan_timing
from codriver.understanding.chitchat import FALLBACK, chitchat
from codriver.understanding.devices import load_devices
from codriver.understanding.frames import OPEN_SLOT, Frame, build_frames, trim_query
from codriver.understanding.gaze import device_from_gaze
from codriver.understanding.lexicon import Token, load_lexicon, lower
from codriver.understanding.needs import remedy_for
from codriver.understanding.questions import ask_for
from codriver.understanding.resolve import Need, Scope, resolve
from codriver.vehicle.couplings import command_for
from codriver.vehicle.seats import hvac_station

_ACTION_DEVICES = {
    "lock": "lock", "unlock": "lock", "play": "media", "pause": "media", "resume": "media",
    "next": "media", "previous": "media", "video": "media", "navigate": "navigation",
    "add_stop": "navigation", "cancel": "navigation", "call": "phone", "hang_up": "phone",
    "fold": "mirrors", "unfold": "mirrors", "recline": "backrest", "upright": "backrest",
    "tilt": "sunroof",
}  # fmt: skip
_FALLBACK_DEVICES = {"sync": "temperature", "heat": "seat_heat"}
"""Devices for verbs that usually apply to the device just named, when none was."""
_MODE_DEVICES = {"wipers": "wipers", "drive": "drive_mode", "airflow": "airflow", "gear": "gear"}
_CLIMATE = ("ac", "fan", "temperature")
_HEATED = {
    "mirrors": "mirror_heat",
    "backrest": "seat_heat",
    "window": "defrost_rear",
    "sunroof": "defrost_front",
}
_RELATIVE = ("up", "down")


@dataclass
class Interpretation:
    """What the engine understood, before anything is executed (``codriver parse``)."""

    lang: str
    frames: list[Frame]
    plan: Plan
    devices: list[str | None] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)


@dataclass
class _Memory:
    """The last frames acted on, for "too", "more", corrections and slot filling."""

    frames: list[tuple[Frame, str]] = field(default_factory=list)
    awaiting: tuple[Frame, str, str] | None = None


class LocalBrain:
    """The default brain: no network, no model, the same answer every time."""

    def __init__(self) -> None:
        self.lexicon = load_lexicon()
        self.devices = load_devices()
        self.parts = {name: spec.part_of for name, spec in self.devices.items() if spec.part_of}
        self.memory = _Memory()

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan:
        return self.understand(utterance, context).plan

    def understand(self, utterance: Utterance, context: TurnContext) -> Interpretation:
        text = lower(utterance.text)
        tokens = self.lexicon.scan(text)
        frames = self._frames(tokens, utterance.text)
        result = Interpretation(utterance.lang, frames, Plan("silent"))
        automation = plan_timing(tokens, utterance.text) or plan_rule(
            tokens, utterance.text, lambda part: self._later(part, utterance, context)
        )
        if automation is not None:
            result.plan = automation
            return result
        result.plan = self._plan(utterance, context, frames, text, result)
        return result

    def _frames(self, tokens: list[Token], text: str) -> list[Frame]:
        return build_frames(tokens, text, self.parts, self.lexicon.query_words)

    def _later(self, tokens: list[Token], utterance: Utterance, context: TurnContext) -> Plan:
        """The plan for part of an utterance, to be carried out later (a rule's action)."""
        other = LocalBrain()
        frames = other._frames(tokens, utterance.text)
        quiet = replace(context, pending_question=None)
        interpretation = Interpretation(utterance.lang, frames, Plan("silent"))
        return other._plan(utterance, quiet, frames, lower(utterance.text), interpretation)

    # -- planning ------------------------------------------------------------------------

    def _plan(
        self,
        utt: Utterance,
        ctx: TurnContext,
        frames: list[Frame],
        text: str,
        result: Interpretation,
    ) -> Plan:
        words = sum(f.words for f in frames) or 1
        confidence = 1.0 - sum(f.unknown for f in frames) / words
        answer = self._answer_pending(ctx, frames)
        if answer is not None:
            return answer
        scope = Scope(ctx.state, utt.speaker)
        calls: list[ToolCall] = []
        says: list[Bilingual] = []
        needs: list[Need] = []
        acted: list[tuple[Frame, str, list[ToolCall]]] = []
        previous: Frame | None = None
        awaiting, self.memory.awaiting = self.memory.awaiting, None
        reasons: list[Frame] = []
        for index, frame in enumerate(frames):
            if _topic(frame) and any(not f.device and f.actions for f in frames[index + 1 :]):
                previous = frame  # "后视镜上全是水珠，加热一下": the device, then what to do
                continue
            if len(frames) > 1 and _reason(frame):
                reasons.append(frame)  # maybe only the reason for a command beside it
                previous = frame if frame.device else previous
                continue
            if awaiting is not None and not frame.device and not frame.needs:
                frame = _fill(awaiting[0], frame, utt.text)
            if frame.action in OPEN_SLOT and not frame.query and index:
                _borrow_name(frame, frames[index - 1], utt.text)
            amended = _amend(acted[-1][0], frame, utt.text) if acted else None
            if "correction" in frame.cues and amended is not None:
                # "open the window — no, the sunroof", "play country, no wait, reggae"
                _, _, wrong_calls = acted.pop()
                calls = [c for c in calls if all(c is not w for w in wrong_calls)]
                frame = amended
            frame_calls = self._dialogue(frame, ctx, scope, utt.text)
            if frame_calls is None:
                frame_calls = self._frame(frame, previous, utt, scope, says, needs, acted, result)
            calls.extend(frame_calls)
            previous = frame if frame.device or frame.actions else previous
        if not calls:
            for frame in reasons:
                calls.extend(self._frame(frame, None, utt, scope, says, needs, acted, result))
        if acted:
            self.memory.frames = [(frame, device) for frame, device, _ in acted]
        if calls:
            return Plan("act", tuple(calls), _join(says), confidence)
        if needs:
            need = needs[0]
            self.memory.awaiting = (_awaited(frames, need), need.device, need.slot)
            return Plan("ask", say=ask_for(need), confidence=confidence)
        if says:
            return Plan("answer", say=_join(says), confidence=confidence)
        talk = chitchat(text)
        if talk is not None:
            return Plan("answer", say=talk, confidence=confidence)
        if frames and all(_cues_only(f) for f in frames) and any("no" in f.cues for f in frames):
            return Plan("decline", confidence=confidence)
        return Plan("not_understood", say=FALLBACK, confidence=min(confidence, 0.3))

    def _answer_pending(self, ctx: TurnContext, frames: list[Frame]) -> Plan | None:
        if ctx.pending_question is None or len(frames) != 1:
            return None
        frame = frames[0]
        if frame.device or frame.query:
            return None
        if "yes" in frame.cues and "no" not in frame.cues:
            return Plan("confirm")
        if "no" in frame.cues or "negation" in frame.cues:
            return Plan("decline")
        return None

    def _frame(
        self,
        frame: Frame,
        previous: Frame | None,
        utt: Utterance,
        scope: Scope,
        says: list[Bilingual],
        needs: list[Need],
        acted: list[tuple[Frame, str, list[ToolCall]]],
        result: Interpretation,
    ) -> list[ToolCall]:
        negated = "negation" in frame.cues and "only" not in frame.cues
        if negated and (frame.actions or frame.has_value or frame.needs):
            return []
        if frame.needs and not (frame.device and frame.actions) and not frame.question:
            calls, say = remedy_for(_strongest(frame.needs), scope.state, scope.speaker)
            if say is not None:
                says.append(say)
            return calls
        frame = _inherit(frame, previous)
        if frame.action in OPEN_SLOT and not frame.query and frame.modes:
            frame.actions = tuple(a for a in frame.actions if a not in OPEN_SLOT)  # "go to eco"
        device = self._device(frame, previous, utt, scope)
        if device == "media" and not frame.query and frame.action in ("set", "on"):
            frame.query = _free_text(frame, utt.text)  # "调到FM101.7"
        if device is not None and _asks(frame):
            topic = self.devices[device].status
            if topic is not None:
                acted.append((frame, device, []))
                return [ToolCall("vehicle_status", {"topic": topic})]
        result.devices.append(device)
        if device is None:
            if frame.has_value or frame.actions:
                result.ambiguous.append("device")
            return []
        if "sync" in frame.actions and device == "temperature":
            resolved: list[ToolCall] | Need = _sync(frame, scope)
        else:
            resolved = resolve(frame, self.devices[device], scope)
        if isinstance(resolved, Need):
            needs.append(resolved)
            return []
        acted.append((frame, device, resolved))
        return resolved

    def _device(
        self, frame: Frame, previous: Frame | None, utt: Utterance, scope: Scope
    ) -> str | None:
        device = frame.device
        topic = device is not None and self.devices[device].kind == "status"
        if topic and not frame.question and (frame.actions or frame.modes):
            device = None  # "to save some battery": a topic, not a thing to operate
        if utt.gaze and (frame.deictic or device is None):
            gazed = self._gazed(frame, utt.gaze)
            if gazed is not None:
                return gazed
        if device is not None:
            return self._refine(frame, device)
        return self._infer(frame, previous, utt, scope)

    def _gazed(self, frame: Frame, gaze: str) -> str | None:
        """The device the speaker looks or points at, with its seat as the zone."""
        found = device_from_gaze(gaze)
        if found is None:
            return None
        device, seat = found
        if seat and not frame.zones:
            frame.zones.append(seat)
        return self._refine(frame, device)

    def _refine(self, frame: Frame, device: str) -> str:
        """The device a named one stands for given the rest of the frame."""
        levelled = frame.number is not None or frame.action in _RELATIVE
        named = frame.unknown and frame.action in (None, "set", "on")
        if (
            device == "media"
            and levelled
            and not named
            and frame.action in (None, "set", *_RELATIVE)
        ):
            return "volume"
        if device == "door" and frame.action in ("lock", "unlock"):
            return "lock"
        if device in ("media", "volume", "screen") and frame.action == "video":
            return "media"
        if "heat" in frame.actions and device in _HEATED:
            return _HEATED[device]
        for mode in frame.modes:
            owner = _MODE_DEVICES.get(mode.split(".", 1)[0])
            if owner and device in _CLIMATE and owner == "airflow":
                return owner
        spec = self.devices[device]
        if spec.zoned_device and frame.zones:
            return spec.zoned_device
        if spec.redirect and (levelled or frame.qual in ("max", "min")):
            return spec.redirect
        return device

    def _infer(
        self, frame: Frame, previous: Frame | None, utt: Utterance, scope: Scope
    ) -> str | None:
        """The device a frame means without naming it."""
        for action in frame.actions:
            if action in _ACTION_DEVICES:
                return _ACTION_DEVICES[action]
        for mode in frame.modes:
            prefix = mode.split(".", 1)[0]
            if prefix in _MODE_DEVICES:
                return _MODE_DEVICES[prefix]
        if frame.color:
            return "ambient"
        if frame.unit in ("degree", "celsius", "fahrenheit"):
            return "temperature"
        for candidate in (previous.device if previous else None, self._last_device()):
            if candidate and self._accepts(candidate, frame):
                return self._refine(frame, candidate)
        if frame.number is not None and not frame.unit and _climate_range(frame.number, scope):
            return "temperature"
        for action in frame.actions:
            if action in _FALLBACK_DEVICES:
                return _FALLBACK_DEVICES[action]
        if frame.action in _RELATIVE and _playing(scope):
            return "volume"
        if frame.action in ("off", "pause") and _playing(scope):
            return "media"
        return None

    def _last_device(self) -> str | None:
        return self.memory.frames[-1][1] if self.memory.frames else None

    def _accepts(self, device: str, frame: Frame) -> bool:
        """Whether ``device`` can take what the frame asks without naming a device."""
        kind = self.devices[device].kind
        if frame.number is not None or frame.action in _RELATIVE or frame.qual:
            return (
                kind in ("level", "position", "wipers") or self.devices[device].redirect is not None
            )
        return bool(frame.actions) or "more" in frame.cues

    # -- dialogue ------------------------------------------------------------------------

    def _dialogue(
        self, frame: Frame, ctx: TurnContext, scope: Scope, text: str
    ) -> list[ToolCall] | None:
        """Calls for undo, corrections, "too" and "more"; None when the frame is not one."""
        bare = not frame.device and not frame.actions and not frame.has_value
        if "undo" in frame.cues and bare and not frame.zones:
            return _undo(ctx.history)
        if "correction" in frame.cues and self.memory.frames:
            return self._correct(frame, ctx, scope, text)
        if "too" in frame.cues and frame.zones and not frame.device and self.memory.frames:
            calls = []
            for last, device in self.memory.frames:
                zones = list(frame.zones)
                if set(zones) <= {"left", "right"}:  # "and the right one too": same row
                    zones += [z for z in last.zones if z in ("rear", "front")]
                    zones += ["rear" for z in last.zones if z.startswith("rear_")]
                moved = replace(last, zones=zones, cues=set())
                resolved = resolve(moved, self.devices[device], scope)
                if not isinstance(resolved, Need):
                    calls.extend(resolved)
            return calls
        if (
            "more" in frame.cues
            and not frame.device
            and not frame.has_value
            and self.memory.frames
            and frame.action in (None, *_RELATIVE)
        ):
            return self._more(frame, scope)
        return None

    def _more(self, frame: Frame, scope: Scope) -> list[ToolCall] | None:
        """ "a little more", "再低一点", "too much, back a bit": the last change again or undone."""
        last, device = self.memory.frames[-1]
        spec = self.devices[device]
        same = _direction(last)
        if same is None:
            return None
        action = same if frame.action is None else frame.action
        if spec.kind == "position":
            opening = same == "up"
            if frame.action == "down":
                opening = not opening
            action = "open" if opening else "close"
        again = replace(
            last,
            actions=(action,),
            number=None,
            qual=frame.qual or "little",
            unit=None,
            cues={"more"},
        )
        resolved = resolve(again, spec, scope)
        return None if isinstance(resolved, Need) else resolved

    def _correct(
        self, frame: Frame, ctx: TurnContext, scope: Scope, text: str
    ) -> list[ToolCall] | None:
        """ "no, the sunroof", "actually make that 70", "sorry, I meant the back right"."""
        last, device = self.memory.frames[-1]
        fixed = _amend(last, frame, text)
        if fixed is None:
            return None
        target = fixed.device or device
        resolved = resolve(fixed, self.devices[target], scope)
        if isinstance(resolved, Need):
            return None
        self.memory.frames = [(fixed, target)]
        moved = target != device or fixed.zones != last.zones
        return [*_undo(ctx.history), *resolved] if moved else resolved


def _amend(last: Frame, frame: Frame, text: str) -> Frame | None:
    """``last`` with what the correcting ``frame`` says instead: a device, zones, a value or a
    name. None when it says nothing to correct with."""
    name = frame.query or _free_text(frame, text)
    if frame.device and frame.device != last.device:
        return replace(last, device=frame.device, zones=frame.zones or last.zones, cues=set())
    if frame.has_value:
        return replace(
            last, number=frame.number, qual=frame.qual, unit=frame.unit or last.unit,
            color=frame.color or last.color, actions=("set",), cues=set(),
        )  # fmt: skip
    if frame.zones:
        return replace(last, zones=list(frame.zones), cues=set())
    if name and last.query:
        return replace(last, query=name, cues=set())
    return None


def _undo(history: tuple[Exchange, ...]) -> list[ToolCall]:
    """Calls that put back what the last acting turn changed: commanded values as they were,
    switch commands by the command that returns what they moved."""
    for exchange in reversed(history):
        commanded = [c for c in exchange.changes if c.source == "command"]
        if not commanded:
            continue
        values: dict[str, object] = {}
        for change in commanded:
            values.setdefault(change.path, change.old)
        for change in exchange.changes:
            moved = change.source == "vehicle" and change.old is not None
            back = command_for(change.path, change.old) if moved else None  # type: ignore[arg-type]
            if back is not None:
                values[back[0]] = back[1]
        return [ToolCall("restore_signals", {"values": values})]
    return []


def _fill(template: Frame, frame: Frame, text: str) -> Frame:
    """The frame that asked for a slot, with the answer's slots filled in."""
    return replace(
        template,
        number=frame.number if frame.number is not None else template.number,
        unit=frame.unit or template.unit,
        qual=frame.qual or template.qual,
        color=frame.color or template.color,
        modes=frame.modes or template.modes,
        query=frame.query or _free_text(frame, text) or template.query,
        zones=frame.zones or template.zones,
    )


def _free_text(frame: Frame, text: str) -> str | None:
    if frame.free is None:
        return None
    return trim_query(text[frame.free[0] : frame.free[1]], load_lexicon().query_words) or None


def _borrow_name(frame: Frame, before: Frame, text: str) -> None:
    """ "最近的洗手间在哪，带我过去": the place was named in the clause before."""
    name = before.query or _free_text(before, text)
    if name:
        frame.query = name


def _topic(frame: Frame) -> bool:
    """A clause that only names a device."""
    return bool(frame.device) and not (
        frame.actions or frame.has_value or frame.needs or frame.question or frame.qual
    )


def _reason(frame: Frame) -> bool:
    """A clause that states a need and asks for nothing itself."""
    return bool(frame.needs) and not frame.actions and not frame.has_value


def _asks(frame: Frame) -> bool:
    """Whether the frame is a question about a device's state rather than a request."""
    if frame.has_value:
        return False
    strong = [a for a in frame.actions if a != "set"]
    return frame.asks_status or (frame.question and not strong)


def _cues_only(frame: Frame) -> bool:
    return bool(frame.cues) and not (
        frame.device or frame.actions or frame.has_value or frame.needs or frame.query
    )


def _sync(frame: Frame, scope: Scope) -> list[ToolCall]:
    """ "match the passenger side to mine", "所有温区跟主驾同步": copy a set point across zones."""
    zones = [scope.speaker if z == "mine" else z for z in frame.zones]
    source = "driver" if "driver" in zones and len(zones) > 1 else scope.speaker
    path = f"Vehicle.Cabin.HVAC.Station.{hvac_station(source)}.Temperature"  # type: ignore[arg-type]
    current = scope.state.get(path)
    celsius = float(current) if isinstance(current, int | float) else 22.0
    targets = ["all"] if "all" in zones else [z for z in zones if z != source] or ["all"]
    return [ToolCall("set_temperature", {"celsius": celsius, "zone": z}) for z in targets]


def _awaited(frames: list[Frame], need: Need) -> Frame:
    for frame in frames:
        if frame.device == need.device or not frame.device:
            return frame
    return frames[0]


def _inherit(frame: Frame, previous: Frame | None) -> Frame:
    """A clause without a verb takes the one before ("close the windows and the sunroof"),
    but "don't …, just the fan" asks for the opposite of what was refused."""
    if previous is None or frame.actions or frame.has_value:
        return frame
    if "only" in frame.cues and "negation" in previous.cues:
        return replace(frame, actions=("on",))
    if "only" in frame.cues and _direction(previous) == "down":
        return replace(frame, actions=("on",))
    return replace(frame, actions=previous.actions)


def _direction(frame: Frame) -> str | None:
    """Which way the frame moved its device: up (more, open) or down (less, closed)."""
    for action in frame.actions:
        if action in ("open", "recline", "on", "up"):
            return "up"
        if action in ("close", "upright", "off", "down"):
            return "down"
    if frame.number is not None or frame.qual in ("max", "half"):
        return "up"
    return None


def _climate_range(number: float, scope: Scope) -> bool:
    """A bare number that can only be a set point ("make it 20 in here")."""
    if scope.state.get("Vehicle.Cabin.Infotainment.HMI.TemperatureUnit") == "F":
        return 60 <= number <= 90
    return 16 <= number <= 32


def _playing(scope: Scope) -> bool:
    return scope.state.get("Vehicle.Cabin.Infotainment.Media.Action") == "PLAY"


def _strongest(needs: list[str]) -> str:
    for need in ("very_cold", "fog", "carsick", "tired", "back_pain", "sweaty", "stuffy"):
        if need in needs:
            return need
    return needs[0]


def _join(says: list[Bilingual]) -> Bilingual | None:
    if not says:
        return None
    return Bilingual(" ".join(s.en for s in says), "".join(s.zh for s in says))
