"""Clause-level judgements of the engine: what a clause is (a topic, a reason, a question, a cue),
what it inherits from the one before, and small readings of the state."""

from __future__ import annotations

from dataclasses import replace

from codriver.assistant.plan import ToolCall
from codriver.text import Bilingual
from codriver.understanding.devices import load_devices
from codriver.understanding.frames import Frame, trim_query
from codriver.understanding.lexicon import lower
from codriver.understanding.lexicon_files import load_lexicon
from codriver.understanding.names import plausible, starts_chinese
from codriver.understanding.resolve import Need, Scope
from codriver.understanding.sentence import holds_a_question_word
from codriver.vehicle.seats import hvac_station


def fill(template: Frame, frame: Frame, text: str) -> Frame:
    """The frame that asked for a slot, with the answer's slots filled in."""
    return replace(
        template,
        number=frame.number if frame.number is not None else template.number,
        unit=frame.unit or template.unit,
        qual=frame.qual or template.qual,
        color=frame.color or template.color,
        modes=frame.modes or template.modes,
        query=frame.query or free_text(frame, text) or template.query,
        zones=frame.zones or template.zones,
        actions=frame.actions or template.actions,
    )


def free_text(frame: Frame, text: str) -> str | None:
    if frame.free is None:
        return None
    return trim_query(text[frame.free[0] : frame.free[1]], load_lexicon().query_words) or None


def name_from_free_text(frame: Frame, device: str | None, text: str) -> None:
    """ "调到FM101.7", "some classical music would be nice": what to play, said without a verb;
    "到苏州有多少公里": the place a trip question is about, said before the question."""
    if frame.query:
        return
    verbless = frame.action in (None, "set", "on", "remember")
    playing = device in ("media", "profile") or (device or "").startswith("source_")
    if (playing and verbless) or frame.action == "trip":
        frame.query = free_text(frame, text)
    elif _named_place(frame, device, text, verbless):
        frame.cues.add("named")  # "遵化妇幼保健医院": that hospital, not the nearest one


def _named_place(frame: Frame, device: str | None, text: str, verbless: bool) -> bool:
    """A kind of place said after a name of its own ("浦东机场停车场", "遵化妇幼保健医院"): the
    clause is that place's name (the query), a place to go to."""
    spec = load_devices().get(device or "")
    if spec is None or spec.kind != "nearby" or not verbless or frame.unknown < _NAMED_PLACE:
        return False
    if frame.free is None or frame.sentence is None or frame.question:
        return False
    words = load_lexicon().query_words
    said = text[frame.free[0] : frame.sentence.end]
    if holds_a_question_word(lower(said)) or "howto" in frame.cues:
        return False  # "最近加油站在哪儿": a question about the nearest one
    name = trim_query(said, words)
    if not starts_chinese(name) or not plausible(name, "navigate", words):
        return False
    if any(word in name for word in _NEAREST):
        return False  # "最近的加油站": the nearest one, not a place called that
    frame.query = name
    return True


_NEAREST = ("最近", "附近", "就近", "离我最近", "最的")
"""Words of "the nearest" (and its garbled 最的) that make a kind of place no name."""
_NAMED_PLACE = 2
"""Unknown characters before a kind of place that make it a name ("雄县医院" has two)."""


def borrow_name(frame: Frame, before: Frame, text: str) -> None:
    """ "最近的洗手间在哪，带我过去": the place was named in the clause before — by name, or as a
    kind of place (then the nearest one)."""
    spec = load_devices().get(before.device or "")
    nearest = spec.args.get("nearest") if spec is not None else None
    name = before.query or (str(nearest) if nearest else None) or free_text(before, text)
    words = load_lexicon().query_words
    if name and plausible(name, "navigate", words):  # "我们到了没有": 们 is no place
        frame.query = name


def topic(frame: Frame) -> bool:
    """A clause that only names a device."""
    return bool(frame.device) and not (
        frame.actions or frame.has_value or frame.needs or frame.question or frame.qual
    )


def reason(frame: Frame) -> bool:
    """A clause that states a need and asks for nothing itself."""
    return bool(frame.needs) and not frame.actions and not frame.has_value


def cues_only(frame: Frame) -> bool:
    return bool(frame.cues) and not (
        frame.device or frame.actions or frame.has_value or frame.needs or frame.query
    )


def sync(frame: Frame, scope: Scope) -> list[ToolCall]:
    """ "match the passenger side to mine", "所有温区跟主驾同步": copy a set point across zones."""
    zones = [scope.speaker if z == "mine" else z for z in frame.zones]
    source = "driver" if "driver" in zones and len(zones) > 1 else scope.speaker
    path = f"Vehicle.Cabin.HVAC.Station.{hvac_station(source)}.Temperature"  # type: ignore[arg-type]
    current = scope.state.get(path)
    celsius = float(current) if isinstance(current, int | float) else 22.0
    targets = ["all"] if "all" in zones else [z for z in zones if z != source] or ["all"]
    return [ToolCall("set_temperature", {"celsius": celsius, "zone": z}) for z in targets]


def awaited(frames: list[Frame], need: Need) -> Frame:
    for frame in frames:
        if frame.device == need.device or not frame.device:
            return frame
    return frames[0]


def inherit(frame: Frame, previous: Frame | None) -> Frame:
    """A clause without a verb takes the one before ("close the windows and the sunroof"),
    but "don't …, just the fan" asks for the opposite of what was refused."""
    if previous is None or frame.actions or frame.has_value:
        return frame
    zones = [z for z in frame.zones if z != "mine" or not frame.unknown]
    if not (frame.device or zones or frame.deictic or frame.modes or frame.qual or frame.cues):
        return frame  # "…, I'm fine", "…，我眯一会儿": nothing named, nothing to do again
    if "negation" in previous.cues and "only" not in frame.cues:
        return frame  # what was refused is not asked for again
    if "only" in frame.cues and "negation" in previous.cues:
        return replace(frame, actions=("on",))
    if "only" in frame.cues and direction(previous) == "down":
        return replace(frame, actions=("on",))
    return replace(frame, actions=previous.actions)


def climate_range(number: float, scope: Scope) -> bool:
    """A bare number that can only be a set point ("make it 20 in here")."""
    if scope.state.get("Vehicle.Cabin.Infotainment.HMI.TemperatureUnit") == "F":
        return 60 <= number <= 90
    return 16 <= number <= 32


def playing(scope: Scope) -> bool:
    return scope.state.get("Vehicle.Cabin.Infotainment.Media.Action") == "PLAY"


def ongoing(scope: Scope, action: str) -> str | None:
    """What a stop word said alone ends ("取消", "关掉", "stop it"): a call under way, then the
    music that plays, then the route being followed; only the music pauses."""
    if action == "off" and scope.state.get("Cockpit.Phone.Call"):
        return "phone"
    if playing(scope):
        return "media"
    if action == "off" and scope.state.get("Cockpit.Navigation.Destination"):
        return "navigation"
    return None


def strongest(needs: list[str]) -> str:
    for need in ("very_cold", "fog", "carsick", "tired", "back_pain", "sweaty", "stuffy"):
        if need in needs:
            return need
    return needs[0]


def join(says: list[Bilingual]) -> Bilingual | None:
    if not says:
        return None
    return Bilingual(" ".join(s.en for s in says), "".join(s.zh for s in says))


def direction(frame: Frame) -> str | None:
    """Which way the frame moved its device: up (more, open) or down (less, closed)."""
    for action in frame.actions:
        if action in ("open", "recline", "on", "up"):
            return "up"
        if action in ("close", "upright", "off", "down"):
            return "down"
    if frame.number is not None or frame.qual in ("max", "half"):
        return "up"
    return None
