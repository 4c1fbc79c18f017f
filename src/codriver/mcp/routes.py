"""The on-device engine's way to the apps: the phrases each manifest gives a tool (in English and
Chinese) send an utterance to it, with the occupant's words as its argument, and what no brain
understood goes to the one fallback tool, if a manifest names one.

:class:`AppsBrain` wraps any brain (the on-device engine, hybrid, the LLM): it only looks at an
utterance before the inner brain when no question is pending (a "yes" is always the dialogue's).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from codriver.assistant.plan import Brain, Plan, ToolCall, TurnContext, Utterance
from codriver.assistant.trace import TraceEntry
from codriver.mcp.config import AppsConfig, ToolManifest
from codriver.mcp.mount import PHRASES, tool_name
from codriver.text import Bilingual


@dataclass(frozen=True, slots=True)
class Route:
    """A phrase (or the fallback) and the tool it sends an utterance to."""

    server: str
    tool: str
    manifest: ToolManifest
    app: Bilingual
    pattern: re.Pattern[str] | None = None
    length: int = 0

    @property
    def name(self) -> str:
        return tool_name(self.server, self.tool)

    def call(self, utterance: Utterance) -> ToolCall:
        args: dict[str, object] = {}
        if self.manifest.utterance_arg:
            args[self.manifest.utterance_arg] = utterance.text
        if self.manifest.lang_arg:
            args[self.manifest.lang_arg] = utterance.lang
        return ToolCall(self.name, args)


class Routes:
    """Every phrase of every manifest, longest first."""

    def __init__(self, config: AppsConfig) -> None:
        self.phrases: list[Route] = []
        self.fallback: Route | None = None
        for server in config.servers:
            app = server.display()
            for tool, manifest in server.tools.items():
                if manifest.fallback:
                    self.fallback = Route(server.name, tool, manifest, app)
                for phrase in (*manifest.triggers.en, *manifest.triggers.zh):
                    if phrase.strip():
                        size = len(phrase.strip())
                        route = Route(server.name, tool, manifest, app, _pattern(phrase), size)
                        self.phrases.append(route)
        self.phrases.sort(key=lambda r: -r.length)

    def match(self, text: str) -> Route | None:
        folded = " ".join(text.casefold().split())
        return next((r for r in self.phrases if r.pattern and r.pattern.search(folded)), None)


class AppsBrain:
    """Sends utterances that name an app's phrase to that app's tool; the rest to ``inner``."""

    def __init__(
        self, inner: Brain, routes: Routes, available: Callable[[str], bool] | None = None
    ) -> None:
        self.inner = inner
        self.routes = routes
        self.available = available or (lambda server: True)

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan:
        started = time.perf_counter()
        if context.pending_question is None:
            route = self.routes.match(utterance.text)
            if route is not None:
                return self._plan(route, utterance, context, started, "phrase")
        plan = await self.inner.plan(utterance, context)
        fallback = self.routes.fallback
        understood = plan.kind != "not_understood" or context.pending_question is not None
        if fallback is not None and not understood:
            return self._plan(fallback, utterance, context, time.perf_counter(), "fallback")
        return plan

    def _plan(
        self, route: Route, utterance: Utterance, context: TurnContext, started: float, why: str
    ) -> Plan:
        ms = (time.perf_counter() - started) * 1000
        if context.tools.get(route.name) is None or not self.available(route.server):
            note = TraceEntry("apps", route.name, {"by": why}, "not available", ms)
            say = PHRASES.get("apps.unavailable", app=route.app)
            return Plan("answer", say=say, notes=(note,))
        call = route.call(utterance)
        note = TraceEntry("apps", route.name, {"by": why}, "routed", ms)
        return Plan("act", (call,), notes=(note,))


def _pattern(phrase: str) -> re.Pattern[str]:
    """A phrase matched on word boundaries where it has Latin letters at its ends."""
    folded = " ".join(phrase.casefold().split())
    start = r"\b" if folded[:1].isascii() and folded[:1].isalnum() else ""
    end = r"\b" if folded[-1:].isascii() and folded[-1:].isalnum() else ""
    return re.compile(start + re.escape(folded) + end)
