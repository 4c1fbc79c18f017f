"""What a fuzz session is made of: the car's state at the start and the steps that follow (an
occupant or a third party speaks, a third party calls a tool, the world changes, time passes).

Steps are plain values so that a session can be generated from a seed, replayed, shrunk and
written out as a reproducer in the shape of a drive scenario (``say``/``set``/``wait``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from codriver.testing.fuzz_phrases import Effect
from codriver.vehicle.catalog import Value

SayBrain = Literal["engine", "llm", "plan", "remote"]
"""Who plans a ``say`` turn: the on-device engine (an occupant speaks), the LLM brain on a
scripted model, a plan an LLM proposes (as ``codriver.testing.ScriptedBrain`` gives it), or the
engine behind the car's MCP server for a remote client."""

CallSource = Literal["llm", "remote", "plugin"]
Proposer = Literal["occupant", "llm", "remote", "plugin", "automation"]
"""Who proposed what a turn changed; ``automation`` is a rule, timer or care acting on its own."""

_SAY_PROPOSER: Mapping[SayBrain, Proposer] = {
    "engine": "occupant",
    "llm": "llm",
    "plan": "llm",
    "remote": "remote",
}


@dataclass(frozen=True, slots=True)
class Start:
    """The car before the first step: values given, and signals not yet reported (unknown)."""

    given: tuple[tuple[str, Value], ...] = ()
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ModelReply:
    """One answer of the scripted chat model: text and tool calls (arguments as JSON text)."""

    text: str = ""
    calls: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class PlanSpec:
    """A plan as an LLM brain hands it over: ``act``, ``answer`` with an offer, ``confirm``."""

    kind: Literal["act", "answer", "confirm", "decline"]
    calls: tuple[tuple[str, str], ...] = ()
    say: str = ""
    offer: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Say:
    """Someone speaks. ``forbid``: effects that must not happen in this turn (the request was
    negated or put off: ``forbid_kind`` is ``negated`` or ``deferred``)."""

    text: str
    seat: str = "driver"
    gaze: str | None = None
    brain: SayBrain = "engine"
    model: tuple[ModelReply, ...] = ()
    plan: PlanSpec | None = None
    grants: tuple[str, ...] = ()
    forbid: tuple[Effect, ...] = ()
    forbid_kind: str = ""

    @property
    def proposer(self) -> Proposer:
        return _SAY_PROPOSER[self.brain]


@dataclass(frozen=True, slots=True)
class Call:
    """A third party calls one tool directly (arguments as JSON text)."""

    tool: str
    args: str
    source: CallSource
    grants: tuple[str, ...] = ()

    @property
    def proposer(self) -> Proposer:
        return self.source


@dataclass(frozen=True, slots=True)
class Feed:
    """The world changes: sensor readings arrive."""

    values: tuple[tuple[str, Value], ...]

    @property
    def proposer(self) -> Proposer:
        return "automation"


@dataclass(frozen=True, slots=True)
class Wait:
    """Simulated time passes."""

    seconds: float

    @property
    def proposer(self) -> Proposer:
        return "automation"


Step = Say | Call | Feed | Wait


@dataclass(frozen=True, slots=True)
class Session:
    """One generated session: ``seed`` and ``index`` regenerate it exactly."""

    seed: int
    index: int
    start: Start
    steps: tuple[Step, ...]


# -- as data ------------------------------------------------------------------------------


def step_to_json(step: Step) -> dict[str, Any]:
    """A step in the shape of a scenario turn (``say``/``set``/``wait``), or a ``call``."""
    if isinstance(step, Feed):
        return {"set": dict(step.values)}
    if isinstance(step, Wait):
        return {"wait": step.seconds}
    if isinstance(step, Call):
        out: dict[str, Any] = {"call": step.tool, "args": _args(step.args), "source": step.source}
        if step.grants:
            out["grants"] = list(step.grants)
        return out
    said: dict[str, Any] = {"say": step.text}
    if step.seat != "driver":
        said["from"] = step.seat
    if step.gaze:
        said["gaze"] = step.gaze
    if step.brain != "engine":
        said["brain"] = step.brain
    if step.model:
        said["model"] = [{"text": r.text, "calls": [list(c) for c in r.calls]} for r in step.model]
    if step.plan is not None:
        said["plan"] = {
            "kind": step.plan.kind,
            "calls": [list(c) for c in step.plan.calls],
            "say": step.plan.say,
            "offer": [list(c) for c in step.plan.offer],
        }
    if step.grants:
        said["grants"] = list(step.grants)
    if step.forbid:
        said["forbid"] = {step.forbid_kind: {e.glob: e.value for e in step.forbid}}
    return said


def step_from_json(raw: Mapping[str, Any]) -> Step:
    """The inverse of :func:`step_to_json`."""
    if "set" in raw:
        return Feed(tuple(raw["set"].items()))
    if "wait" in raw:
        return Wait(float(raw["wait"]))
    if "call" in raw:
        args = json.dumps(raw.get("args", {}), ensure_ascii=False)
        return Call(raw["call"], args, raw["source"], tuple(raw.get("grants", ())))
    plan = raw.get("plan")
    forbid = raw.get("forbid") or {}
    kind, effects = next(iter(forbid.items())) if forbid else ("", {})
    return Say(
        text=raw["say"],
        seat=raw.get("from", "driver"),
        gaze=raw.get("gaze"),
        brain=raw.get("brain", "engine"),
        model=tuple(
            ModelReply(r["text"], tuple((c[0], c[1]) for c in r["calls"]))
            for r in raw.get("model", ())
        ),
        plan=None
        if plan is None
        else PlanSpec(
            plan["kind"],
            tuple((c[0], c[1]) for c in plan["calls"]),
            plan["say"],
            tuple((c[0], c[1]) for c in plan["offer"]),
        ),
        grants=tuple(raw.get("grants", ())),
        forbid=tuple(Effect(g, v) for g, v in effects.items()),
        forbid_kind=kind,
    )


def start_to_json(start: Start) -> dict[str, Any]:
    return {"given": dict(start.given), "unknown": list(start.unknown)}


def start_from_json(raw: Mapping[str, Any]) -> Start:
    return Start(tuple(raw.get("given", {}).items()), tuple(raw.get("unknown", ())))


def _args(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text
