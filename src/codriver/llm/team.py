"""The domain agents on the LLM: each with its instructions and its own tools, under a
coordinator that hands parts of a request to them (several at once when they are independent)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from codriver.agents import AGENTS
from codriver.llm.agent import AgentResult, DryRun, LLMAgent
from codriver.llm.backend import ChatModel, Message
from codriver.llm.prompts import load_prompts
from codriver.llm.settings import LLMSettings
from codriver.tools.base import ToolBox


class Team:
    """A coordinator agent whose only tool is ``ask_agent``; each ask runs that agent's loop."""

    def __init__(self, model: ChatModel, tools: ToolBox, settings: LLMSettings) -> None:
        prompts = load_prompts()
        self.members: dict[str, LLMAgent] = {}
        for name, domains in AGENTS.items():
            owned = [t for t in tools if t.domain in domains]
            if owned:
                self.members[name] = LLMAgent(
                    name,
                    prompts.agents.get(name, ""),
                    owned,
                    model,
                    mode=settings.mode,
                    max_steps=settings.max_steps,
                )
        roster = "; ".join(f"{n}: {prompts.agents.get(n, '')}" for n in self.members)
        self.coordinator = LLMAgent(
            "coordinator",
            prompts.agents["coordinator"].format(agents=roster),
            [],
            model,
            mode="native",
            max_steps=settings.max_steps,
            handoffs={"ask_agent": (self._spec(), self._ask)},
        )
        self._system = ""
        self._dry_run: DryRun | None = None
        self._lock = asyncio.Lock()

    async def run(
        self, system: str, conversation: Sequence[Message], dry_run: DryRun
    ) -> AgentResult:
        async with self._lock:  # the hand-off state below belongs to one turn at a time
            self._system, self._dry_run = system, dry_run
            return await self.coordinator.run(system, conversation, dry_run)

    def _spec(self) -> Mapping[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": "ask_agent",
                "description": "Hand one part of the occupant's request to a specialist agent.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "agent": {"type": "string", "enum": sorted(self.members)},
                        "request": {
                            "type": "string",
                            "description": "what that agent should do or find out, in full",
                        },
                    },
                    "required": ["agent", "request"],
                },
            },
        }

    async def _ask(self, args: Mapping[str, Any]) -> AgentResult:
        member = self.members.get(str(args.get("agent")))
        if member is None or self._dry_run is None:
            return AgentResult(say=f"error: no agent named {args.get('agent')!r}")
        request: Message = {"role": "user", "content": str(args.get("request", ""))}
        return await member.run(self._system, [request], self._dry_run)
