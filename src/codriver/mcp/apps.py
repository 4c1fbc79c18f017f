"""Every configured third-party server at once: discovered concurrently, each within the time
budget, so a slow or broken one is left out (and said to be) while the others are mounted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from codriver.mcp.client import Connection, ServerDown
from codriver.mcp.config import AppsConfig, ServerManifest
from codriver.mcp.mount import DOMAIN, Rejected, mount
from codriver.tools import VEHICLE_TOOLSETS
from codriver.tools.base import Tool, ToolBox, Toolset


@dataclass(frozen=True, slots=True)
class ServerReport:
    """How discovering one server went."""

    name: str
    tools: tuple[str, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    problem: str | None = None
    ms: float = 0.0

    @property
    def up(self) -> bool:
        return self.problem is None


class Apps:
    """The connected servers, their mounted tools, and how discovery went."""

    def __init__(self, config: AppsConfig) -> None:
        self.config = config
        self.connections = {s.name: Connection(s) for s in config.servers}
        self.tools: list[Tool] = []
        self.reports: dict[str, ServerReport] = {}

    @classmethod
    async def connect(
        cls,
        config: AppsConfig,
        *,
        reserved: Iterable[str] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> Apps:
        """Connect to every server and mount its tools; ``reserved`` are the names of the car's
        own tools (the built-in ones when not given), which no third-party tool may take."""
        apps = cls(config)
        if clock is not None:
            for connection in apps.connections.values():
                connection.breaker.clock = clock
        names = set(reserved) if reserved is not None else _builtin_names()
        reports = await asyncio.gather(
            *(apps._discover(c, names) for c in apps.connections.values())
        )
        apps.reports = {r.name: r for r in reports}
        return apps

    async def _discover(self, connection: Connection, reserved: set[str]) -> ServerReport:
        started = time.perf_counter()
        try:
            listed = await connection.open(self.config.discovery_budget_s)
        except ServerDown as exc:
            ms = (time.perf_counter() - started) * 1000
            return ServerReport(connection.name, problem=str(exc), ms=ms)
        tools, rejected = mount(connection, listed, reserved)
        self.tools.extend(tools)
        ms = (time.perf_counter() - started) * 1000
        names = tuple(t.name for t in tools)
        return ServerReport(connection.name, names, tuple(rejected), ms=ms)

    def toolset(self) -> Toolset:
        """The mounted tools, for the ``apps`` agent."""
        return Toolset(DOMAIN, tuple(sorted(self.tools, key=lambda t: t.name)))

    def toolbox(self, base: Iterable[Toolset] = VEHICLE_TOOLSETS) -> ToolBox:
        """The car's toolsets and the apps."""
        return ToolBox([*base, self.toolset()])

    def summary(self) -> list[dict[str, Any]]:
        """How discovery went, per server, as JSON-ready data (``codriver mcp apps``)."""
        return [
            {
                "server": report.name,
                "up": report.up,
                "problem": report.problem,
                "ms": round(report.ms, 1),
                "tools": [
                    {"name": t.name, "scopes": sorted(t.scopes), "read_only": t.read_only}
                    for t in self.tools
                    if t.provider == report.name
                ],
                "left_out": [{"tool": r.tool, "why": r.why} for r in report.rejected],
            }
            for report in self.reports.values()
        ]

    def manifest(self, server: str) -> ServerManifest | None:
        return self.config.server(server)

    def available(self, server: str) -> bool:
        """Is ``server`` connected and not switched off by its breaker?"""
        connection = self.connections.get(server)
        report = self.reports.get(server)
        if connection is None or report is None or not report.up:
            return False
        return connection.breaker.state != "open"

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self.connections.values()))

    async def __aenter__(self) -> Apps:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def _builtin_names() -> set[str]:
    return {t.name for toolset in VEHICLE_TOOLSETS for t in toolset.tools}
