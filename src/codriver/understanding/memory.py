"""What the engine keeps between turns: the frames it last acted on, the slot it asked for, and
the remedy of the last need. One per brain; inference, questions and dialogue read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from codriver.assistant.plan import ToolCall
from codriver.understanding.frames import Frame


@dataclass
class Memory:
    """The last frames acted on, for "too", "more", corrections and slot filling."""

    frames: list[tuple[Frame, str]] = field(default_factory=list)
    awaiting: tuple[Frame, str, str] | None = None
    remedy: list[ToolCall] = field(default_factory=list)
    """The relative changes the last need was met with, for "a bit more" ("再高一点")."""
    reminding: str | None = None
    """What a reminder asked for without a time was to be about, while its time is asked."""
