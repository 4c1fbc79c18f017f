"""The assistant's own signals, which VSS does not cover, under ``Cockpit.`` paths: the route, what
is asked to play and which screen shows a video, the call, reminders, rules and timers. The safety
gate checks writes to them as it checks the car's: a known path and the right type."""

from __future__ import annotations

from codriver.vehicle.catalog import Rejection

COCKPIT = "Cockpit."
LISTS = ("Cockpit.Navigation.Waypoints", "Cockpit.Reminders", "Cockpit.Rules", "Cockpit.Timers")
TEXTS = (
    "Cockpit.Navigation.Destination",
    "Cockpit.Media.Query",
    "Cockpit.Media.Video",
    "Cockpit.Phone.Call",
)
COCKPIT_PATHS: tuple[str, ...] = TEXTS + LISTS
VIDEO_SCREENS = ("", "front", "driver", "center", "passenger", "rear")
"""``Cockpit.Media.Video``: the screen showing a video, ``""`` when none does."""


def check_cockpit(path: str, value: object) -> Rejection | None:
    """Why ``value`` cannot be written to ``path``, or None when it can."""
    if path not in COCKPIT_PATHS:
        return Rejection(path, "unknown_signal", f"unknown cockpit path {path!r}")
    if path in LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return Rejection(path, "wrong_type", f"{path} expects a list of texts")
    elif not isinstance(value, str):
        return Rejection(path, "wrong_type", f"{path} expects text, not {value!r}")
    elif path == "Cockpit.Media.Video" and value not in VIDEO_SCREENS:
        shown = ", ".join(repr(s) for s in VIDEO_SCREENS)
        return Rejection(path, "not_allowed", f"{path} is one of {shown}", shown)
    return None
