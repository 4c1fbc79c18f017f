"""Playing a fuzz session on a real :class:`~codriver.assistant.session.Assistant` on the simulated
car, and recording each turn as the invariants need it: the state before and after, what the
turn reported, its outcome, the question pending before it, and its wall time.

Third parties reach the assistant the ways they do in use: an LLM brain (the real one, on a
scripted in-process chat model), a plan an LLM proposes, the car's MCP server's turn for a remote
client (its grants, the ``remote`` source), and tool calls through the orchestrator and executor
as a remote client, an LLM or a plugin.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from codriver.assistant.executor import Caller
from codriver.assistant.plan import Plan, ToolCall, TurnContext, Utterance
from codriver.assistant.result import TurnResult
from codriver.assistant.session import Assistant
from codriver.errors import InputError
from codriver.llm.backend import Completion, Message, ModelCall
from codriver.mcp.grants import ClientGrant
from codriver.safety.policy import SafetyPolicy
from codriver.testing import ScriptedBrain
from codriver.testing.fuzz_phrases import is_yes
from codriver.testing.fuzz_steps import Call, Feed, PlanSpec, Say, Start, Step, Wait
from codriver.text import Bilingual
from codriver.tools import default_toolbox
from codriver.tools.base import ToolBox
from codriver.understanding import LocalBrain
from codriver.vehicle.bus import SignalChange
from codriver.vehicle.catalog import Value
from codriver.vehicle.profile import VehicleProfile
from codriver.vehicle.simulator import SimulatedCar

State = Mapping[str, Value | None]


@dataclass(frozen=True, slots=True)
class Shared:
    """What every session may share because nothing in it changes: the car's profile, the
    safety policy and the tools."""

    profile: VehicleProfile
    policy: SafetyPolicy
    tools: ToolBox


@cache
def shared() -> Shared:
    profile = VehicleProfile.load()
    with suppress(ImportError):  # a remote client's turn needs the [mcp] extra
        import codriver.mcp.car  # noqa: F401  (imported here, not inside a timed turn)
    return Shared(profile, SafetyPolicy(profile.catalog), default_toolbox())


@dataclass(frozen=True, slots=True)
class Turn:
    """One played step, as the invariants judge it."""

    step: Step
    before: State
    after: State
    reported: tuple[SignalChange, ...] = ()
    outcome: str = ""
    """The turn's outcome; ``input-error`` when refused as input, ``crash`` on any other
    exception; for a tool call, the outcome its actions add up to."""
    actions: tuple[tuple[str, tuple[SignalChange, ...]], ...] = ()
    """Each action's status and changes."""
    question: str = ""
    """The question pending before the turn, both languages."""
    who: str = ""
    """Whose proposal the turn carried out: the step's proposer, or, when an occupant says a
    clear yes to a question a third party (or care) left pending, ``llm-offer``
    (``remote-offer``, ``automation-offer``)."""
    seconds: float = 0.0
    error: str = ""
    reply: str = ""


class ScriptModel:
    """A chat model that answers with the current step's scripted replies, in order, then
    with an empty answer: the LLM brain's real loop, parsing and dry runs run on it."""

    name = "fuzz-model"

    def __init__(self) -> None:
        self.script: list[Any] = []

    async def complete(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[Mapping[str, Any]] = (),
        response_format: Mapping[str, Any] | None = None,
        on_text: Any = None,
    ) -> Completion:
        if not self.script:
            return Completion("", (), 0.0)
        reply = self.script.pop(0)
        calls = tuple(ModelCall(f"call_{i}", n, a) for i, (n, a) in enumerate(reply.calls))
        return Completion(reply.text, calls, 0.0)


class StepBrain:
    """The brain of a fuzz session: for each ``say`` step, the one the step names."""

    def __init__(self, tools: ToolBox) -> None:
        from codriver.llm.brain import LLMBrain
        from codriver.llm.settings import LLMSettings

        self.engine = LocalBrain()
        self.model = ScriptModel()
        settings = LLMSettings(base_url="http://fuzz.invalid/v1", model="fuzz-model")
        self.llm = LLMBrain(self.model, tools, settings)
        self.step: Say | None = None

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan:
        step = self.step
        if step is None or step.brain == "engine":
            return await self.engine.plan(utterance, context)
        if step.brain == "llm":
            self.model.script = list(step.model)
            return await self.llm.plan(utterance, context)
        if step.brain == "plan" and step.plan is not None:
            return await ScriptedBrain([_plan(step.plan)]).plan(utterance, context)
        return await self._remote(step, utterance, context)

    def vet(self, plan: Plan, context: TurnContext) -> Plan:
        """The session's own answers in a remote client's turn are vetted as the client's."""
        step = self.step
        if step is None or step.brain != "remote":
            return plan
        try:
            from codriver.mcp.car import CURRENT, RemoteBrain
        except ImportError:
            return Plan("silent", source="remote")
        token = CURRENT.set(ClientGrant(name="fuzz", grants=frozenset(step.grants)))  # type: ignore[arg-type]
        try:
            return RemoteBrain(self.engine).vet(plan, context)
        finally:
            CURRENT.reset(token)

    async def _remote(self, step: Say, utterance: Utterance, context: TurnContext) -> Plan:
        try:
            from codriver.mcp.car import CURRENT, RemoteBrain
        except ImportError:  # without the [mcp] extra there is no remote turn to play
            return Plan("silent", source="remote")

        client = ClientGrant(name="fuzz", grants=frozenset(step.grants))  # type: ignore[arg-type]
        token = CURRENT.set(client)
        try:
            return await RemoteBrain(self.engine).plan(utterance, context)
        finally:
            CURRENT.reset(token)


def _plan(spec: PlanSpec) -> Plan:
    calls = tuple(ToolCall(n, _object(a)) for n, a in spec.calls)
    offer = tuple(ToolCall(n, _object(a)) for n, a in spec.offer)
    say = Bilingual(spec.say, spec.say) if spec.say else None
    return Plan(spec.kind, calls, say, offer=offer, source="llm")


def _object(text: str) -> dict[str, object]:
    try:
        loaded = json.loads(text)
    except ValueError:
        return {"arguments": text}
    return loaded if isinstance(loaded, dict) else {"arguments": loaded}


@dataclass
class Drive:
    """One session's assistant, car and brain."""

    assistant: Assistant
    brain: StepBrain
    turns: list[Turn] = field(default_factory=list)
    asker: str = ""
    """Who left the pending question (empty when none is pending)."""

    @classmethod
    async def begin(cls, start: Start) -> Drive:
        common = shared()
        profile = common.profile
        if start.unknown:
            kept = {p: v for p, v in profile.defaults.items() if p not in start.unknown}
            profile = replace(profile, defaults=kept)
        car = SimulatedCar(profile=profile)
        brain = StepBrain(common.tools)
        assistant = Assistant(
            bus=car, brain=brain, tools=common.tools, policy=common.policy, clock=car.clock
        )
        await assistant.preset(dict(start.given))
        return cls(assistant, brain)

    async def play(self, step: Step) -> Turn:
        """Play one step; an exception other than :class:`InputError` is recorded, not raised."""
        assistant = self.assistant
        # nothing touches the car between turns: the state after the last one is the state now
        before = self.turns[-1].after if self.turns else await assistant.snapshot()
        asked = assistant.question
        question = f"{asked.en} {asked.zh}" if asked is not None else ""
        started = time.perf_counter()
        try:
            turn = await self._play(step, before, question)
        except InputError as exc:
            turn = Turn(step, before, before, outcome="input-error", error=str(exc))
        except Exception as exc:  # any other exception is what the harness looks for
            turn = Turn(step, before, before, outcome="crash", error=_trace(exc))
        seconds = time.perf_counter() - started
        after = await assistant.snapshot()
        who: str = step.proposer
        yes = isinstance(step, Say) and is_yes(step.text)
        if who == "occupant" and yes and asked is not None and self.asker not in ("", "occupant"):
            who = f"{self.asker.removesuffix('-offer')}-offer"
        turn = replace(turn, after=after, seconds=seconds, question=question, who=who)
        self.asker = who if assistant.question is not None else ""
        self.turns.append(turn)
        return turn

    async def _play(self, step: Step, before: State, question: str) -> Turn:
        assistant = self.assistant
        if isinstance(step, Call):
            return await self._call(step, before)
        result: TurnResult
        if isinstance(step, Say):
            self.brain.step = step
            result = await assistant.say(step.text, seat=step.seat, gaze=step.gaze)
        elif isinstance(step, Feed):
            result = await assistant.feed(dict(step.values))
        else:
            assert isinstance(step, Wait)
            result = await assistant.advance(step.seconds)
        actions = tuple((a.status, a.changes) for a in result.actions)
        return Turn(
            step, before, before, result.changes, result.outcome, actions, reply=result.reply
        )

    async def _call(self, step: Call, before: State) -> Turn:
        assistant = self.assistant
        tool = assistant.tools.get(step.tool)
        if step.source == "remote":
            client = ClientGrant(name="fuzz", grants=frozenset(step.grants))  # type: ignore[arg-type]
            if tool is None or tool.remote is not None or not client.allows(tool.domain):
                return Turn(step, before, before, outcome="refused")
        scopes = frozenset(step.grants) if step.source == "remote" else frozenset()
        grants = scopes if step.source == "remote" else None  # as the car's MCP server calls
        caller = Caller("driver", "en", source=step.source, scopes=scopes, grants=grants)
        call = ToolCall(step.tool, _object(step.args))
        results, _ = await assistant.orchestrator.run([call], caller)
        actions = tuple((a.status, a.changes) for a in results)
        changes = tuple(c for _, done in actions for c in done)
        statuses = {status for status, _ in actions}
        outcome = "done" if "done" in statuses else "answered" if statuses else "none"
        if statuses & {"refused", "failed", "asked"} and "done" not in statuses:
            outcome = "refused"
        return Turn(step, before, before, changes, outcome, actions)


def _trace(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-8))
