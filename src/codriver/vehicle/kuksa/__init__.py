"""A real vehicle bus: Eclipse KUKSA's databroker over its gRPC API ``kuksa.val.v2``
(extra ``[kuksa]``), both ways — codriver as a KUKSA app (:class:`KuksaBus`) and the simulated car
as a KUKSA server (:mod:`codriver.vehicle.kuksa.server`). See docs/vehicle.md.

Importing this package needs the extra: :func:`require` says so as one clear error.
"""

from __future__ import annotations

from codriver.errors import MissingExtraError


def require(feature: str = "a KUKSA vehicle bus") -> None:
    """Raise :class:`MissingExtraError` unless the ``[kuksa]`` extra is installed."""
    try:
        import grpc  # noqa: F401
        from kuksa.val.v2 import val_pb2_grpc  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(feature, "kuksa") from exc
