"""Undo: put back what the assistant's last acting turn changed, and nothing else. The values come
from the assistant's own journal of its changes, never from the caller, and every write passes the
safety gate as the caller's."""

from __future__ import annotations

from codriver.text import Bilingual
from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.vehicle.catalog import Value
from codriver.vehicle.couplings import command_for

_UNDONE = Bilingual("undone", "已撤销")
_NOTHING = Bilingual("There's nothing for me to undo.", "没有可以撤销的操作。")


@tool("system")
def undo_last_change(ctx: ToolContext) -> Effect:
    """Undo the assistant's last change to the car: put back the values its last acting turn
    changed ("undo that", "put it back")."""
    journal = ctx.journal
    changes = journal.last() if journal is not None else ()
    writes: dict[str, Value] = {}
    for change in changes:
        if change.source == "command" and change.old is not None:
            writes.setdefault(change.path, change.old)
    for change in changes:
        moved = change.source == "vehicle" and change.old is not None
        back = command_for(change.path, change.old) if moved else None  # type: ignore[arg-type]
        if back is not None:
            writes[back[0]] = back[1]
    if not writes:
        return Effect(answer=_NOTHING)
    return Effect.set(writes, _UNDONE)


UNDO_TOOLS = Toolset("system", (undo_last_change,))
