"""Dialogue: undo, corrections, "too" and "more" — the turns that refer to the turns before."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from codriver.assistant.plan import Exchange, ToolCall, TurnContext
from codriver.understanding.clauses import direction, free_text
from codriver.understanding.devices import load_devices
from codriver.understanding.frames import Frame
from codriver.understanding.resolve import Need, Scope, resolve

if TYPE_CHECKING:
    from codriver.understanding.devices import DeviceSpec
    from codriver.understanding.memory import Memory

_RELATIVE = ("up", "down")


@dataclass
class Dialogue:
    """Turns that refer back: needs the brain's ``devices`` and ``memory``."""

    devices: dict[str, DeviceSpec]
    memory: Memory

    def refer_back(
        self, frame: Frame, ctx: TurnContext, scope: Scope, text: str
    ) -> list[ToolCall] | None:
        """Calls for undo, corrections, "too" and "more"; None when the frame is not one."""
        bare = not frame.device and not frame.actions and not frame.has_value
        if "undo" in frame.cues and bare and not frame.zones:
            return undo(ctx.history)
        acted_on_the_car = any(device != "profile" for _, device in self.memory.frames)
        if "correction" in frame.cues and acted_on_the_car:
            return self._correct(frame, ctx, scope, text)  # not "remember 24" → "make it 20 now"
        alone = not (frame.unknown or frame.around)  # "me too"; not "can I make it too Hangzhou"
        if (
            "too" in frame.cues
            and alone
            and not frame.device
            and not frame.actions
            and self.memory.remedy
        ):
            return _for_seat(self.memory.remedy, _seat_said(frame, scope))  # "I'm cold" → "我也是"
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
        bare_play = frame.action == "play" and not frame.query  # "再来点" after "调低一点"
        again = (
            "more" in frame.cues
            and not frame.device
            and not frame.has_value
            and (frame.action in (None, *_RELATIVE) or bare_play)
        )
        if again and self.memory.frames:
            return self._more(frame, scope)
        bare_relative = frame.action in _RELATIVE and not frame.device and not frame.has_value
        if (again or bare_relative) and self.memory.remedy:
            return more_of(self.memory.remedy, frame.action)  # "太闷了" → "再大一点"
        return None

    def _more(self, frame: Frame, scope: Scope) -> list[ToolCall] | None:
        """ "a little more", "再低一点", "too much, back a bit": the last change again or undone."""
        last, device = self.memory.frames[-1]
        spec = self.devices[device]
        same = direction(last)
        if same is None:
            return None
        said = frame.action if frame.words > 1 and frame.action in _RELATIVE else None  # "more"
        action = same if said is None else said
        if spec.kind == "position":
            opening = same == "up"
            if said == "down":
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
        fixed = amend(last, frame, text)
        if fixed is None:
            return None
        same = fixed.device == last.device  # the device as understood then ("warm up my seat")
        target = device if same else (fixed.device or device)
        resolved = resolve(fixed, self.devices[target], scope)
        if isinstance(resolved, Need):
            return None
        self.memory.frames = [(fixed, target)]
        moved = target != device or fixed.zones != last.zones
        return [*undo(ctx.history), *resolved] if moved else resolved


def _seat_said(frame: Frame, scope: Scope) -> str:
    """The seat a "me too" is said for: one named, else the speaker's."""
    named = [z for z in frame.zones if z not in ("mine", "all")]
    return named[0] if named else scope.speaker


def _for_seat(remedy: list[ToolCall], seat: str) -> list[ToolCall]:
    """The last need's changes again, for another seat."""
    keys = ("zone", "seat", "window")
    return [
        replace(c, args={k: seat if k in keys else v for k, v in c.args.items()}) for c in remedy
    ]


def more_of(remedy: list[ToolCall], action: str | None) -> list[ToolCall]:
    """The relative changes a need was met with, again ("a bit more", "再高一点"); the other way
    for the opposite direction ("too much, a bit lower")."""
    rising = sum(float(str(c.args["delta"])) for c in remedy) >= 0
    sign = -1 if (action == "down" and rising) or (action == "up" and not rising) else 1
    return [replace(c, args={**c.args, "delta": sign * c.args["delta"]}) for c in remedy]  # type: ignore[operator]


def amend(last: Frame, frame: Frame, text: str) -> Frame | None:
    """``last`` with what the correcting ``frame`` says instead: a device, zones, a value or a
    name. None when it says nothing to correct with."""
    name = frame.query or free_text(frame, text)
    whole = load_devices().get(last.device or "")
    inside = whole is not None and frame.device is not None and whole.part_of == frame.device
    if inside and frame.zones and not frame.actions:
        return replace(last, zones=list(frame.zones), cues=set())  # "no, the passenger seat"
    if frame.device and frame.device != last.device:
        return replace(last, device=frame.device, zones=frame.zones or last.zones, cues=set())
    if frame.has_value:
        return replace(
            last, number=frame.number, qual=frame.qual, unit=frame.unit or last.unit,
            color=frame.color or last.color, actions=("set",), cues=set(),
        )  # fmt: skip
    if frame.zones == ["other"]:
        return replace(last, zones=other_side(last.zones), cues=set())  # "no, the other one"
    if frame.zones:
        return replace(last, zones=list(frame.zones), cues=set())
    if name and last.query:
        return replace(last, query=name, cues=set())
    return None


_MIRROR = {
    "driver": "passenger", "passenger": "driver", "rear_left": "rear_right",
    "rear_right": "rear_left", "left": "right", "right": "left",
}  # fmt: skip


def other_side(zones: list[str]) -> list[str]:
    """The seats across from ``zones`` ("the other one" after the rear left window: the rear
    right); the speaker's own side ("mine", or none said) becomes "other" for the resolver."""
    mirrored = [_MIRROR.get(z, z) for z in zones if z != "mine"]
    return mirrored if mirrored else ["other"]


def undo(history: tuple[Exchange, ...]) -> list[ToolCall]:
    """The call that puts back what the last acting turn changed (the assistant's own journal
    says what); nothing when no turn has changed anything yet."""
    if any(c.source == "command" for exchange in history for c in exchange.changes):
        return [ToolCall("undo_last_change", {})]
    return []
