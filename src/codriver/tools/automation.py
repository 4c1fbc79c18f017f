"""Automation tools: rules over signals, reminders, timers, and cancelling them."""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

from codriver.text import Bilingual
from codriver.tools.base import Effect, ToolContext, Toolset, tool

Trigger = Literal[
    "rain", "dark", "speed_over", "battery_below", "outside_below", "outside_above", "cabin_above"
]

_NO_STORE = Bilingual("Automations aren't available here.", "这里不支持自动化。")


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
    The actions pass the safety gate when they run.

    Args:
        trigger: the condition to wait for.
        text: the rule as the occupant said it.
        actions: the tool calls to make when it fires.
        value: the threshold, for speed, battery and temperature triggers.
        warn: say a warning when it fires (with or without actions).
    """
    store = ctx.automations
    if store is None:
        return Effect(failed=_NO_STORE)
    calls = tuple((a["tool"], dict(a["args"])) for a in actions)
    warning = None
    if warn:
        from codriver.automation import make_trigger

        said = make_trigger(trigger, value).text
        warning = Bilingual(f"Heads up: {said.en}.", f"注意：{said.zh}。")
    return Effect(
        done=Bilingual(f"OK, I'll do that when {text}", f"好的，已设置：{text}")
        if not calls
        else Bilingual("OK, rule set", "好的，规则已设置"),
        after=lambda: store.add_rule(
            trigger, value, calls, text, ctx.state, ctx.speaker, ctx.lang, warning
        ),
    )


@tool("automation")
def add_reminder(ctx: ToolContext, text: str, minutes: float) -> Effect:
    """Remind the occupant of something after a while.

    Args:
        text: what to remind of, as said.
        minutes: how many minutes from now.
    """
    store = ctx.automations
    if store is None:
        return Effect(failed=_NO_STORE)
    return Effect(
        done=Bilingual(
            f"I'll remind you in {_minutes(minutes)}", f"好的，{_minutes_zh(minutes)}后提醒您"
        ),
        after=lambda: store.add_later("reminder", text, minutes * 60),
    )


@tool("automation")
def set_timer(ctx: ToolContext, minutes: float, label: str | None = None) -> Effect:
    """Start a countdown timer.

    Args:
        minutes: how long, in minutes.
        label: what the timer is for, if said.
    """
    store = ctx.automations
    if store is None:
        return Effect(failed=_NO_STORE)
    text = label or _minutes(minutes)
    return Effect(
        done=Bilingual(f"Timer set for {_minutes(minutes)}", f"已设定{_minutes_zh(minutes)}计时"),
        after=lambda: store.add_later("timer", text, minutes * 60),
    )


@tool("automation")
def cancel_automation(
    ctx: ToolContext, kind: Literal["rule", "reminder", "timer", "any"] = "any"
) -> Effect:
    """Cancel the most recent rule, reminder or timer.

    Args:
        kind: which kind to cancel; any cancels the newest of all.
    """
    store = ctx.automations
    if store is None:
        return Effect(failed=_NO_STORE)
    pending = [r.text for r in store.rules] + [s.text for s in store.scheduled]
    if not pending:
        return Effect(answer=Bilingual("There's nothing to cancel.", "没有可以取消的。"))
    return Effect(
        done=Bilingual("Cancelled", "已取消"),
        after=lambda: store.cancel(None if kind == "any" else kind),
    )


def _minutes(minutes: float) -> str:
    if minutes < 1:
        return f"{round(minutes * 60)} s"
    return f"{minutes:g} min"


def _minutes_zh(minutes: float) -> str:
    if minutes < 1:
        return f"{round(minutes * 60)}秒"
    return f"{minutes:g}分钟"


AUTOMATION_TOOLS = Toolset("automation", (create_rule, add_reminder, set_timer, cancel_automation))
