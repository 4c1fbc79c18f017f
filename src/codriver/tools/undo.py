"""Undo: put signals back to the values they had before the last change."""

from __future__ import annotations

from codriver.text import Bilingual
from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.vehicle.catalog import Value

_UNDONE = Bilingual("undone", "已撤销")


@tool("system")
def restore_signals(
    ctx: ToolContext, values: dict[str, bool | int | float | str | list[str]]
) -> Effect:
    """Put signals back to earlier values, e.g. to undo the last change. Every write still passes
    the safety gate.

    Args:
        values: signal path to the value it should get back.
    """
    writes: dict[str, Value] = dict(values)
    return Effect.set(writes, _UNDONE)


UNDO_TOOLS = Toolset("system", (restore_signals,))
