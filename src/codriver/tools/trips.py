"""Navigation, phone and drive-mode tools.

Until map and phone services exist these record the request in the cockpit state as said; the
agents that resolve places and contacts plug in behind the same tool names.
"""

from __future__ import annotations

from typing import Literal

from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.tools.zones import PHRASES

DESTINATION = "Cockpit.Navigation.Destination"
WAYPOINTS = "Cockpit.Navigation.Waypoints"
CALL = "Cockpit.Phone.Call"


@tool("navigation")
def navigate_to(ctx: ToolContext, place: str) -> Effect:
    """Start route guidance to a place.

    Args:
        place: the destination as said (a name, an address, or "nearest X").
    """
    return Effect.set(
        {DESTINATION: place, WAYPOINTS: []}, PHRASES.get("nav.destination", place=place)
    )


@tool("navigation")
def add_waypoint(ctx: ToolContext, place: str) -> Effect:
    """Add a stop on the way to the current destination.

    Args:
        place: the stop as said.
    """
    if not ctx.state.get(DESTINATION):
        return navigate_to.fn(ctx, place=place)
    current = ctx.state.get(WAYPOINTS)
    stops = list(current) if isinstance(current, list) else []
    return Effect.set({WAYPOINTS: [*stops, place]}, PHRASES.get("nav.waypoint", place=place))


@tool("navigation")
def cancel_navigation(ctx: ToolContext) -> Effect:
    """Stop route guidance."""
    if not ctx.state.get(DESTINATION):
        return Effect(answer=PHRASES.get("nav.no_route"))
    return Effect.set({DESTINATION: "", WAYPOINTS: []}, PHRASES.get("nav.cancel"))


@tool("phone")
def call_contact(ctx: ToolContext, contact: str) -> Effect:
    """Call someone.

    Args:
        contact: the contact's name as said, or a phone number.
    """
    return Effect.set({CALL: contact}, PHRASES.get("phone.call", contact=contact))


@tool("phone")
def hang_up(ctx: ToolContext) -> Effect:
    """End the current call."""
    if not ctx.state.get(CALL):
        return Effect(answer=PHRASES.get("phone.no_call"))
    return Effect.set({CALL: ""}, PHRASES.get("phone.hang_up"))


@tool("drive")
def set_drive_mode(
    ctx: ToolContext, mode: Literal["NORMAL", "SPORT", "ECONOMY", "SNOW", "RAIN"]
) -> Effect:
    """Switch the drive (performance) mode.

    Args:
        mode: NORMAL, SPORT, ECONOMY (eco), SNOW or RAIN.
    """
    return Effect.set(
        {"Vehicle.Powertrain.Transmission.PerformanceMode": mode},
        PHRASES.get("drive.mode", mode=PHRASES.get(f"drive.{mode}")),
    )


NAVIGATION_TOOLS = Toolset("navigation", (navigate_to, add_waypoint, cancel_navigation))
PHONE_TOOLS = Toolset("phone", (call_contact, hang_up))
DRIVE_TOOLS = Toolset("drive", (set_drive_mode,))
