"""Hybrid arbitration: the on-device engine answers what it understands with confidence; the LLM
gets the rest and open conversation, within a time budget, after which the on-device answer (or a
clear "I can't do that right now") is given. Every decision goes into the trace."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from codriver.assistant.plan import Brain, Plan, TurnContext, Utterance
from codriver.assistant.trace import TraceEntry
from codriver.llm.backend import ModelUnavailable
from codriver.llm.brain import LLMBrain
from codriver.llm.prompts import load_prompts

FALLBACK_FLOOR = 0.5
"""Below this confidence the engine's own plan is a guess: without the LLM, apologise instead."""

DIALOGUE = ("confirm", "decline", "ask", "refuse")
"""Plans that answer or pose the dialogue's own question: the engine keeps those."""


class HybridBrain:
    def __init__(
        self,
        local: Brain,
        llm: LLMBrain,
        *,
        budget_s: float,
        confident: float,
        floor: float = FALLBACK_FLOOR,
    ) -> None:
        self.local = local
        self.llm = llm
        self.budget_s = budget_s
        self.confident = confident
        self.floor = floor

    def recollection(self) -> object:
        """What the engine remembers between turns (the LLM keeps nothing of its own)."""
        kept = getattr(self.local, "recollection", None)
        return kept() if kept is not None else None

    def recall(self, kept: object) -> None:
        recall = getattr(self.local, "recall", None)
        if recall is not None and kept is not None:
            recall(kept)

    def keeps(self, plan: Plan) -> bool:
        """Is the engine's plan, on its face, good enough to skip the LLM?"""
        if plan.kind in DIALOGUE:
            return True
        if plan.kind == "not_understood" or (plan.kind == "answer" and not plan.calls):
            return False  # not understood, or small talk: open conversation is the LLM's
        return plan.confidence >= self.confident

    async def workable(self, plan: Plan, context: TurnContext) -> bool:
        """Do the plan's calls work as planned (no unknown place, contact or bad argument)? A
        plan whose look-ups fail is the engine misreading free text as a name."""
        if context.dry_run is None:
            return True
        for call in plan.calls:
            if (await context.dry_run(call)).status == "failed":
                return False
        return True

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan:
        started = time.perf_counter()
        local = await self.local.plan(utterance, context)
        local_ms = (time.perf_counter() - started) * 1000
        about = {"kind": local.kind, "confidence": round(local.confidence, 2)}
        if self.keeps(local) and await self.workable(local, context):
            return _noted(local, TraceEntry("hybrid", "local", about, "kept", local_ms))
        handed = TraceEntry("hybrid", "local", about, "handed to the LLM", local_ms)
        left = max(0.0, self.budget_s - local_ms / 1000)
        asked = time.perf_counter()
        try:
            planned = await asyncio.wait_for(self.llm.attempt(utterance, context), left)
        except (TimeoutError, ModelUnavailable) as exc:
            why = f"timed out after {left:.2f} s" if isinstance(exc, TimeoutError) else str(exc)
            ms = (time.perf_counter() - asked) * 1000
            fallback = self._fallback(local)
            note = TraceEntry("hybrid", "llm", {}, f"fell back: {why}", ms)
            return _noted(fallback, handed, note)
        ms = (time.perf_counter() - asked) * 1000
        # what the engine read as a question stays one, whoever plans it
        planned = replace(planned, sentence=planned.sentence or local.sentence)
        return _noted(planned, handed, TraceEntry("hybrid", "llm", {}, "answered", ms))

    def _fallback(self, local: Plan) -> Plan:
        if local.kind == "not_understood" or local.confidence < self.floor:
            return Plan("answer", say=load_prompts().unavailable)
        return local


def _noted(plan: Plan, *notes: TraceEntry) -> Plan:
    return replace(plan, notes=(*notes, *plan.notes))
