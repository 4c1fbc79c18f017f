"""Runs tool calls: validate the arguments, let the tool propose its effect, pass the safety gate,
then write to the car and the cockpit state. Every call ends as an :class:`ActionResult` value.

A third-party tool (served by an MCP server) is judged before it is called, because the call is
its side effect: the gate sees an action with no writes from the ``plugin`` source with the tool's
scopes, and only when it allows is the service called; its answer comes back as data to speak.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from codriver.assistant.cockpit import CockpitState
from codriver.assistant.journal import UndoJournal
from codriver.assistant.plan import ToolCall
from codriver.assistant.reply import phrase
from codriver.assistant.result import ActionResult, ActionStatus
from codriver.assistant.shortfall import Shortfall
from codriver.safety.action import ProposedAction, Source, Verdict, Write
from codriver.safety.policy import COCKPIT, SafetyPolicy
from codriver.text import Bilingual, Lang
from codriver.tools.base import (
    ArgumentProblem,
    Consult,
    Effect,
    Tool,
    ToolBox,
    ToolContext,
    Trial,
)
from codriver.vehicle.bus import SignalChange, VehicleBus
from codriver.vehicle.catalog import Rejection, Value
from codriver.vehicle.couplings import consequences
from codriver.vehicle.seats import Seat

_UNKNOWN_TOOL = Bilingual("I don't have a way to do that.", "我暂时做不到这个。")


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is behind the calls: the seat that spoke, the proposer, a third party's scopes."""

    speaker: Seat = "driver"
    lang: Lang = "en"
    gaze: str | None = None
    source: Source = "engine"
    scopes: frozenset[str] = frozenset()
    grants: frozenset[str] | None = None
    """An outside agent's grants (a remote MCP client's); None for an occupant."""
    automation: str | None = None
    """The rule whose actions these are, carried out for its creator; None in a live turn."""
    tainted: bool = False
    """What the proposer read (a third party's answer) may have steered it."""


class Executor:
    """Executes calls one after another, each seeing the state the previous ones left."""

    def __init__(
        self, tools: ToolBox, policy: SafetyPolicy, bus: VehicleBus, cockpit: CockpitState
    ) -> None:
        self.tools = tools
        self.policy = policy
        self.bus = bus
        self.cockpit = cockpit
        self.automations: object | None = None
        self.services: object | None = None
        self.journal = UndoJournal()

    async def state(self) -> dict[str, Value | None]:
        """The car's signals and the cockpit state in one mapping."""
        state: dict[str, Value | None] = dict(await self.bus.snapshot())
        state.update(self.cockpit.values())
        return state

    async def run(
        self,
        calls: Sequence[ToolCall],
        caller: Caller,
        *,
        confirmed: bool = False,
        consult: Consult | None = None,
    ) -> list[ActionResult]:
        state = await self.state()
        results = []
        for call in calls:
            result = await self._one(call, caller, state, confirmed, consult)
            for change in result.changes:
                state[change.path] = change.new
            results.append(result)
        return results

    async def dry_run(self, call: ToolCall, caller: Caller) -> ActionResult:
        """What ``call`` would do now, changing nothing: a look-up's answer, or the gate's
        verdict on an action (``done`` here means it would be allowed). A third-party tool is
        called only when it is a read-only look-up the gate allows."""
        state = await self.state()
        tool = self.tools.get(call.name)
        if tool is not None and tool.remote is not None:
            return await self._remote(tool, call, caller, state, False, call_it=tool.read_only)
        judged = self._judge(call, caller, state, confirmed=False, consult=None)
        if isinstance(judged, ActionResult):
            return judged
        effect, verdict = judged
        return ActionResult(call, "done", effect.done or effect.answer, verdict)

    async def _one(
        self,
        call: ToolCall,
        caller: Caller,
        state: dict[str, Value | None],
        confirmed: bool,
        consult: Consult | None,
    ) -> ActionResult:
        tool = self.tools.get(call.name)
        if tool is not None and tool.remote is not None:
            return await self._remote(tool, call, caller, state, confirmed, call_it=True)
        judged = self._judge(call, caller, state, confirmed, consult)
        if isinstance(judged, ActionResult):
            return judged
        effect, verdict = judged
        changes, shortfall = await self._carry(effect)
        if shortfall is not None:
            return ActionResult(call, "failed", shortfall.message(), verdict, tuple(changes))
        return ActionResult(call, "done", effect.done or effect.answer, verdict, tuple(changes))

    def _judge(
        self,
        call: ToolCall,
        caller: Caller,
        state: dict[str, Value | None],
        confirmed: bool,
        consult: Consult | None,
    ) -> ActionResult | tuple[Effect, Verdict]:
        """Validate the call, let the tool propose its effect and ask the safety gate: a final
        result (failed, answered, refused, asked), or the effect the gate allows."""
        tool = self.tools.get(call.name)
        if tool is None:
            return ActionResult(call, "failed", _UNKNOWN_TOOL)
        args = tool.validate(call.args)
        if isinstance(args, ArgumentProblem):
            return ActionResult(call, "failed", Bilingual(args.message, args.message))
        effect = tool.run(self._context(caller, state, consult), args)
        if effect.failed is not None:
            return ActionResult(call, "failed", effect.failed)
        if effect.refused is not None:
            return ActionResult(call, "refused", effect.refused.reason, effect.refused)
        if effect.choices:
            return ActionResult(call, "asked", effect.answer, choices=effect.choices)
        action = _action(tool, args, effect, caller, state, confirmed)
        verdict = self._gate(call, action, state)  # an answer too: a long reading is an effect
        if not effect.writes and effect.after is None:
            if isinstance(verdict, ActionResult):
                return replace(verdict, look_up=True)
            return ActionResult(call, "answered", effect.answer)
        if isinstance(verdict, ActionResult):
            if verdict.status == "asked" and effect.confirm is None:  # a tool's own question
                return replace(verdict, would=_would(effect, action))  # names its actions
            return verdict
        return effect, verdict

    def _context(
        self, caller: Caller, state: dict[str, Value | None], consult: Consult | None
    ) -> ToolContext:
        """What a tool may know and use for ``caller``'s call."""
        return ToolContext(
            state,
            caller.speaker,
            caller.lang,
            caller.gaze,
            self.bus.catalog,
            self.automations,
            self.services,
            consult,
            self.journal,
            caller=caller,
            trial=lambda nested, then: self.trial(nested, caller, {**state, **then}),
        )

    async def _remote(
        self,
        tool: Tool,
        call: ToolCall,
        caller: Caller,
        state: dict[str, Value | None],
        confirmed: bool,
        *,
        call_it: bool,
    ) -> ActionResult:
        """A third-party tool: the gate first (a plugin's action with the tool's scopes and no
        writes), then — when allowed and ``call_it`` — the call, whose answer is only data."""
        assert tool.remote is not None
        args = tool.validate(call.args)
        if isinstance(args, ArgumentProblem):
            return ActionResult(call, "failed", Bilingual(args.message, args.message))
        verdict = self._gate(call, _plugin_action(tool, args, caller, confirmed), state)
        if isinstance(verdict, ActionResult):
            return verdict
        if not call_it:
            return ActionResult(call, "done", None, verdict)
        effect = await tool.remote(args)
        if effect.failed is not None:
            return ActionResult(call, "failed", effect.failed, verdict)
        status: ActionStatus = "answered" if tool.read_only else "done"
        return ActionResult(call, status, effect.answer or effect.done, verdict)

    def trial(self, call: ToolCall, caller: Caller, state: Mapping[str, Value | None]) -> Trial:
        """How the gate judges ``call`` by ``caller`` in ``state``, nothing written and no service
        called: a rule's actions are judged so, as its creator's, when it is made."""
        tool = self.tools.get(call.name)
        if tool is not None and tool.remote is not None:
            args = tool.validate(call.args)
            if isinstance(args, ArgumentProblem):
                return Trial("failed", Bilingual(args.message, args.message))
            verdict = self.policy.check(_plugin_action(tool, args, caller, False), state)
            return Trial(verdict.decision, verdict.reason, verdict.rule, third_party=True)
        judged = self._judge(call, caller, dict(state), confirmed=False, consult=None)
        if isinstance(judged, tuple):
            effect, verdict = judged
            return Trial("allow", effect.done or effect.answer, verdict.rule, effect.writes)
        if judged.status in ("refused", "asked") and judged.verdict is not None:
            return Trial(judged.verdict.decision, judged.message, judged.verdict.rule)
        if judged.status == "answered":
            return Trial("allow", judged.message)
        return Trial("failed", judged.message)  # unknown tool, bad arguments, a choice to make

    def _gate(
        self, call: ToolCall, action: ProposedAction, state: dict[str, Value | None]
    ) -> ActionResult | Verdict:
        """The safety gate's verdict on an action: allowed (the verdict), or the call's end —
        refused with the reason to speak, or asked for the occupant's confirmation."""
        verdict = self.policy.check(action, state)
        if verdict.decision == "refuse":
            return ActionResult(call, "refused", verdict.reason, verdict)
        if verdict.decision == "confirm":
            return ActionResult(call, "asked", verdict.reason, verdict)
        return verdict

    async def _carry(self, effect: Effect) -> tuple[list[SignalChange], Shortfall | None]:
        """Make an allowed effect real: its writes to the car as one request, then the
        assistant's own, the readings it causes and its follow-up. What the car did not carry
        out stops the rest, and the shortfall says how much went through."""
        changes: list[SignalChange] = []
        car = [(w.path, w.value) for w in effect.writes if not w.path.startswith(COCKPIT)]
        results = await self.bus.set_many(car) if car else []
        for result in results:
            if not isinstance(result, Rejection):
                changes.extend(result.changes)
        failed = [r for r in results if isinstance(r, Rejection)]
        if failed:
            return changes, Shortfall(failed[0], len(results) - len(failed), len(results))
        for write in effect.writes:
            if write.path.startswith(COCKPIT):
                applied = self.cockpit.set(write.path, write.value)
                if isinstance(applied, Rejection):
                    return changes, Shortfall(applied, len(results), len(effect.writes))
                changes.extend(applied.changes)
        if effect.reports:
            for fed in await self.bus.feed(effect.reports):
                if not isinstance(fed, Rejection):
                    changes.extend(fed.changes)
        if effect.after is not None:
            unsubscribe = self.cockpit.subscribe(changes.append)
            try:
                effect.after()
            finally:
                unsubscribe()
        return changes, None


def _consequences(effect: Effect, state: dict[str, Value | None]) -> tuple[Write, ...]:
    """What follows from the effect's writes in the car, and the readings it reports."""
    car = [(w.path, w.value) for w in effect.writes if not w.path.startswith(COCKPIT)]
    follows = {**consequences(car, state), **effect.reports}
    return tuple(Write(path, value) for path, value in follows.items())


def _plugin_action(
    tool: Tool, args: Mapping[str, object], caller: Caller, confirmed: bool
) -> ProposedAction:
    """A third-party tool's call as the gate judges it: a plugin's action with the tool's scopes
    and no writes, with the outside agent's grants when one is behind it."""
    return ProposedAction(
        tool=tool.name,
        args=args,
        speaker=caller.speaker,
        source="plugin",
        scopes=tool.scopes,
        confirmed=confirmed,
        domain=tool.domain,
        grants=caller.grants,
        automation=caller.automation,
    )


def _would(effect: Effect, action: ProposedAction) -> Bilingual | None:
    """What a held action would do, to name in the question: what it says when done, and that
    it unlocks where the car unlocks what it opens."""
    unlocks = any(w.path.endswith(".IsLocked") and w.value is False for w in action.consequences)
    if effect.done is None or not unlocks:
        return effect.done
    return phrase("unlocks", done=effect.done)


def _action(
    tool: Tool,
    args: Mapping[str, object],
    effect: Effect,
    caller: Caller,
    state: dict[str, Value | None],
    confirmed: bool,
) -> ProposedAction:
    """A built-in tool's call as the gate judges it: its writes and their consequences, and who
    is behind it."""
    return ProposedAction(
        tool=tool.name,
        args=args,
        writes=effect.writes,
        speaker=caller.speaker,
        source=caller.source,
        scopes=caller.scopes,
        confirmed=confirmed,
        consequences=_consequences(effect, state),
        domain=tool.domain,
        grants=caller.grants,
        automation=caller.automation,
        question=effect.confirm,
    )
