"""Automation tools: rules over signals, reminders, timers, and cancelling them.

A rule keeps who made it and is judged as theirs: when it is made, each of its actions is tried
at the safety gate for its creator (a refused one refuses the rule) and a risky one needs the
occupant's yes to a question that spells the actions out; whenever it fires, its actions pass the
gate again as the creator's. Caps and duplicates: ``codriver.automation.store``."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from typing_extensions import TypedDict

from codriver.text import Bilingual
from codriver.tools.base import Effect, ToolContext, Toolset, tool

if TYPE_CHECKING:
    from codriver.automation import Automations, Rule, Scheduled

Trigger = Literal[
    "rain", "dark", "speed_over", "battery_below", "outside_below", "outside_above", "cabin_above"
]


class PlannedCall(TypedDict):
    """A tool call to make later: the tool's name and its arguments."""

    tool: str
    args: dict[str, object]


@tool("automation")
def create_rule(
    ctx: ToolContext,
    trigger: Trigger,
    text: str,
    actions: list[PlannedCall],
    value: float | None = None,
    warn: bool = False,
) -> Effect:
    """Do something whenever a condition becomes true ("if it starts raining, close the windows").
    The actions are judged by the safety gate when the rule is made and each time they run;
    risky ones (unlocking, opening, calling) need the occupant's yes first.

    Args:
        trigger: the condition to wait for.
        text: the rule as the occupant said it.
        actions: the tool calls to make when it fires.
        value: the threshold, for speed, battery and temperature triggers.
        warn: say a warning when it fires (with or without actions).
    """
    from codriver.assistant.plan import ToolCall
    from codriver.automation import PHRASES, make_trigger, vet

    store, caller = ctx.automations, ctx.caller
    if store is None or caller is None or ctx.trial is None:
        return Effect(failed=PHRASES.get("unavailable"))
    calls = tuple(ToolCall(a["tool"], dict(a["args"])) for a in actions)
    problem = _too_much(ctx, text, len(calls)) or store.full("rule")
    if problem is not None:
        return Effect(failed=problem)
    made = make_trigger(trigger, value)
    said = made.text
    warning = PHRASES.get("rule.warning", trigger=said) if warn else None
    origin = replace(caller, gaze=None, automation=None)
    if store.same_rule(trigger, value, calls, warn, origin) is not None:
        return Effect(answer=PHRASES.get("rule.exists", text=text))
    vetted = vet(calls, said, ctx.trial, then=made.world(), tainted=caller.tainted)
    if vetted.failed is not None or vetted.refused is not None:
        return Effect(failed=vetted.failed, refused=vetted.refused)
    key = "rule.set" if calls else "rule.set_warning"
    return Effect(
        done=PHRASES.get(key, text=text),
        confirm=vetted.question,
        after=lambda: store.add_rule(
            trigger,
            value,
            calls,
            text,
            ctx.state,
            origin=origin,
            warning=warning,
            covers=vetted.covers,
        ),
    )


@tool("automation")
def add_reminder(ctx: ToolContext, text: str, minutes: float) -> Effect:
    """Remind the occupant of something after a while.

    Args:
        text: what to remind of, as said.
        minutes: how many minutes from now.
    """
    from codriver.automation import PHRASES

    store = ctx.automations
    if store is None:
        return Effect(failed=PHRASES.get("unavailable"))
    problem = _too_much(ctx, text) or _bad_duration(ctx, minutes) or store.full("reminder")
    if problem is not None:
        return Effect(failed=problem)
    if store.same_later("reminder", text, minutes * 60):
        return Effect(answer=PHRASES.get("reminder.exists", text=text))
    return Effect(
        done=PHRASES.get("reminder.set", minutes=said_minutes(minutes)),
        after=lambda: store.add_later("reminder", text, minutes * 60),
    )


@tool("automation")
def set_timer(ctx: ToolContext, minutes: float, label: str | None = None) -> Effect:
    """Start a countdown timer.

    Args:
        minutes: how long, in minutes.
        label: what the timer is for, if said.
    """
    from codriver.automation import PHRASES

    store = ctx.automations
    if store is None:
        return Effect(failed=PHRASES.get("unavailable"))
    problem = _bad_duration(ctx, minutes)
    text = label or ("" if problem else said_minutes(minutes).in_(ctx.lang))
    problem = problem or _too_much(ctx, text) or store.full("timer")
    if problem is not None:
        return Effect(failed=problem)
    if store.same_later("timer", text, minutes * 60):
        return Effect(answer=PHRASES.get("timer.exists", text=text))
    said = said_minutes(minutes)
    if label:
        done = PHRASES.get("timer.set_named", name=Bilingual(label, label), minutes=said)
    else:
        done = PHRASES.get("timer.set", minutes=said)
    return Effect(
        done=done,
        after=lambda: store.add_later("timer", text, minutes * 60, label=label or None),
    )


@tool("automation")
def cancel_automation(
    ctx: ToolContext,
    kind: Literal["rule", "reminder", "timer", "any"] = "any",
    label: str | None = None,
    every: bool = False,
) -> Effect:
    """Cancel the most recent rule, reminder or timer, one by its name, or every one of a kind.

    Args:
        kind: which kind to cancel; any cancels the newest of all.
        label: its name or words, if said ("pizza" for the pizza timer).
        every: cancel every one of that kind (that the label names), not only the newest.
    """
    from codriver.automation import PHRASES

    store = ctx.automations
    if store is None:
        return Effect(failed=PHRASES.get("unavailable"))
    which = None if kind == "any" else kind
    found = store.matching(which, label)
    if not found:
        return Effect(answer=_nothing_to_cancel(store, kind, label))
    if every and len(found) > 1:
        key = "cancelled.every_timer" if kind == "timer" else "cancelled.every"
        return Effect(
            done=PHRASES.get(key, count=len(found)),
            after=lambda: store.cancel_every(which, label),
        )
    return Effect(done=_cancelled(found[-1], label), after=lambda: store.cancel(which, label))


def _nothing_to_cancel(store: Automations, kind: str, label: str | None) -> Bilingual:
    from codriver.automation import PHRASES

    if label is None:
        return PHRASES.get("nothing_to_cancel")
    if kind == "timer":
        return PHRASES.get("timer.no_such", label=label)
    return PHRASES.get("nothing_named", label=label)


def _cancelled(item: Rule | Scheduled, label: str | None) -> Bilingual:
    """What cancelling ``item`` is said as: a timer by its name; with a name said, its text."""
    from codriver.automation import PHRASES, Scheduled

    if isinstance(item, Scheduled) and item.kind == "timer" and item.label:
        return PHRASES.get("timer.cancelled", name=Bilingual(item.label, item.label))
    if label is not None:
        return PHRASES.get("cancelled.named", text=Bilingual(item.text, item.text))
    return PHRASES.get("cancelled")


def said_minutes(minutes: float) -> Bilingual:
    """A duration as said back, in its largest whole parts: "90 s" / "90秒", "5 min" / "5分钟",
    "5 min 30 s" / "5分30秒", "1 h 15 min" / "1小时15分钟"."""
    from codriver.automation import PHRASES

    seconds = round(minutes * 60)
    hours, rest = divmod(seconds, 3600)
    whole, secs = divmod(rest, 60)
    if seconds < 60:
        return PHRASES.get("seconds", n=seconds)
    parts: list[Bilingual] = []
    if hours:
        parts.append(PHRASES.get("hours", n=hours))
    if whole:
        key = "minutes_part" if secs else "minutes"
        parts.append(PHRASES.get(key, n=whole))
    if secs:
        parts.append(PHRASES.get("seconds", n=secs))
    said = parts[0]
    for part in parts[1:]:
        said = PHRASES.get("joined", a=said, b=part)
    return said


def _too_much(ctx: ToolContext, text: str, actions: int = 0) -> Bilingual | None:
    from codriver.automation import PHRASES

    caps = ctx.automations.caps
    if len(text) > caps.chars:
        return PHRASES.get("too_long", cap=caps.chars)
    if actions > caps.actions:
        return PHRASES.get("rule.refused", reason=PHRASES.get("too_many_actions", cap=caps.actions))
    return None


def _bad_duration(ctx: ToolContext, minutes: float) -> Bilingual | None:
    from codriver.automation import PHRASES

    days = ctx.automations.caps.days
    if math.isfinite(minutes) and 1 / 60 <= minutes <= days * 24 * 60:
        return None
    return PHRASES.get("bad_duration", days=days)


AUTOMATION_TOOLS = Toolset("automation", (create_rule, add_reminder, set_timer, cancel_automation))
