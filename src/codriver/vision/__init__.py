"""The cabin camera: what it sees (faces, eyes, head, hands) becomes driver state, occupancy,
gestures and deixis, which reach the same agents and the same safety gate as what is said.

``observation`` is the seam: perception (MediaPipe, extra ``[vision]``) turns a frame into a
:class:`~codriver.vision.observation.FrameObservation`; everything after it works on those plain
values and needs no camera, no numpy and no model. :class:`VisionSession` takes them in and
returns :data:`VisionEvent` values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codriver.vision.events import (
        Alert,
        DeixisTarget,
        DriverStateEvent,
        GestureEvent,
        OccupancyChange,
        Reaction,
        VisionEvent,
    )
    from codriver.vision.geometry import CabinGeometry
    from codriver.vision.levels import DriverState
    from codriver.vision.session import Perceiving, VisionSession

__all__ = [
    "Alert",
    "CabinGeometry",
    "DeixisTarget",
    "DriverState",
    "DriverStateEvent",
    "GestureEvent",
    "OccupancyChange",
    "Perceiving",
    "Reaction",
    "VisionEvent",
    "VisionSession",
]

_WHERE = {
    "Alert": "events",
    "DeixisTarget": "events",
    "DriverStateEvent": "events",
    "GestureEvent": "events",
    "OccupancyChange": "events",
    "Reaction": "events",
    "VisionEvent": "events",
    "CabinGeometry": "geometry",
    "DriverState": "levels",
    "Perceiving": "session",
    "VisionSession": "session",
}


def __getattr__(name: str) -> Any:
    """Imported on first use: ``import codriver.vision.observation`` stays light."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'codriver.vision' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"codriver.vision.{module}"), name)
