"""What a brain turns an utterance into: a plan of tool calls, or a reply without action."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from codriver.assistant.trace import TraceEntry
from codriver.safety.action import Source
from codriver.text import Bilingual, Lang
from codriver.tools.base import ToolBox
from codriver.vehicle.bus import SignalChange
from codriver.vehicle.catalog import Value
from codriver.vehicle.seats import Seat

if TYPE_CHECKING:
    from codriver.assistant.result import ActionResult

PlanKind = Literal[
    "act", "answer", "refuse", "ask", "confirm", "decline", "not_understood", "silent"
]
"""``refuse``: a request turned down, with why ("I can't control the screen")."""
SentenceKind = Literal["question", "command", "need", "elsewhere", "chitchat", "nonsense"]


@dataclass(frozen=True, slots=True)
class ToolCall:
    """Call tool ``name`` with ``args`` (validated against the tool's schema before it runs)."""

    name: str
    args: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Plan:
    """The brain's answer to one utterance.

    ``act``: run ``calls``; ``answer``/``ask``: say ``say``; ``confirm``/``decline``: the occupant
    answered a pending question; ``not_understood``; ``silent``: nothing to do or say.
    """

    kind: PlanKind
    calls: tuple[ToolCall, ...] = ()
    say: Bilingual | None = None
    confidence: float = 1.0
    offer: tuple[ToolCall, ...] = ()
    """Calls to make if the occupant says yes to ``say`` (a suggestion, not yet an action)."""
    source: Source = "engine"
    """Who proposed the calls: the on-device engine or an LLM (the safety gate may treat them
    differently, and the trace says so)."""
    tainted: bool = False
    """The proposer read third-party or look-up text before proposing (an LLM after a look-up):
    what it makes — a rule, a reminder — keeps that, and is always asked about."""
    grants: frozenset[str] | None = None
    """The grants of the outside agent whose turn this is (a remote MCP client's ``say``): the
    gate holds its calls, and the rules they make, to them. None for an occupant's turn."""
    notes: tuple[TraceEntry, ...] = ()
    """How the brain got there (which brain answered, its confidence, model calls and their
    latency, look-ups it made), for the turn's trace."""
    sentence: SentenceKind | None = None
    """What kind of sentence the brain read the utterance as, where it tells: a ``question`` is
    answered from the state, and the assistant runs no call for it that would change anything."""


@dataclass(frozen=True, slots=True)
class Utterance:
    """What an occupant said, who said it and what they looked or pointed at."""

    text: str
    lang: Lang
    speaker: Seat = "driver"
    gaze: str | None = None


@dataclass(frozen=True, slots=True)
class Exchange:
    """One past turn of the dialogue: what was said and what was done."""

    utterance: Utterance
    plan: Plan
    outcome: str
    changes: tuple[SignalChange, ...] = ()


@dataclass(frozen=True, slots=True)
class TurnContext:
    """Everything a brain may consider: the state, the dialogue so far, the tools, a pending ask."""

    state: Mapping[str, Value | None]
    history: tuple[Exchange, ...]
    tools: ToolBox
    pending_question: Bilingual | None = None
    dry_run: Callable[[ToolCall], Awaitable[ActionResult]] | None = None
    """Try a call without changing anything: a look-up's answer (``answered``), or how the
    safety gate would judge an action (``done`` meaning allowed, ``refused``, ``asked``,
    ``failed`` for arguments that do not fit the tool)."""


class Brain(Protocol):
    """Understands an utterance: the on-device engine, an LLM, or both.

    A brain that plans for someone outside the cabin (the car's MCP server) also has
    ``vet(plan, context) -> Plan``: the session passes through it the answers it takes itself
    (a yes, an option picked), so that they are that someone's, within their rights."""

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan: ...
