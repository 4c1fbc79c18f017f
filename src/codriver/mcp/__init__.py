"""Apps over MCP (extra ``[mcp]``): third-party services as tools of the ``apps`` agent, under
their manifest's scopes and the one safety gate; and the car as an MCP server for other agents.

- :mod:`codriver.mcp.config` — the apps file: servers and their manifests (no SDK needed).
- :mod:`codriver.mcp.apps` — connect every configured server, mount its tools, route phrases.
- :mod:`codriver.mcp.car` — the car's tools as an MCP server (``codriver mcp serve``).
"""

from __future__ import annotations

from codriver.errors import MissingExtraError


def require_sdk() -> None:
    """Raise :class:`MissingExtraError` unless the ``mcp`` SDK (2.x) can be imported."""
    try:
        import mcp  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("MCP", "mcp") from exc
