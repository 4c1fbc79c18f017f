"""The assistant in one cabin: it hears occupants, acts on the car through the safety gate, and
sees the world change (sensor updates, time passing)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import replace

from codriver.assistant.cockpit import CockpitState
from codriver.assistant.executor import Caller, Executor
from codriver.assistant.inputs import clean_seconds, clean_utterance
from codriver.assistant.pending import (
    Pending,
    answer_after_brain,
    answer_before_brain,
    asks_again,
    pending_after,
    yes_and_nothing_else,
)
from codriver.assistant.plan import Brain, Exchange, Plan, ToolCall, TurnContext, Utterance
from codriver.assistant.reactions import Reactor
from codriver.assistant.reply import compose, outcome_of, phrase
from codriver.assistant.result import ActionResult, TraceEntry, TurnResult
from codriver.errors import InputError
from codriver.safety.policy import COCKPIT, SafetyPolicy
from codriver.text import Bilingual, Lang, detect_lang
from codriver.tools import default_toolbox
from codriver.tools.base import ToolBox
from codriver.vehicle.bus import SignalChange, VehicleBus
from codriver.vehicle.catalog import Rejection, Value
from codriver.vehicle.clock import SimClock
from codriver.vehicle.seats import Seat, parse_seat
from codriver.vehicle.simulator import SimulatedCar

HISTORY_TURNS = 20

Accept = Callable[[Plan, TurnContext], bool]
"""Judges a turn's plan before anything is done (see :meth:`Assistant.say`)."""


class Assistant:
    """One cabin's assistant: a brain, the tools, the safety gate, the car and the cockpit state."""

    def __init__(
        self,
        *,
        bus: VehicleBus | None = None,
        brain: Brain | None = None,
        tools: ToolBox | None = None,
        policy: SafetyPolicy | None = None,
        clock: SimClock | None = None,
    ) -> None:
        self.bus: VehicleBus = bus if bus is not None else SimulatedCar(clock=clock)
        self.clock = clock or getattr(self.bus, "clock", None) or SimClock()
        self.tools = tools or default_toolbox()
        self.policy = policy or SafetyPolicy(self.bus.catalog)
        self.brain: Brain = brain or _default_brain()
        self.cockpit = CockpitState(self.clock.now)
        self.executor = Executor(self.tools, self.policy, self.bus, self.cockpit)
        from codriver.automation import Automations
        from codriver.care import CareMonitor

        self.automations = Automations(self.clock, self.cockpit)
        self.executor.automations = self.automations
        from codriver.services import Services

        self.services = Services.offline()
        self.executor.services = self.services
        self.care = CareMonitor()
        self.reactor = Reactor(self.executor, self.automations, self.care)
        from codriver.agents import Orchestrator

        self.orchestrator = Orchestrator(self.executor, self.tools)
        self._trace: list[TraceEntry] = []
        self.history: list[Exchange] = []
        self._pending: Pending | None = None
        self._primed = False

    # -- occupants speak -------------------------------------------------------------------

    async def say(
        self,
        text: str,
        *,
        seat: Seat | str = "driver",
        gaze: str | None = None,
        accept: Accept | None = None,
    ) -> TurnResult:
        """Handle one utterance. Bad input raises :class:`InputError` and changes nothing.

        ``accept``, when given, judges what the brain made of the utterance before anything is
        done (the voice loop's follow-up window asks whether it was said to the car): a plan it
        turns down leaves no trace — nothing done, said or remembered — and the outcome is
        ``none``."""
        started = time.perf_counter()
        clean = clean_utterance(text)
        speaker = parse_seat(seat) if isinstance(seat, str) else seat
        if gaze is not None and not self._known_branch(gaze):
            raise InputError(f"gaze target {gaze!r} is no VSS signal or branch of this car")
        utterance = Utterance(clean, detect_lang(clean), speaker, gaze)
        state = await self.executor.state()
        pending = self._pending
        caller = Caller(speaker, utterance.lang, gaze)
        context = TurnContext(
            state=state,
            history=tuple(self.history),
            tools=self.tools,
            pending_question=_question(pending),
            dry_run=lambda call: self.executor.dry_run(call, caller),
        )
        kept = _recollection(self.brain)
        plan = await self._plan(utterance, context, pending)
        if accept is not None and not accept(plan, context):
            _recall(self.brain, kept)
            return self._result(Plan("silent"), [], utterance.lang, started)
        self._trace.extend(plan.notes)
        caller = replace(caller, source=plan.source, grants=plan.grants, tainted=plan.tainted)
        if plan.sentence == "question":
            plan = await self._answers_only(plan, caller)
        actions = await self._carry_out(plan, caller, pending)
        result = self._result(plan, actions, utterance.lang, started)
        self.executor.journal.record(result.changes)
        self.history = [*self.history, Exchange(utterance, plan, result.outcome, result.changes)][
            -HISTORY_TURNS:
        ]
        return result

    async def _plan(
        self, utterance: Utterance, context: TurnContext, pending: Pending | None
    ) -> Plan:
        """What the brain makes of the utterance, a pending question's answer taken first."""
        clean = utterance.text
        plan = answer_before_brain(clean, pending) if pending is not None else None
        vet = getattr(self.brain, "vet", None)  # a brain that speaks for someone outside the
        if plan is not None and vet is not None:  # cabin judges the answers taken for it too
            plan = vet(plan, context)
        if plan is None:
            plan = await self.brain.plan(utterance, context)
            if pending is not None:
                plan = answer_after_brain(clean, plan, pending)
                plan = await yes_and_nothing_else(clean, plan, pending, self._plan_alone(context))
        return plan

    async def propose(self, plan: Plan, *, seat: Seat | str = "driver") -> TurnResult:
        """A plan that came from no words — a gesture the cabin camera saw — taken the way a
        spoken turn's is: ``confirm`` answers the pending question as a yes would (and does
        nothing when none is pending); ``act`` runs its calls through the orchestrator and the
        safety gate, leaving a pending question pending unless the calls ask one of their own.
        A yes to a choice ("which one?") picks nothing: the question is asked again."""
        started = time.perf_counter()
        await self._prime()
        speaker = parse_seat(seat) if isinstance(seat, str) else seat
        pending = self._pending
        lang = pending.caller.lang if pending is not None else await self._language()
        caller = Caller(speaker, lang, source=plan.source)
        if plan.kind == "act":
            actions = await self._run(plan.calls, caller)
            self._pending = pending_after(plan, actions, caller) or pending
        elif pending is not None and pending.choices:  # a yes picks no option: asked again
            actions = await self._carry_out(answer_after_brain("", plan, pending), caller, pending)
        else:
            actions = await self._carry_out(plan, caller, pending)
        result = self._result(plan, actions, lang, started)
        self.executor.journal.record(result.changes)
        return result

    def _plan_alone(self, context: TurnContext) -> Callable[[str], Awaitable[Plan]]:
        """How the brain reads part of an utterance on its own: nothing pending, nothing said
        before it ("again" or "close it" alone name nothing)."""
        alone = replace(context, pending_question=None, history=())

        async def plan(text: str) -> Plan:
            return await self.brain.plan(Utterance(text, detect_lang(text)), alone)

        return plan

    async def _carry_out(
        self, plan: Plan, caller: Caller, pending: Pending | None
    ) -> list[ActionResult]:
        self._pending = None
        if plan.kind == "confirm" and pending is not None:
            actions = await self._run(pending.calls, pending.caller, confirmed=pending.confirmed)
        elif asks_again(plan):
            self._pending = pending  # asked again: still waiting for the same answer
            return []
        elif plan.kind == "act":
            actions = await self._run(plan.calls, caller)
        else:
            actions = []
        self._pending = pending_after(plan, actions, caller) or self._pending
        return actions

    async def _answers_only(self, plan: Plan, caller: Caller) -> Plan:
        """A question is answered, never acted on: whatever brain planned it, a call that would
        change anything (tried first, changing nothing) is dropped, and the reply says so."""
        kept = []
        for call in plan.calls:
            tried = await self.executor.dry_run(call, caller)
            if (
                tried.status in ("answered", "failed")
                or (tried.status == "asked" and tried.choices)
                or tried.look_up
            ):
                kept.append(call)
        if len(kept) == len(plan.calls):
            return plan
        say = plan.say or (None if kept else phrase("question_not_acted"))
        return replace(plan, calls=tuple(kept), say=say)

    async def _run(
        self, calls: tuple[ToolCall, ...], caller: Caller, *, confirmed: bool = False
    ) -> list[ActionResult]:
        """Carry the calls out through the orchestrator's agents, keeping the trace."""
        actions, trace = await self.orchestrator.run(calls, caller, confirmed=confirmed)
        self._trace.extend(trace)
        return actions

    def _result(
        self, plan: Plan, actions: list[ActionResult], lang: Lang, started: float
    ) -> TurnResult:
        if plan.kind == "decline" and not actions:
            plan = Plan("decline", say=phrase("cancelled"))
        elif plan.kind in ("confirm", "decline") and not actions:
            plan = Plan("answer", say=phrase("nothing_pending"))
        changes = tuple(c for a in actions for c in a.changes)
        trace, self._trace = tuple(self._trace), []
        return TurnResult(
            outcome=outcome_of(plan, actions),
            reply=compose(plan, actions, lang),
            lang=lang,
            actions=tuple(actions),
            changes=changes,
            latency_ms=(time.perf_counter() - started) * 1000.0,
            trace=trace,
        )

    # -- the world changes -----------------------------------------------------------------

    async def preset(self, values: Mapping[str, Value | None]) -> None:
        """Set the starting state (a scenario's ``given``) before anything happens; no reactions."""
        await self._apply_world(values)
        await self._prime()

    async def feed(self, values: Mapping[str, Value | None]) -> TurnResult:
        """Sensor readings arrive (rain starts, the car speeds up); bad values raise InputError.
        Rules that the change sets off run, and care may speak or offer help."""
        started = time.perf_counter()
        await self._prime()
        changes = await self._apply_world(values)
        return await self._react(changes, started)

    async def _apply_world(self, values: Mapping[str, Value | None]) -> tuple[SignalChange, ...]:
        vehicle = {p: v for p, v in values.items() if not p.startswith(COCKPIT)}
        cockpit = {p: v for p, v in values.items() if p.startswith(COCKPIT) and v is not None}
        if any(p.startswith(COCKPIT) and v is None for p, v in values.items()):
            raise InputError("the assistant's own state (Cockpit.) is always known: give a value")
        for path, value in vehicle.items():
            if value is None and path in self.bus.catalog:
                continue  # a sensor lost: the signal is unknown from now on
            checked = self.bus.catalog.validate(path, value)
            if isinstance(checked, Rejection):
                raise InputError(checked.message)
        for path, value in cockpit.items():  # all checked before anything changes
            problem = self.cockpit.check(path, value)
            if problem is not None:
                raise InputError(problem.message)
        results = await self.bus.feed(vehicle)
        problems = self.cockpit.load(cockpit)
        if problems:
            raise InputError("; ".join(p.message for p in problems))
        return tuple(c for r in results if not isinstance(r, Rejection) for c in r.changes)

    async def advance(self, seconds: float) -> TurnResult:
        """Let simulated time pass; timers, rules and care fire as it does."""
        seconds = clean_seconds(seconds)
        started = time.perf_counter()
        await self._prime()
        changes: list[SignalChange] = []
        ours: list[SignalChange] = []  # the assistant's own lists, as timers and reminders end
        subscription = self.bus.subscribe(changes.append)
        unsubscribe = self.cockpit.subscribe(ours.append)
        try:
            await self.clock.advance(seconds)
        finally:
            subscription.cancel()
        try:
            result = await self._react(tuple(changes), started)
        finally:
            unsubscribe()
        listed = {id(c) for c in result.changes}
        return replace(
            result, changes=result.changes + tuple(c for c in ours if id(c) not in listed)
        )

    async def _prime(self) -> None:
        """The state before the first world change is known: nothing in it is news to care."""
        if not self._primed:
            self.care.prime(await self.executor.state())
            self._primed = True

    async def _react(self, changes: tuple[SignalChange, ...], started: float) -> TurnResult:
        lang = await self._language()
        reaction = await self.reactor.react(self.clock.now(), lang)
        if reaction.offer:
            caller = Caller("driver", lang, source="care")
            self._pending = Pending(reaction.offer, caller, reaction.question, confirmed=False)
        say = None
        if reaction.says:
            sep = "" if lang == "zh" else " "
            say = Bilingual(
                " ".join(s.en for s in reaction.says), sep.join(s.zh for s in reaction.says)
            )
        kind = "ask" if reaction.offer else "answer" if say else "silent"
        plan = Plan(kind, say=say)  # type: ignore[arg-type]
        actions = reaction.actions
        result = self._result(plan, actions, lang, started)
        every = changes + tuple(c for a in actions for c in a.changes)
        return replace(result, changes=every)

    async def _language(self) -> Lang:
        """The language to speak unprompted: the occupants' last, else the car's own setting."""
        if self.history:
            return self.history[-1].utterance.lang
        shown = await self.bus.get("Vehicle.Cabin.Infotainment.HMI.CurrentLanguage")
        return "zh" if isinstance(shown, str) and shown.lower().startswith("zh") else "en"

    # -- reading ---------------------------------------------------------------------------

    @property
    def question(self) -> Bilingual | None:
        """What the assistant is waiting for an answer to — a confirmation, a choice, a proactive
        offer — or None. The next utterance answers it."""
        return _question(self._pending)

    async def read(self, path: str) -> Value | None:
        """A VSS signal or a ``Cockpit.`` path; unknown paths raise CatalogError."""
        if path.startswith(COCKPIT):
            return self.cockpit.value(path)
        if path not in self.bus.catalog:
            self.bus.catalog.spec(path)
        return await self.bus.get(path)

    async def snapshot(self, prefixes: Iterable[str] = ()) -> dict[str, Value | None]:
        """Current values under the prefixes (VSS and ``Cockpit.``), all when none given."""
        wanted = tuple(prefixes)
        cockpit = [p for p in wanted if p.startswith(COCKPIT) or p == COCKPIT.rstrip(".")]
        vehicle = [p for p in wanted if p not in cockpit]
        values: dict[str, Value | None] = {}
        if vehicle or not wanted:
            values.update(await self.bus.snapshot(vehicle))
        if cockpit or not wanted:
            values.update(self.cockpit.values(cockpit))
        return values

    def _known_branch(self, path: str) -> bool:
        return bool(self.bus.catalog.under(path))


def _question(pending: Pending | None) -> Bilingual | None:
    return None if pending is None else pending.question


def _recollection(brain: Brain) -> object:
    """What a brain remembers between turns, if it remembers anything (``recollection()``)."""
    kept = getattr(brain, "recollection", None)
    return kept() if kept is not None else None


def _recall(brain: Brain, kept: object) -> None:
    """Put a brain's memory back as :func:`_recollection` found it."""
    recall = getattr(brain, "recall", None)
    if recall is not None and kept is not None:
        recall(kept)


def _default_brain() -> Brain:
    from codriver.understanding import default_brain

    return default_brain()
