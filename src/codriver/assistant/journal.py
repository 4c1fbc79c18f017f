"""What the assistant itself changed, turn by turn: the only thing undo may put back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from codriver.vehicle.bus import SignalChange

KEEP_TURNS = 20


@dataclass(slots=True)
class UndoJournal:
    """The changes of the last acting turns (commands and what the car did in turn)."""

    turns: list[tuple[SignalChange, ...]] = field(default_factory=list)

    def record(self, changes: Iterable[SignalChange]) -> None:
        """Keep a turn's changes when it commanded anything (world updates are not ours)."""
        kept = tuple(c for c in changes if c.source in ("command", "vehicle"))
        if any(c.source == "command" for c in kept):
            self.turns = [*self.turns, kept][-KEEP_TURNS:]

    def last(self) -> tuple[SignalChange, ...]:
        """The last acting turn's changes, empty when the assistant has changed nothing yet."""
        return self.turns[-1] if self.turns else ()
