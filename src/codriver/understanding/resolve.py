"""From a frame to tool calls, by the device's spec and the car's current state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from codriver.assistant.plan import ToolCall
from codriver.understanding.devices import DeviceSpec, ToolRef
from codriver.understanding.frames import Frame
from codriver.understanding.trips import KM_PER
from codriver.vehicle.catalog import Value
from codriver.vehicle.seats import Seat, seat_branch

FRACTIONS = {
    "half": 0.5,
    "third": 1 / 3,
    "quarter": 0.25,
    "two_thirds": 2 / 3,
    "three_quarters": 0.75,
    "low_level": 1 / 3,
    "medium_level": 2 / 3,
    "high_level": 1.0,
}
LEVELS = 3
"""Seat heating, massage and the like come in three levels ("二档", "level 2")."""
POSITIVE = {"on", "open", "unfold", "play", "resume", "up", "set", "tilt", "unlock", "recline"}
NEGATIVE = {"off", "close", "fold", "lock", "down", "pause", "upright", "cancel"}
_GROUP_ZONES = {"front", "rear", "all"}


@dataclass(frozen=True, slots=True)
class Need:
    """A slot the frame leaves open that only the occupant can fill."""

    slot: str
    device: str


@dataclass
class Scope:
    """What resolution may read: the state, who spoke, where they look."""

    state: Mapping[str, Value | None]
    speaker: Seat


def zones_of(frame: Frame, scope: Scope) -> list[str | None]:
    """The zone argument(s) a frame names; [None] when it names none (the speaker's own)."""
    named = [_SEAT_ACROSS[scope.speaker] if z == "other" else z for z in frame.zones]
    named = [scope.speaker if z == "mine" else z for z in named]
    if len(named) > 1 and "all" in named:
        named = [z for z in named if z != "all"]
    named = _sides(named)
    if not named:
        return [None]
    groups = [z for z in named if z in _GROUP_ZONES]
    if groups:
        return [groups[0]]
    return list(dict.fromkeys(named))


_SEAT_ACROSS: dict[str, str] = {
    "driver": "passenger", "passenger": "driver",
    "rear_left": "rear_right", "rear_right": "rear_left",
}  # fmt: skip
"""The seat across the row from the speaker's: "the other side" said of one's own."""


def _sides(zones: list[str]) -> list[str]:
    """ "left"/"right" on their own are the front seats; with a row, that row's seat."""
    if "left" not in zones and "right" not in zones:
        return zones
    row = "rear" if any(z.startswith("rear") for z in zones) else "front"
    out = [z for z in zones if z not in ("left", "right", "rear", "front")]
    for side in ("left", "right"):
        if side in zones:
            out.append(
                {
                    "front": {"left": "driver", "right": "passenger"},
                    "rear": {"left": "rear_left", "right": "rear_right"},
                }[row][side]
            )
    return out


def action_for(frame: Frame, kind: str) -> str | None:
    """The frame's action as the device kind reads it: "raise" is up for a level, close for
    a window; "lower" is down for a level, open for a window."""
    wanted = {"level": ("up", "down", "recline", "upright"), "position": ("open", "close")}
    for action in frame.actions:
        if action in wanted.get(kind, ()):
            return action
    return frame.action


def resolve(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    if _verbless(frame, spec):
        return Need("action", spec.name)
    handler = _HANDLERS.get(spec.kind)
    return [] if handler is None else handler(frame, spec, scope)  # a device the car lacks: none


def _verbless(frame: Frame, spec: DeviceSpec) -> bool:
    """A thing that opens or locks, named without saying what to do with it — alone ("车门"),
    or with a verb the engine does not know ("seal the windows", "bolt the doors") — where a
    guess could do the opposite of what was meant. Asked, not guessed."""
    if not spec.needs_verb:
        return False
    if frame.actions or frame.has_value or frame.qual not in (None, "little") or frame.modes:
        return False  # "把后备箱弄一下": "一下" says how long, not what to do
    return not frame.cues & {"more", "too", "correction", "undo"}


def _polarity(frame: Frame) -> bool | None:
    for action in frame.actions:
        if action in POSITIVE:
            return True
        if action in NEGATIVE:
            return False
    return None


def _call(
    ref: ToolRef | None,
    spec: DeviceSpec,
    tool_arg: object,
    zone: str | None,
    extra: Mapping[str, object] | None = None,
) -> ToolCall:
    tool = ref.tool if ref else str(spec.tool)
    arg = ref.arg if ref else str(spec.arg)
    args: dict[str, object] = dict(spec.args)
    if ref:
        args.update(ref.args)
    if arg:
        args[arg] = tool_arg
    if extra:
        args.update(extra)
    if spec.zone_arg and zone is not None and (not spec.zones or zone in spec.zones):
        args[spec.zone_arg] = zone
    return ToolCall(tool, args)


def _switch(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    positive = True if spec.up_opens and "up" in frame.actions else _polarity(frame)
    if positive is None and spec.needs_verb:
        return Need("action", spec.name)  # "车门同步": a door, a lock is not opened on a guess
    if positive is None:
        positive = frame.qual != "min"
    flag = positive != spec.invert
    value: object = flag
    if spec.on_value is not None:
        value = spec.on_value if flag else spec.off_value
    return [_call(None, spec, value, z) for z in zones_of(frame, scope)]


def _level(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    calls: list[ToolCall] = []
    for zone in zones_of(frame, scope):
        call = _level_one(frame, spec, scope, zone)
        if isinstance(call, Need):
            return call
        calls.append(call)
    return calls


def _level_one(frame: Frame, spec: DeviceSpec, scope: Scope, zone: str | None) -> ToolCall | Need:
    sign = -1 if spec.negative else 1
    low, high = spec.range
    action = action_for(frame, "level")
    if frame.color and spec.color:
        return _call(spec.color, spec, frame.color, zone)
    direction = 1 if action in ("up", "recline") else -1 if action in ("down", "upright") else 0
    if spec.down_reclines and action in ("up", "down"):
        direction = -direction
    if frame.number is not None and frame.unit == "level":
        share = min(max(frame.number, 0), LEVELS) / LEVELS
        return _call(spec.set, spec, sign * round(low + (high - low) * share), zone)
    if frame.number is not None:
        number = _to_unit(frame, spec, scope)
        relative = direction and "target" not in frame.cues and frame.unit != "percent"
        if relative and spec.adjust is not None:
            return _call(spec.adjust, spec, sign * direction * number, zone)
        return _call(spec.set, spec, sign * number, zone)
    if frame.qual in ("max", "min") or frame.qual in FRACTIONS:
        share = {"max": 1.0, "min": 0.0}.get(frame.qual or "", FRACTIONS.get(frame.qual or "", 0))
        return _call(spec.set, spec, sign * round(low + (high - low) * share), zone)
    if direction:
        delta = spec.lot if frame.qual == "lot" else spec.step
        return _adjust(spec, scope, zone, sign * direction * delta)
    if action in ("off", "close") or (action == "pause"):
        if spec.off is not None:
            return _call(spec.off, spec, None, None)
        if spec.switch is not None:
            return _call(spec.switch, spec, False, zone)
        if spec.off_level is not None:
            return _call(spec.set, spec, spec.off_level, zone)
    if action in ("on", "open", "play", "resume", "heat") or (
        action is None and frame.qual == "little"
    ):
        if spec.on is not None:
            return _call(spec.on, spec, None, None)
        if spec.switch is not None:
            return _call(spec.switch, spec, True, zone)
        if spec.on_level is not None:
            return _call(spec.set, spec, sign * spec.on_level, zone)
    return Need("value", spec.name)


_FAHRENHEIT_ONLY = (55.0, 90.0)
"""Set points that are Fahrenheit whatever the car shows (16–32 °C is 61–90 °F)."""


def _to_unit(frame: Frame, spec: DeviceSpec, scope: Scope) -> float:
    """The frame's number in the device's unit: Fahrenheit when said, or when the car shows °F."""
    number = float(frame.number or 0)
    shows_f = scope.state.get("Vehicle.Cabin.Infotainment.HMI.TemperatureUnit") == "F"
    said_f = frame.unit == "fahrenheit" or (shows_f and frame.unit != "celsius")
    # "set the temp to 70": no cabin is set to 70 °C; a number only Fahrenheit can mean is °F
    only_f = frame.unit != "celsius" and _FAHRENHEIT_ONLY[0] <= number <= _FAHRENHEIT_ONLY[1]
    if spec.unit == "degree" and frame.action not in ("up", "down") and (said_f or only_f):
        return round((number - 32) * 5 / 9 * 2) / 2
    return number


def _adjust(spec: DeviceSpec, scope: Scope, zone: str | None, delta: float) -> ToolCall:
    if spec.adjust is not None:
        return _call(spec.adjust, spec, delta, zone)
    seat = scope.speaker if zone in (None, "front", "rear", "all") else zone
    path = (spec.path or "").format(seat=seat_branch(seat))  # type: ignore[arg-type]
    current = scope.state.get(path)
    base = float(current) if isinstance(current, int | float) else float(spec.on_level or 0)
    low, high = spec.range
    target = max(min(base + delta, high), 0 if spec.off_level == 0 else low)
    return _call(spec.set, spec, int(target), zone)


_MOVES = frozenset(("open", "close", "on", "off", "up", "down", "set", "lock", "fold", "unfold"))
"""What may move a door, window or shade: anything else said with one ("同步" with a door) is
asked about, never read as "open"."""


def _position(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    said = action_for(frame, "position")
    if said is not None and said not in _MOVES and frame.number is None and not frame.qual:
        return Need("action", spec.name)
    calls = []
    zones = zones_of(frame, scope)
    if spec.close_all and zones == [None] and _closing(frame):
        zones = ["all"]
    for zone in zones:
        calls.append(_position_one(frame, spec, zone))
    return calls


def _closing(frame: Frame) -> bool:
    return frame.action in ("close", "off", "lock") and frame.qual is None and frame.number is None


def _position_one(frame: Frame, spec: DeviceSpec, zone: str | None) -> ToolCall:
    action = action_for(frame, "position")
    if spec.up_closes and action in ("up", "down"):
        action = "close" if action == "up" else "open"
    if frame.number is not None:
        return _call(spec.set, spec, int(frame.number), zone)
    if frame.qual in FRACTIONS:
        return _call(spec.set, spec, round(100 * FRACTIONS[frame.qual]), zone)
    if frame.qual == "max":
        return _call(spec.set, spec, 0 if action == "close" else 100, zone)
    opening = action not in ("close", "off", "down", "lock")
    if frame.qual in ("little", "lot"):
        amount = spec.lot if frame.qual == "lot" else spec.step
        if spec.adjust is not None and ("more" in frame.cues or not opening):
            return _call(spec.adjust, spec, amount if opening else -amount, zone)
        if opening:
            return _call(spec.set, spec, int(spec.little_open), zone)
    return _call(spec.set, spec, 100 if opening else 0, zone)


def _sunroof(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    if "tilt" in frame.actions:
        return [ToolCall("set_sunroof", {"action": "TILT_UP"})]
    positive = _polarity(frame)
    action = "CLOSE" if positive is False else "OPEN"
    return [ToolCall("set_sunroof", {"action": action})]


def _mode(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    prefix = f"{spec.modes}."
    modes = [m[len(prefix) :] for m in frame.modes if m.startswith(prefix)]
    if not modes:
        return Need("mode", spec.name)
    return [_call(None, spec, modes[-1], z) for z in zones_of(frame, scope)]


def _wipers(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    modes = [m.split(".", 1)[1] for m in frame.modes if m.startswith("wipers.")]
    order = list(spec.order)
    current = scope.state.get("Vehicle.Body.Windshield.Front.Wiping.Mode")
    if modes:
        mode = modes[-1]
    elif frame.qual == "max":
        mode = order[-1]
    elif frame.qual == "min":
        mode = order[0]
    elif frame.action in ("up", "down") and current in order:
        index = order.index(str(current)) + (1 if frame.action == "up" else -1)
        mode = order[max(0, min(len(order) - 1, index))]
    elif frame.action == "up":
        mode = "MEDIUM"
    elif _polarity(frame) is False:
        mode = "OFF"
    else:
        mode = "MEDIUM"
    return [ToolCall("set_wipers", {"mode": mode})]


def _media(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    action = frame.action
    if action == "video":
        rear = scope.speaker.startswith("rear") or any(z.startswith("rear") for z in frame.zones)
        screen = "rear" if rear else "front"  # "给后排放个动画片": the rear screen
        return [ToolCall("play_video", {"title": frame.query or "video", "screen": screen})]
    if action in ("play", "set", "on", None) and frame.query:
        return [ToolCall("play_media", {"query": frame.query})]
    command = _PLAYBACK.get(action or "")
    if command is None:
        return []  # "删除酷我音乐": no verb the music takes, so nothing is played
    return [ToolCall("control_playback", {"action": command})]


_PLAYBACK = {
    "": "PLAY", "on": "PLAY", "play": "PLAY", "resume": "PLAY", "set": "PLAY", "open": "PLAY",
    "pause": "STOP", "off": "STOP", "close": "STOP", "cancel": "STOP",
    "next": "SKIP_FORWARD", "previous": "SKIP_BACKWARD",
}  # fmt: skip
"""What each verb said of the music does with what is playing."""


def _source(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    """ "打开收音机", "play music from my phone over bluetooth", "听收音机99.2"."""
    if frame.action in ("pause", "off", "close") or "negation" in frame.cues:
        return [ToolCall("control_playback", {"action": "STOP"})]
    source = str(spec.args.get("source"))
    if frame.query:
        return [ToolCall("play_media", {"query": frame.query})]  # "调到FM101.7"
    if source == "FM" and frame.number is not None:
        mhz = frame.number / 10 if frame.number > _FM_TOP else frame.number  # "992" is 99.2
        return [ToolCall("play_media", {"query": f"FM {mhz:g}", "kind": "station"})]
    return [ToolCall("set_media_source", {"source": source})]


_FM_TOP = 108.0
"""The top of the FM band in MHz: a larger number said with the radio lost its decimal point."""


def _navigation(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    action = frame.action
    if action in ("cancel", "off", "close", "pause"):
        return [ToolCall("cancel_navigation", {})]
    if not frame.query:
        return Need("place", spec.name)
    if action == "add_stop":
        return [ToolCall("add_waypoint", {"place": frame.query})]
    return [ToolCall("navigate_to", {"place": frame.query})]


def _phone(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    if frame.action in ("hang_up", "off", "close", "cancel"):
        return [ToolCall("hang_up", {})]
    if not frame.query:
        return Need("contact", spec.name)
    return [ToolCall("call_contact", {"contact": frame.query})]


def _gear(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    gears = [m.split(".", 1)[1] for m in frame.modes if m.startswith("gear.")]
    if not gears:
        return Need("gear", spec.name)
    return [ToolCall("set_gear", {"gear": gears[-1]})]


def _status(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    args: dict[str, object] = {"topic": spec.topic}
    if frame.unit in ANSWER_UNITS:
        args["unit"] = ANSWER_UNITS[frame.unit]  # "range in miles"
    return [ToolCall("vehicle_status", args)]


ANSWER_UNITS = {"fahrenheit": "fahrenheit", "celsius": "celsius", "km": "km", "miles": "miles"}
"""Units said with a look-up that the answer is given in ("… in Fahrenheit", "how many
miles")."""


def _automation(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    """ "never mind that rule", "刚才那个提醒取消掉": cancel the newest of its kind."""
    if _polarity(frame) is False or "no" in frame.cues or frame.action == "cancel":
        return [ToolCall("cancel_automation", {"kind": spec.topic})]
    return Need("value", spec.name)


def _trip(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    """ "how far is the Bund", "can I make it to Hangzhou without charging?", "还有多远"."""
    args: dict[str, object] = {"place": frame.query} if frame.query else {}
    if "round_trip" in frame.cues:
        args["round_trip"] = True
    return [ToolCall("trip_info", args)]


def _profile(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    """ "my usual settings", "老样子"; "remember I like 21 degrees", "记住我喜欢周杰伦"."""
    if "remember" not in frame.actions:
        return [ToolCall("apply_usual_settings", {})]
    if frame.number is not None:
        value = f"{frame.number:g}"
        return [ToolCall("remember_preference", {"what": "temperature", "value": value})]
    if frame.query:
        return [ToolCall("remember_preference", {"what": "music", "value": frame.query})]
    return Need("value", "profile")


def _nearby(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    """ "is there a coffee shop around here?", "附近有没有停车场"."""
    nearest = spec.args.get("nearest")
    if "named" in frame.cues and frame.query:
        return [ToolCall("navigate_to", {"place": frame.query})]  # "浦东机场停车场"
    if nearest and ("navigate" in frame.actions or "add_stop" in frame.actions):
        tool = "add_waypoint" if "add_stop" in frame.actions else "navigate_to"
        return [ToolCall(tool, {"place": nearest})]
    category = spec.args.get("category") if nearest else frame.query
    if not category:
        return Need("place", spec.name)
    return [ToolCall("find_nearby", {"category": category})]


def _cruise(frame: Frame, spec: DeviceSpec, scope: Scope) -> list[ToolCall] | Need:
    """ "set cruise control to 100", "resume cruise", "取消巡航", "关闭定速巡航"."""
    actions = set(frame.actions)
    if actions & {"resume"}:
        return [ToolCall("set_cruise_control", {"action": "resume"})]
    if actions & {"cancel", "pause"}:
        return [ToolCall("set_cruise_control", {"action": "cancel"})]
    if actions & {"off", "close"} or "negation" in frame.cues:
        return [ToolCall("set_cruise_control", {"action": "off"})]
    args: dict[str, object] = {"action": "on"}
    if frame.number is not None:
        shown = scope.state.get("Vehicle.Cabin.Infotainment.HMI.DistanceUnit")
        miles = frame.unit == "miles" or (frame.unit is None and shown == "MILES")
        args["speed_kmh"] = round(frame.number * (KM_PER["miles"] if miles else 1.0))
    return [ToolCall("set_cruise_control", args)]


_HANDLERS = {
    "cruise": _cruise,
    "nearby": _nearby,
    "profile": _profile,
    "trip": _trip,
    "automation": _automation,
    "phone": _phone,
    "gear": _gear,
    "status": _status,
    "switch": _switch,
    "level": _level,
    "position": _position,
    "sunroof": _sunroof,
    "mode": _mode,
    "wipers": _wipers,
    "media": _media,
    "source": _source,
    "navigation": _navigation,
}
