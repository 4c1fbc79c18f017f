"""How a real car reflects one signal in others: a window's position in IsOpen, a sunroof switch
in its position, a massage level in its status. Pure functions over the state; the simulator applies
what they return."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from codriver.vehicle.catalog import Value

State = Mapping[str, Value | None]

# Items whose Position (0 closed … 100 open) and IsOpen mirror each other.
_POSITIONED = (".Window", ".Shade", "Vehicle.Cabin.RearShade", ".Trunk.Front", ".Trunk.Rear")
_SWITCH_TARGET = {"OPEN": 100, "ONE_SHOT_OPEN": 100, "CLOSE": 0, "ONE_SHOT_CLOSE": 0}
_SUNROOF_TARGET = {**_SWITCH_TARGET, "TILT_UP": -100, "TILT_DOWN": 0}


def _item(path: str) -> tuple[str, str]:
    item, _, leaf = path.rpartition(".")
    return item, leaf


def _is_door(item: str) -> bool:
    return item.startswith("Vehicle.Cabin.Door.") and item.count(".") == 4


def _has_position(item: str) -> bool:
    return _is_door(item) or any(item.endswith(s) or item == s for s in _POSITIONED)


def command_for(path: str, value: Value) -> tuple[str, Value] | None:
    """The command that brings an item back to a sensed ``value`` (to undo a switch command):
    the sunroof back to 0 is ``Sunroof.Switch = CLOSE``."""
    if path == "Vehicle.Cabin.Sunroof.Position" and isinstance(value, int | float):
        action = "TILT_UP" if value < 0 else "OPEN" if value > 0 else "CLOSE"
        return "Vehicle.Cabin.Sunroof.Switch", action
    return None


def consequences(writes: Iterable[tuple[str, Value]], state: State) -> dict[str, Value]:
    """What the car does in turn when ``writes`` are made in order, as :func:`coupled` says:
    the values the other signals take (opening a locked door unlocks it). The safety gate
    judges these with the writes, so that no effect of an action escapes it."""
    now = dict(state)
    out: dict[str, Value] = {}
    for path, value in writes:
        now[path] = value
        for other, follow in coupled(path, value, now).items():
            now[other] = follow
            out[other] = follow
    return out


def coupled(path: str, value: Value, state: State) -> dict[str, Value]:
    """The other signals that follow from ``path`` taking ``value``, given the current state."""
    item, leaf = _item(path)
    if path == "Vehicle.Cabin.Sunroof.Switch" and isinstance(value, str):
        target = _SUNROOF_TARGET.get(value)
        return {} if target is None else {"Vehicle.Cabin.Sunroof.Position": target}
    if leaf.endswith("Massage") or path.endswith(".Massage.Level"):
        status = "ON" if isinstance(value, int | float) and value > 0 else "OFF"
        return {f"{item}.Status": status}
    if not _has_position(item):
        return {}
    out: dict[str, Value] = {}
    if leaf == "Position" and isinstance(value, int | float):
        out[f"{item}.IsOpen"] = value > 0
    elif leaf == "IsOpen" and isinstance(value, bool):
        position = state.get(f"{item}.Position")
        is_open = isinstance(position, int | float) and position > 0
        if value != is_open:
            out[f"{item}.Position"] = 100 if value else 0
    elif leaf == "Switch" and isinstance(value, str) and value in _SWITCH_TARGET:
        out[f"{item}.Position"] = _SWITCH_TARGET[value]
        out[f"{item}.IsOpen"] = _SWITCH_TARGET[value] > 0
    opens = out.get(f"{item}.IsOpen", value is True)
    lockable = _is_door(item) or ".Trunk." in item
    moved = leaf in ("IsOpen", "Position", "Switch")
    if lockable and opens and moved and state.get(f"{item}.IsLocked") is True:
        out[f"{item}.IsLocked"] = False
    return out
