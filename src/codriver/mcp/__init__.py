"""Apps over MCP (extra ``[mcp]``): third-party services as tools of the ``apps`` agent, under
their manifest's scopes and the one safety gate; and the car as an MCP server for other agents.

Apps: :mod:`~codriver.mcp.config` (the apps file and manifests) → :mod:`~codriver.mcp.client`
(one server's connection, with :mod:`~codriver.mcp.breaker`, :mod:`~codriver.mcp.payload` and the
size-bounded transports :mod:`~codriver.mcp.stdio` and :mod:`~codriver.mcp.bounded`) →
:mod:`~codriver.mcp.mount` (its tools as codriver tools) → :mod:`~codriver.mcp.apps` (every server
at once) → :mod:`~codriver.mcp.routes` (phrases in front of the engine) and
:mod:`~codriver.mcp.assistant`. The car as a server: :mod:`~codriver.mcp.grants` (clients, tokens),
:mod:`~codriver.mcp.car` (the tools and handlers), :mod:`~codriver.mcp.serve` (stdio, HTTP).
See docs/mcp.md.
"""

from __future__ import annotations

from codriver.errors import MissingExtraError


def require_sdk() -> None:
    """Raise :class:`MissingExtraError` unless the ``mcp`` SDK (2.x) can be imported."""
    try:
        import mcp  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("MCP", "mcp") from exc
