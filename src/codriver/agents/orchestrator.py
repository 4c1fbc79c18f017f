"""Domain agents and the orchestrator that routes a plan's actions to them.

Each agent owns the toolsets of its domain (cabin, navigation and energy, media, phone, vehicle
knowledge, automations and care). The orchestrator gives every call to the agent that owns its
tool; agents work concurrently, each carrying out its own calls in order, all through the one
executor and its safety gate. An agent may ask another one a question while it works (navigation
asks energy whether the range suffices and where to charge); the orchestrator routes the question
and records the exchange. The trace says which agent did what, whom it asked, how it ended, and how
long it took.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from codriver.assistant.executor import Caller, Executor
from codriver.assistant.plan import ToolCall
from codriver.assistant.result import ActionResult, TraceEntry
from codriver.tools.base import ToolBox

T = TypeVar("T")

AGENTS: Mapping[str, tuple[str, ...]] = {
    "cabin": ("climate", "body", "seats", "lights", "drive", "system", "profile"),
    "navigation": ("navigation",),
    "energy": ("energy",),
    "media": ("media",),
    "phone": ("phone",),
    "knowledge": ("knowledge", "status"),
    "automation": ("automation",),
    "apps": ("apps",),
}
"""Which tool domains each agent owns."""


class Orchestrator:
    """Routes calls to the agents that own them and runs the agents side by side."""

    def __init__(self, executor: Executor, tools: ToolBox) -> None:
        self.executor = executor
        self._owner = {
            tool.name: agent
            for agent, domains in AGENTS.items()
            for tool in tools
            if tool.domain in domains
        }

    def owner(self, tool: str) -> str:
        return self._owner.get(tool, "cabin")

    async def run(
        self, calls: Sequence[ToolCall], caller: Caller, *, confirmed: bool = False
    ) -> tuple[list[ActionResult], list[TraceEntry]]:
        """Each call's result in the order asked, and the trace in the order things happened. An
        undo puts back the turn before, so it runs before this turn's other calls, whichever
        agents they go to (run side by side, an undo could land after a change of this turn)."""
        by_agent: dict[str, list[int]] = {}
        first = [i for i, call in enumerate(calls) if call.name in _BEFORE_THE_TURN]
        for index, call in enumerate(calls):
            if index not in first:
                by_agent.setdefault(self.owner(call.name), []).append(index)
        results: list[ActionResult | None] = [None] * len(calls)
        trace: list[TraceEntry] = []

        async def agent(name: str, indexes: list[int]) -> None:
            consult = _Line(name, trace)
            for index in indexes:
                started = time.perf_counter()
                [result] = await self.executor.run(
                    [calls[index]], caller, confirmed=confirmed, consult=consult
                )
                results[index] = result
                rule = result.verdict.rule if result.verdict else None
                ms = (time.perf_counter() - started) * 1000
                call = calls[index]
                trace.append(TraceEntry(name, call.name, dict(call.args), result.status, ms, rule))
                await asyncio.sleep(0)  # let the other agents take their turn

        if first:
            await agent(self.owner(calls[first[0]].name), first)
        await asyncio.gather(*(agent(name, idx) for name, idx in by_agent.items()))
        return [r for r in results if r is not None], trace


_BEFORE_THE_TURN = frozenset({"undo_last_change"})
"""Calls about the turn before, run ahead of the turn's own."""


class _Line:
    """One agent's line to the others: answers its questions and notes each in the trace."""

    def __init__(self, asker: str, trace: list[TraceEntry]) -> None:
        self.asker = asker
        self.trace = trace

    def __call__(
        self, agent: str, question: str, about: Mapping[str, object], answer: Callable[[], T]
    ) -> T:
        if agent not in AGENTS:
            raise KeyError(f"no agent named {agent!r}")
        started = time.perf_counter()
        reply = answer()
        ms = (time.perf_counter() - started) * 1000
        summary = getattr(reply, "summary", None)
        said = summary() if callable(summary) else "answered"
        self.trace.append(TraceEntry(f"{self.asker}→{agent}", question, dict(about), said, ms))
        return reply
