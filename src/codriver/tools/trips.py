"""Drive-mode tools. (Navigation, resolved through the map, is in ``navigation``; calls, resolved
through the phone book, are in ``phone``.)"""

from __future__ import annotations

from typing import Literal

from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.tools.zones import PHRASES


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


DRIVE_TOOLS = Toolset("drive", (set_drive_mode,))
