"""Device inference: which device a clause means, named or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from codriver.assistant.plan import Utterance
from codriver.understanding.clauses import climate_range, ongoing, playing
from codriver.understanding.frames import Frame
from codriver.understanding.gaze import device_from_gaze
from codriver.understanding.resolve import Scope

if TYPE_CHECKING:
    from codriver.understanding.devices import DeviceSpec
    from codriver.understanding.memory import Memory

_ACTION_DEVICES = {
    "lock": "lock", "unlock": "lock", "play": "media", "pause": "media", "resume": "media",
    "next": "media", "previous": "media", "video": "media", "navigate": "navigation",
    "add_stop": "navigation", "cancel": "navigation", "call": "phone", "hang_up": "phone",
    "fold": "mirrors", "unfold": "mirrors", "recline": "backrest", "upright": "backrest",
    "tilt": "sunroof", "trip": "trip", "nearby": "nearby",
    "usual": "profile", "remember": "profile",
}  # fmt: skip
_FALLBACK_DEVICES = {"sync": "temperature", "heat": "seat_heat"}
"""Devices for verbs that usually apply to the device just named, when none was."""
_MODE_DEVICES = {"wipers": "wipers", "drive": "drive_mode", "airflow": "airflow", "gear": "gear"}
_CLIMATE = ("ac", "fan", "temperature")
_AUTOMATIC = "wipers.RAIN_SENSOR"
"""The mode "automatic" / "自动" is read as (the wipers' sensing); said of the lights, their own."""
_HEATED = {
    "mirrors": "mirror_heat",
    "backrest": "seat_heat",
    "window": "defrost_rear",
    "sunroof": "defrost_front",
}
_RELATIVE = ("up", "down")
_BARE_NUMBER_UNKNOWN = 1
"""Unknown words a number said without a verb may come with and still be a temperature ("二十
吧"); with a verb, as many as an anaphora may ("set it to 22 for grandma")."""
_ANAPHORA_UNKNOWN = 2  # unknown words a frame may carry and still refer to the last device


@dataclass
class Inference:
    """Device inference: needs the brain's ``devices`` and ``memory``."""

    devices: dict[str, DeviceSpec]
    memory: Memory

    def device(
        self, frame: Frame, previous: Frame | None, utt: Utterance, scope: Scope
    ) -> str | None:
        device = frame.device
        topic = device is not None and self.devices[device].kind == "status"
        if topic and not frame.question and (frame.actions or frame.modes):
            device = None  # "to save some battery": a topic, not a thing to operate
        if utt.gaze and (frame.deictic or device is None):
            gazed = self.gazed(frame, utt.gaze)
            if gazed is not None:
                return gazed
        if device is not None:
            return self.refine(frame, device)
        return self._infer(frame, previous, utt, scope)

    def gazed(self, frame: Frame, gaze: str) -> str | None:
        """The device the speaker looks or points at, with its seat as the zone."""
        found = device_from_gaze(gaze)
        if found is None:
            return None
        device, seat = found
        if seat and not frame.zones:
            frame.zones.append(seat)
        return self.refine(frame, device)

    def refine(self, frame: Frame, device: str) -> str:
        """The device a named one stands for given the rest of the frame."""
        if "remember" in frame.actions or "usual" in frame.actions:
            return "profile"  # "remember I like 21 degrees": a preference, not a setting
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
        if device == "window" and frame.action in ("lock", "unlock"):
            return "window_lock"  # "后排窗户锁上": the window switches, the child lock
        if device == "headlights" and (frame.color or frame.number is not None):
            return "ambient"  # "make the lights red", "灯光亮度50%": only the ambient light
        if device == "headlights" and _AUTOMATIC in frame.modes:
            return "auto_headlights"  # "车灯设成自动的吧", "put the headlights on automatic"
        if device == "headlights" and frame.zones:
            return "dome"  # "the lights in the back row", "前排的灯": the cabin's, not the road's
        if device in ("media", "volume", "screen") and frame.action == "video":
            return "media"
        if device == "defrost_front" and "rear" in frame.zones:
            return "defrost_rear"  # "defrost the back window"
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
        alone = frame.unknown + frame.around <= _ANAPHORA_UNKNOWN
        said = "".join(utt.text[s:e] for s, e in frame.raw_spans)
        bare_set = frame.actions == ("set",) and not frame.has_value and frame.unknown > 0
        bare_set = bare_set and not any(c.isdigit() for c in said)  # "调到FM101.7" names one
        alone = alone and not bare_set  # "调空空..": 调 amid noise sets nothing it can name
        lone_colour = frame.unknown + frame.around <= 1 or bool(frame.actions)
        if frame.color and alone and lone_colour:
            return "ambient"  # "purple please"; not "purple monkey dishwasher"
        if frame.unit in ("degree", "celsius", "fahrenheit"):
            return "temperature"
        # the last turn's device only for a frame about nothing else: "make it two" follows
        # the volume; "can I make it two Hangzhou without charging" talks of something new
        last = self._last_device() if alone else None
        before = previous.device if previous is not None and alone else None
        for candidate in (before, last):  # "…，东西会掉出来" takes no device from before
            if candidate and self._accepts(candidate, frame):
                return self.refine(frame, candidate)
        if (  # "make it 20", "二十"; not "… minus twenty", "负二十是时"
            frame.unknown + frame.around
            <= (_ANAPHORA_UNKNOWN if frame.actions else _BARE_NUMBER_UNKNOWN)
            and frame.number is not None
            and not frame.unit
            and climate_range(frame.number, scope)
        ):
            return "temperature"
        for action in frame.actions:
            if action in _FALLBACK_DEVICES:
                return _FALLBACK_DEVICES[action]
        if not alone:
            return None  # "贝加尔湖畔" holds 加, "关山月" 关: a name, not the volume or a stop
        if frame.action in _RELATIVE and playing(scope):
            return "volume"
        if frame.action in ("off", "pause"):
            return ongoing(scope, frame.action)  # "取消" ends the call, the music or the route
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
