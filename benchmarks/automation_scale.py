"""How automations scale: N timers started through the executor (the tool, the gate, the store),
then the clock advanced past all of them in one step (all due at once) and, on a fresh cabin, in
one step with each timer due at its own second. The caps are raised for the run (a cabin keeps
100 timers); the reply is one summary whatever N is.

Usage: python benchmarks/automation_scale.py [N ...]   (default: 100 1000 10000)
"""

from __future__ import annotations

import asyncio
import sys
import time

from codriver.assistant.executor import Caller
from codriver.assistant.plan import ToolCall
from codriver.automation import Caps
from codriver.testing import offline_assistant


async def one(count: int, spread: bool) -> tuple[float, float, int]:
    """Seconds to start ``count`` timers, seconds to advance past them, reply length."""
    assistant = offline_assistant()
    assistant.automations.caps = Caps(timers=count)
    caller = Caller()
    started = time.perf_counter()
    for i in range(count):
        minutes = 5 + (i / 60 if spread else 0)
        call = ToolCall("set_timer", {"minutes": minutes, "label": f"timer {i}"})
        await assistant.executor.run([call], caller)
    added = time.perf_counter() - started
    assert len(assistant.automations.scheduled) == count
    started = time.perf_counter()
    turn = await assistant.advance(6 * 60 + count)
    advanced = time.perf_counter() - started
    assert not assistant.automations.scheduled
    return added, advanced, len(turn.reply)


def main(counts: list[int]) -> None:
    print("| timers | due | start all (s) | advance (s) | reply (chars) |")
    print("|---|---|---|---|---|")
    for count in counts:
        for spread in (False, True):
            added, advanced, chars = asyncio.run(one(count, spread))
            due = "each at its own second" if spread else "all at once"
            print(f"| {count} | {due} | {added:.2f} | {advanced:.3f} | {chars} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000])
