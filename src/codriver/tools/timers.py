"""Timer tools: pause, resume, more or less time, and what is left.

A timer is picked by its name ("the pizza timer"); without one, the newest that the request
fits (the newest running one to pause, the newest paused one to resume). What each says names
the timer, so the occupant hears which one it was. They write no signal: the change is made
through ``after`` once the gate allows it, as for starting a timer. Starting one and cancelling
timers (by name, or all): ``codriver.tools.automation``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from codriver.text import Bilingual
from codriver.tools.automation import said_minutes
from codriver.tools.base import Effect, ToolContext, Toolset, tool

if TYPE_CHECKING:
    from codriver.automation import Automations, TimerView


@tool("automation")
def pause_timer(ctx: ToolContext, label: str | None = None) -> Effect:
    """Pause a running timer; it keeps the time it has left.

    Args:
        label: the timer's name, if said; else the newest running timer.
    """
    return _hold(ctx, label, pausing=True)


@tool("automation")
def resume_timer(ctx: ToolContext, label: str | None = None) -> Effect:
    """Let a paused timer run again from where it stopped.

    Args:
        label: the timer's name, if said; else the newest paused timer.
    """
    return _hold(ctx, label, pausing=False)


def _hold(ctx: ToolContext, label: str | None, *, pausing: bool) -> Effect:
    """Pause the newest running timer (or resume the newest paused one) that fits ``label``."""
    from codriver.automation import PHRASES

    store, found = _found(ctx, label)
    if store is None or not found:
        return _missing(store, label)
    fitting = [t for t in found if t.paused != pausing]
    if not fitting:
        key = "timer.already_paused" if pausing else "timer.not_paused"
        return Effect(answer=PHRASES.get(key, name=timer_name(found[-1])))
    timer = fitting[-1]
    key, change = ("timer.paused", store.pause) if pausing else ("timer.resumed", store.resume)
    return Effect(
        done=PHRASES.get(key, name=timer_name(timer), left=said_left(timer.left)),
        after=_then(change, timer.id),
    )


@tool("automation")
def adjust_timer(ctx: ToolContext, minutes: float, label: str | None = None) -> Effect:
    """Add time to a timer, or take time off it (a negative number of minutes). Taking off
    more than it has left ends it now.

    Args:
        minutes: how many minutes to add; negative to take off.
        label: the timer's name, if said; else the newest timer.
    """
    from codriver.automation import PHRASES

    store, found = _found(ctx, label)
    if store is None or not found:
        return _missing(store, label)
    timer = found[-1]
    left = timer.left + minutes * 60
    longest = store.caps.days * 24 * 3600
    if not math.isfinite(minutes) or abs(minutes) < 1 / 60 or left > longest:
        return Effect(failed=PHRASES.get("bad_duration", days=store.caps.days))
    said = {"minutes": said_minutes(abs(minutes)), "name": timer_name(timer)}
    if left <= 0:
        done = PHRASES.get("timer.took_all", **said)
    else:
        key = "timer.added" if minutes > 0 else "timer.took"
        done = PHRASES.get(key, left=said_left(left), **said)
    return Effect(done=done, after=_then(store.adjust, timer.id, minutes * 60))


@tool("automation")
def timer_status(ctx: ToolContext, label: str | None = None) -> Effect:
    """Say how much time the timers have left, and which are paused. Changes nothing.

    Args:
        label: the timer's name, if asked about one; else every timer.
    """
    from codriver.automation import PHRASES
    from codriver.automation.vetting import join

    store, found = _found(ctx, label)
    if store is None or not found:
        return _missing(store, label)
    if len(found) == 1:
        [timer] = found
        key = "timer.left_paused" if timer.paused else "timer.left"
        return Effect(answer=PHRASES.get(key, name=timer_name(timer), left=said_left(timer.left)))
    items = [
        PHRASES.get(
            "timer.item_paused" if t.paused else "timer.item",
            name=timer_name(t),
            left=said_left(t.left),
        )
        for t in found
    ]
    listed = join(items, PHRASES.get("list.names_and"))
    return Effect(answer=PHRASES.get("timer.several", count=len(found), list=listed))


def timer_name(timer: TimerView) -> Bilingual:
    """What a timer is called: its name, else its length ("the 10 min timer")."""
    if timer.label:
        return Bilingual(timer.label, timer.label)
    return said_minutes(timer.length / 60)


def said_left(seconds: float) -> Bilingual:
    """Time left, to the second and rounded up: a running timer never has "0 s" left."""
    return said_minutes(math.ceil(seconds) / 60)


def _then(act: Callable[..., object], *args: object) -> Callable[[], None]:
    """``act(*args)``, to run once the gate allows it."""

    def run() -> None:
        act(*args)

    return run


def _found(ctx: ToolContext, label: str | None) -> tuple[Automations | None, list[TimerView]]:
    """The store and the timers ``label`` names (all when None), oldest first."""
    store: Automations | None = ctx.automations
    return store, (store.timers(label) if store is not None else [])


def _missing(store: Automations | None, label: str | None) -> Effect:
    """What to say when there is no store, no timer, or none by that name."""
    from codriver.automation import PHRASES

    if store is None:
        return Effect(failed=PHRASES.get("unavailable"))
    if label is not None and store.timers():
        return Effect(answer=PHRASES.get("timer.no_such", label=label))
    return Effect(answer=PHRASES.get("timer.none"))


TIMER_TOOLS = Toolset("timers", (pause_timer, resume_timer, adjust_timer, timer_status))
