"""An assistant with the apps mounted: the car's tools and the apps' tools in one toolbox (the
``apps`` agent owns the latter), and the apps' phrases in front of the brain."""

from __future__ import annotations

from collections.abc import Callable

from codriver.assistant.plan import Brain
from codriver.assistant.session import Assistant
from codriver.mcp.apps import Apps
from codriver.mcp.routes import AppsBrain, Routes
from codriver.tools.base import ToolBox
from codriver.vehicle.bus import VehicleBus


def assistant_with_apps(
    apps: Apps,
    *,
    brain: Callable[[ToolBox], Brain] | None = None,
    bus: VehicleBus | None = None,
) -> Assistant:
    """An assistant whose brain sees the apps' tools, behind the apps' phrases. ``brain`` makes
    the brain from the toolbox (an LLM brain needs it); the on-device engine when not given."""
    tools = apps.toolbox()
    if brain is not None:
        inner = brain(tools)
    else:
        from codriver.understanding import default_brain

        inner = default_brain()
    routed = AppsBrain(inner, Routes(apps.config), apps.available)
    return Assistant(bus=bus, tools=tools, brain=routed, clock=getattr(bus, "clock", None))
