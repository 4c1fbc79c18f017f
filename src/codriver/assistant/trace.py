"""A turn's trace: which agent or brain did what, how it ended, and how long it took."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One step of a turn: the agent, the call, how it ended and how long it took."""

    agent: str
    tool: str
    args: Mapping[str, object]
    status: str
    ms: float
    rule: str | None = None

    def line(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.args.items())
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{self.agent:<10} {self.tool}({args}) → {self.status}{rule} ({self.ms:.2f} ms)"
