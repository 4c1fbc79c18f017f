"""Tools: typed functions with schemas from their signatures, grouped into toolsets by domain."""

from codriver.tools.assist import ASSIST_TOOLS
from codriver.tools.automation import AUTOMATION_TOOLS
from codriver.tools.base import ArgumentProblem, Effect, Tool, ToolBox, ToolContext, Toolset, tool
from codriver.tools.body import BODY
from codriver.tools.climate import CLIMATE
from codriver.tools.knowledge import KNOWLEDGE_TOOLS
from codriver.tools.lights import LIGHTS_TOOLS
from codriver.tools.media import MEDIA_TOOLS
from codriver.tools.navigation import NAVIGATION_TOOLS
from codriver.tools.phone import PHONE_TOOLS
from codriver.tools.profile import PROFILE_TOOLS
from codriver.tools.seats import SEATS_TOOLS
from codriver.tools.status import STATUS_TOOLS
from codriver.tools.timers import TIMER_TOOLS
from codriver.tools.trips import DRIVE_TOOLS
from codriver.tools.undo import UNDO_TOOLS

VEHICLE_TOOLSETS = (
    CLIMATE,
    BODY,
    SEATS_TOOLS,
    LIGHTS_TOOLS,
    MEDIA_TOOLS,
    NAVIGATION_TOOLS,
    PHONE_TOOLS,
    DRIVE_TOOLS,
    ASSIST_TOOLS,
    STATUS_TOOLS,
    UNDO_TOOLS,
    AUTOMATION_TOOLS,
    TIMER_TOOLS,
    KNOWLEDGE_TOOLS,
    PROFILE_TOOLS,
)


def default_toolbox() -> ToolBox:
    """Every built-in toolset."""
    return ToolBox(VEHICLE_TOOLSETS)


__all__ = [
    "VEHICLE_TOOLSETS",
    "ArgumentProblem",
    "Effect",
    "Tool",
    "ToolBox",
    "ToolContext",
    "Toolset",
    "default_toolbox",
    "tool",
]
