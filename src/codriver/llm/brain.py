"""The LLM brain: a turn becomes a plan of tool calls worked out by a chat model (one agent with
every tool, or the team of domain agents), checked call by call before anything runs."""

from __future__ import annotations

import asyncio
import time

from codriver.assistant.plan import Exchange, Plan, TurnContext, Utterance
from codriver.assistant.speakable import speakable
from codriver.assistant.trace import TraceEntry
from codriver.llm.agent import AgentResult, DryRun, LLMAgent
from codriver.llm.backend import ChatModel, Message, ModelUnavailable
from codriver.llm.prompts import load_prompts, state_summary
from codriver.llm.settings import LLMSettings
from codriver.llm.team import Team
from codriver.text import Bilingual
from codriver.tools.base import ToolBox

HISTORY = 4
"""Earlier exchanges the model sees."""
MAX_SAY = 600
"""Characters of the model's reply that are spoken (it is asked for one or two sentences)."""


class LLMBrain:
    """Plans a turn with a chat model. ``attempt`` raises :class:`ModelUnavailable` (the hybrid
    brain falls back on it, within its budget); ``plan`` gives the whole turn the same budget
    (``budget_s``) and turns a model that is down or over the budget into a short apology. A plan
    is only carried out once it is complete: a turn cut off by the deadline does nothing."""

    def __init__(self, model: ChatModel, tools: ToolBox, settings: LLMSettings) -> None:
        self.model = model
        self.settings = settings
        self.team: Team | LLMAgent = (
            Team(model, tools, settings)
            if settings.agents
            else LLMAgent(
                "assistant",
                "",
                list(tools),
                model,
                mode=settings.mode,
                max_steps=settings.max_steps,
            )
        )

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan:
        started = time.perf_counter()
        budget = self.settings.budget_s
        try:
            return await asyncio.wait_for(self.attempt(utterance, context), budget)
        except TimeoutError:
            why = f"timed out after {budget:g} s (the turn's budget)"
        except ModelUnavailable as exc:
            why = f"unavailable: {exc}"
        ms = (time.perf_counter() - started) * 1000
        note = TraceEntry("llm", self.model.name, {}, why, ms)
        return Plan("answer", say=load_prompts().unavailable, source="llm", notes=(note,))

    async def attempt(self, utterance: Utterance, context: TurnContext) -> Plan:
        if context.dry_run is None:
            raise ModelUnavailable("the assistant offers no dry run for checking calls")
        prompts = load_prompts()
        turn = prompts.turn.format(
            language="Chinese (中文)" if utterance.lang == "zh" else "English",
            speaker=utterance.speaker,
            state=state_summary(context.state, prompts.state),
        )
        conversation = [
            {"role": "system", "content": turn},
            *_history(context.history),
            {"role": "user", "content": utterance.text},
        ]
        dry_run: DryRun = context.dry_run
        result = await self.team.run(prompts.system, conversation, dry_run)
        return _plan(result)


def _plan(result: AgentResult) -> Plan:
    prompts = load_prompts()
    notes = tuple(result.notes)
    say = _said(result)
    if result.held:
        ask = prompts.confirm_tainted
        say = ask if say is None else Bilingual(f"{say.en} {ask.en}", f"{say.zh}{ask.zh}")
    if result.calls:
        return Plan(
            "act", tuple(result.calls), say, offer=tuple(result.held), source="llm",
            notes=notes, tainted=result.tainted,
        )  # fmt: skip
    if say is None:
        say = prompts.unavailable
    held = tuple(result.held)
    return Plan("answer", say=say, offer=held, source="llm", notes=notes, tainted=result.tainted)


def _said(result: AgentResult) -> Bilingual | None:
    """The model's reply, speakable, and attributed to the apps it heard from unless it names
    them itself: an app's claims are the app's, not the assistant's."""
    said = speakable(result.say, MAX_SAY)
    if not said.en:
        return None  # nothing speakable: the turn says it cannot help
    apps = result.consulted
    if not apps or any(name in result.say for app in apps for name in (app.en, app.zh)):
        return said
    template = load_prompts().attributed
    return Bilingual(
        template.en.format(apps=" and ".join(a.en for a in apps), text=said.en),
        template.zh.format(apps="和".join(a.zh for a in apps), text=said.zh),
    )


def _history(history: tuple[Exchange, ...]) -> list[Message]:
    messages: list[Message] = []
    for past in history[-HISTORY:]:
        messages.append({"role": "user", "content": past.utterance.text})
        done = ", ".join(f"{c.name}({dict(c.args)})" for c in past.plan.calls)
        said = past.plan.say.in_(past.utterance.lang) if past.plan.say else ""
        summary = " ".join(p for p in (f"[{past.outcome}: {done}]" if done else "", said) if p)
        messages.append({"role": "assistant", "content": summary or f"[{past.outcome}]"})
    return messages
