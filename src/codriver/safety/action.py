"""What the safety gate judges: a proposed action and its verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from codriver.text import Bilingual
from codriver.vehicle.catalog import Value
from codriver.vehicle.seats import Seat

Source = Literal["engine", "llm", "plugin", "automation", "care", "remote"]
"""Who proposed the action: the on-device engine, an LLM, a third-party plugin (a service's tool,
e.g. over MCP), a rule, care, or a remote agent using the car as an MCP server (not an occupant)."""

Decision = Literal["allow", "refuse", "confirm"]


@dataclass(frozen=True, slots=True)
class Write:
    """Set ``path`` (a VSS signal or a ``Cockpit.`` path) to ``value``."""

    path: str
    value: Value


@dataclass(frozen=True, slots=True)
class ProposedAction:
    """A tool call with the writes it would make, what follows from them, and who asked for it.

    ``consequences`` are the changes the writes cause without being commands themselves: what
    the car does in turn (opening a locked door unlocks it) and the readings the tool reports
    (what the head unit then shows). The rules judge them as they judge the writes."""

    tool: str
    args: Mapping[str, object] = field(default_factory=dict)
    writes: tuple[Write, ...] = ()
    speaker: Seat = "driver"
    source: Source = "engine"
    scopes: frozenset[str] = frozenset()
    confirmed: bool = False
    consequences: tuple[Write, ...] = ()

    @property
    def effects(self) -> tuple[Write, ...]:
        """Everything that would change: the writes and their consequences."""
        return self.writes + self.consequences

    domain: str = ""
    """The tool's domain (``climate``, ``phone`` …): what an outside agent needs a grant for."""
    grants: frozenset[str] | None = None
    """The grants of the outside agent behind the action (a remote MCP client, directly or
    through a rule it made); None when an occupant or the assistant itself is behind it."""
    automation: str | None = None
    """The rule the action is carried out for when a rule fired (as its creator); None in a turn."""
    question: Bilingual | None = None
    """A yes the tool itself needs before the action: a rule's risky actions, spelled out."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The gate's decision with the rule that made it and the reason to speak."""

    decision: Decision
    rule: str | None = None
    reason: Bilingual | None = None

    @property
    def allowed(self) -> bool:
        return self.decision == "allow"


ALLOW = Verdict("allow")
