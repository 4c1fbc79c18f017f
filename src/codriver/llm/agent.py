"""One LLM agent: its instructions, its own tools, and the loop of model turns and tool results.

Nothing the model asks for runs here. Every call is checked against its tool's schema, then tried
without effect (the assistant's dry run): a look-up's answer goes back to the model as data; an
action is collected for the assistant to carry out through the orchestrator and the safety gate.
A call that names no tool of this agent or does not fit its schema goes back to the model as an
error and is never carried out. Once the model has seen any look-up's result — any of which may
try to steer it (prompt injection), from a third party or from data the car holds — the actions
it proposes after it wait for the occupant's yes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from codriver.assistant.plan import ToolCall
from codriver.assistant.result import ActionResult
from codriver.assistant.trace import TraceEntry
from codriver.llm.backend import ChatModel, Completion, Message, ModelCall, ModelUnavailable
from codriver.llm.prompts import load_prompts, openai_tools, plan_format, tool_lines
from codriver.llm.settings import Mode
from codriver.text import Bilingual
from codriver.tools.base import ArgumentProblem, Tool

DryRun = Callable[[ToolCall], Awaitable[ActionResult]]
Handoff = Callable[[Mapping[str, Any]], Awaitable["AgentResult"]]


HELD = "held for the occupant's yes"


@runtime_checkable
class Attributed(Protocol):
    """A tool's remote call path that knows whose service it is (an app over MCP)."""

    app: Bilingual


@dataclass
class AgentResult:
    """What an agent's loop came to: its words, the actions to carry out, the ones held for the
    occupant's yes, the calls turned away, the apps it heard from, and the trace."""

    say: str = ""
    calls: list[ToolCall] = field(default_factory=list)
    held: list[ToolCall] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    notes: list[TraceEntry] = field(default_factory=list)
    tainted: bool = False
    """The model has seen a look-up's result: what it proposes from now on is held."""
    consulted: list[Bilingual] = field(default_factory=list)
    """The apps whose answers the model saw, by the names the occupant knows them by."""

    def absorb(self, other: AgentResult) -> None:
        """Take in a helper agent's actions, holds and trace (its words are the caller's data)."""
        for call in other.calls:
            _add(self.calls, call)
        for call in other.held:
            _add(self.held, call)
        self.rejected.extend(other.rejected)
        self.notes.extend(other.notes)
        self.tainted = self.tainted or other.tainted
        self.consulted.extend(a for a in other.consulted if a not in self.consulted)

    def hold_all(self) -> list[ToolCall]:
        """Hold every collected action for the occupant's yes (it was asked for after a
        look-up's result was seen); the calls now held."""
        moved = list(self.calls)
        for call in moved:
            _add(self.held, call)
        self.calls.clear()
        return moved


@dataclass
class Step:
    """One model turn's calls as this loop judged them, and what goes back to the model."""

    feedback: list[tuple[ModelCall, str, str]] = field(default_factory=list)
    looked_up: bool = False

    def has_errors(self) -> bool:
        return any(status == "rejected" for _, status, _ in self.feedback)


class LLMAgent:
    """A domain agent driven by a chat model."""

    def __init__(
        self,
        name: str,
        instructions: str,
        tools: Sequence[Tool],
        model: ChatModel,
        *,
        mode: Mode = "native",
        max_steps: int = 4,
        handoffs: Mapping[str, tuple[Mapping[str, Any], Handoff]] | None = None,
    ) -> None:
        self.name = name
        self.instructions = instructions
        self.tools = {t.name: t for t in tools}
        self.model = model
        self.mode = mode
        self.max_steps = max_steps
        self.handoffs = dict(handoffs or {})
        """Extra tools that hand work to other agents: name → (OpenAI tool spec, runner)."""

    async def run(
        self, system: str, conversation: Sequence[Message], dry_run: DryRun
    ) -> AgentResult:
        result = AgentResult()
        messages: list[Message] = [{"role": "system", "content": self._system(system)}]
        messages.extend(conversation)
        for step_no in range(self.max_steps):
            completion = await self._complete(messages)
            calls = self._calls(completion.text, completion.calls)
            result.notes.append(
                TraceEntry(
                    f"llm:{self.name}",
                    "model",
                    {"step": step_no + 1, "calls": len(calls)},
                    "replied",
                    completion.ms,
                )
            )
            say = _say(completion.text) if self.mode == "structured" else completion.text
            if not calls:
                result.say = say.strip()
                return result
            step = await self._judge(calls, dry_run, result)
            result.tainted = result.tainted or step.looked_up  # for the model's next steps
            if not step.looked_up and not step.has_errors():
                return result
            messages.extend(self._feedback(completion.text, step))
        return result

    # -- one model turn --------------------------------------------------------------------

    def _system(self, system: str) -> str:
        text = f"{system}\n{self.instructions}"
        if self.mode == "structured":
            text += "\n" + load_prompts().structured.format(tools=tool_lines(self.tools.values()))
        return text

    async def _complete(self, messages: Sequence[Message]) -> Completion:
        if self.mode == "structured":
            return await self.model.complete(
                messages, response_format=plan_format(self.tools.values())
            )
        specs = openai_tools(self.tools.values()) + [spec for spec, _ in self.handoffs.values()]
        return await self.model.complete(messages, tools=specs)

    def _calls(self, text: str, native: Sequence[ModelCall]) -> list[ModelCall]:
        if self.mode == "native":
            return list(native)
        try:
            raw = json.loads(text)
            items = raw["calls"]
            return [
                ModelCall(f"call_{i}", str(c["tool"]), json.dumps(c.get("args", {})))
                for i, c in enumerate(items)
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelUnavailable(f"structured reply is not the agreed JSON: {exc}") from exc

    # -- judging the calls -----------------------------------------------------------------

    async def _judge(
        self, calls: Sequence[ModelCall], dry_run: DryRun, result: AgentResult
    ) -> Step:
        step = Step()
        for call in calls:
            started = time.perf_counter()
            status, said = await self._one(call, dry_run, result, step)
            ms = (time.perf_counter() - started) * 1000
            step.feedback.append((call, status, said))
            args = _loads(call.arguments)
            shown = args if isinstance(args, dict) else {"arguments": call.arguments[:80]}
            result.notes.append(TraceEntry(f"llm:{self.name}", call.name, shown, status, ms))
        return step

    async def _one(
        self, call: ModelCall, dry_run: DryRun, result: AgentResult, step: Step
    ) -> tuple[str, str]:
        args = _loads(call.arguments)
        if not isinstance(args, dict):
            return self._reject(result, call, "arguments are not a JSON object")
        if call.name in self.handoffs:
            step.looked_up = True
            helper = await self.handoffs[call.name][1](args)
            if result.tainted:  # asked for after this agent saw a look-up's result
                for held in helper.hold_all():
                    note = TraceEntry(f"llm:{self.name}", held.name, dict(held.args), HELD, 0.0)
                    helper.notes.append(note)
            result.absorb(helper)
            return "looked up", helper.say or "(no answer)"
        tool = self.tools.get(call.name)
        if tool is None:
            return self._reject(result, call, f"there is no tool named {call.name!r}")
        checked = tool.validate(args)
        if isinstance(checked, ArgumentProblem):
            return self._reject(result, call, checked.message)
        proposal = ToolCall(tool.name, args)
        tried = await dry_run(proposal)
        message = tried.message.en if tried.message else ""
        if tried.status == "answered" or tried.choices:  # an answer, or options to pick from
            step.looked_up = True
            if isinstance(tool.remote, Attributed) and tool.remote.app not in result.consulted:
                result.consulted.append(tool.remote.app)
            return "looked up", message or "(nothing)"
        if tried.status == "failed":
            return self._reject(result, call, message or "the tool could not do this")
        if result.tainted:
            _add(result.held, proposal)
            return HELD, "not done: needs the occupant's confirmation"
        _add(result.calls, proposal)
        verdicts = {"done": "will be done", "refused": "refused", "asked": "needs confirmation"}
        return verdicts[tried.status], message

    def _reject(self, result: AgentResult, call: ModelCall, why: str) -> tuple[str, str]:
        result.rejected.append(f"{call.name}: {why}")
        return "rejected", f"error: {why}"

    def _feedback(self, text: str, step: Step) -> list[Message]:
        if self.mode == "native":
            asked: Message = {
                "role": "assistant",
                "content": text or None,
                "tool_calls": [
                    {
                        "id": c.id,
                        "type": "function",
                        "function": {"name": c.name, "arguments": c.arguments},
                    }
                    for c, _, _ in step.feedback
                ],
            }
            answers: list[Message] = [
                {"role": "tool", "tool_call_id": c.id, "content": _data(status, said)}
                for c, status, said in step.feedback
            ]
            return [asked, *answers]
        results = [
            {"tool": c.name, "status": status, "result": said} for c, status, said in step.feedback
        ]
        return [
            {"role": "assistant", "content": text},
            {
                "role": "user",
                "content": load_prompts().tool_results
                + "\n"
                + json.dumps(results, ensure_ascii=False),
            },
        ]


def _data(status: str, said: str) -> str:
    """A tool result as the model sees it: quoted data, never free text that reads as a prompt."""
    return json.dumps({"status": status, "data": said}, ensure_ascii=False)


def _loads(text: str) -> object:
    try:
        return json.loads(text) if text.strip() else {}
    except ValueError:
        return None


def _say(text: str) -> str:
    try:
        raw = json.loads(text)
    except ValueError:
        return ""
    return str(raw.get("say", "")) if isinstance(raw, dict) else ""


def _add(calls: list[ToolCall], call: ToolCall) -> None:
    if all(c.name != call.name or dict(c.args) != dict(call.args) for c in calls):
        calls.append(call)
