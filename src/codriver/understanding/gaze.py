"""Gaze and pointing: which device and seat a VSS branch the occupant looks at stands for."""

from __future__ import annotations

from codriver.vehicle.seats import seat_of_branch

_BY_PATH = (
    ("Sunroof.Shade", "sunshade"),
    ("Sunroof", "sunroof"),
    ("RearShade", "rear_shade"),
    (".Shade", "side_shade"),
    (".Window", "window"),
    ("Trunk.Front", "frunk"),
    ("Trunk", "trunk"),
    ("Hood", "hood"),
    ("AmbientLight", "ambient"),
    ("Cabin.Light", "dome"),
    ("Mirrors", "mirrors"),
    ("Massage", "massage"),
    ("Seat", "seat_heat"),
    ("HVAC.Station", "temperature"),
    ("Infotainment.Media", "media"),
    ("Cabin.Door", "door"),
)


def device_from_gaze(path: str) -> tuple[str, str | None] | None:
    """The device and seat (if any) that the looked-at branch ``path`` names."""
    for fragment, device in _BY_PATH:
        if fragment in path:
            return device, seat_of_branch(path) or _side(path)
    return None


def _side(path: str) -> str | None:
    """Mirrors and other row-less items: the driver's or the passenger's side."""
    if path.endswith(".DriverSide") or ".DriverSide." in path:
        return "driver"
    if path.endswith(".PassengerSide") or ".PassengerSide." in path:
        return "passenger"
    return None
