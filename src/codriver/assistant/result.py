"""What a turn produced: each action's outcome, the reply, the changes, and how long it took."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from codriver.assistant.plan import ToolCall
from codriver.assistant.trace import TraceEntry
from codriver.safety.action import Verdict
from codriver.text import Bilingual, Lang
from codriver.tools.base import Choice
from codriver.vehicle.bus import SignalChange

__all__ = ["ActionResult", "ActionStatus", "Outcome", "TraceEntry", "TurnResult"]

ActionStatus = Literal["done", "answered", "refused", "asked", "failed"]
Outcome = Literal["done", "answered", "refused", "asked", "none"]


@dataclass(frozen=True, slots=True)
class ActionResult:
    """One tool call's fate: done (with its changes), refused or pending confirmation, and why."""

    call: ToolCall
    status: ActionStatus
    message: Bilingual | None = None
    verdict: Verdict | None = None
    changes: tuple[SignalChange, ...] = ()
    choices: tuple[Choice, ...] = ()
    would: Bilingual | None = None
    """For an action held for a yes: what it would do, to name it in the question."""
    look_up: bool = False
    """A look-up that writes nothing, refused by the gate (a long reading for a distracted
    driver): a question may still ask for it."""


@dataclass(frozen=True, slots=True)
class TurnResult:
    """The whole turn, as the occupant experiences it and as a test judges it."""

    outcome: Outcome
    reply: str
    lang: Lang
    actions: tuple[ActionResult, ...] = ()
    changes: tuple[SignalChange, ...] = ()
    latency_ms: float = 0.0
    trace: tuple[TraceEntry, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "reply": self.reply,
            "lang": self.lang,
            "latency_ms": round(self.latency_ms, 3),
            "actions": [
                {
                    "tool": a.call.name,
                    "args": dict(a.call.args),
                    "status": a.status,
                    "message": a.message.in_(self.lang) if a.message else None,
                    "rule": a.verdict.rule if a.verdict else None,
                }
                for a in self.actions
            ],
            "changes": [
                {"path": c.path, "old": c.old, "new": c.new, "source": c.source}
                for c in self.changes
            ],
            "trace": [
                {
                    "agent": t.agent,
                    "tool": t.tool,
                    "status": t.status,
                    "ms": round(t.ms, 3),
                    "rule": t.rule,
                }
                for t in self.trace
            ],
        }
