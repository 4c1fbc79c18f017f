"""Automations: rules over signals ("if it rains, close the windows"), reminders and timers.

Rules fire on the rising edge of their condition (it starts raining), as often as it rises, until
cancelled. A rule keeps who made it (:class:`~codriver.assistant.executor.Caller`: the proposer, the
seat, an outside agent's grants, taint) and its actions are carried out as that creator's, through
the safety gate, each time it fires. Reminders and timers run on the simulated clock; a timer
can be paused (it keeps what is left), resumed, given more or less time, and picked by its name.
What is pending is published to the cockpit state (`Cockpit.Rules`, `Cockpit.Reminders`,
`Cockpit.Timers`); what fires is queued for the assistant. A cabin keeps at most :class:`Caps`
of each; an exact duplicate is not stored twice; many items due at once are summed up.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from codriver.assistant.cockpit import CockpitState
from codriver.assistant.executor import Caller
from codriver.assistant.plan import ToolCall
from codriver.automation.vetting import PHRASES, join
from codriver.safety.conditions import Condition
from codriver.text import Bilingual
from codriver.vehicle.catalog import Value
from codriver.vehicle.clock import SimClock, TimerHandle
from codriver.yamlfile import load_yaml

Kind = Literal["rule", "reminder", "timer"]
Later = Literal["reminder", "timer"]
_PATHS = {"rule": "Cockpit.Rules", "reminder": "Cockpit.Reminders", "timer": "Cockpit.Timers"}
READ_OUT = 3
"""Up to this many reminders (or timers) due at once are read out one by one; more are summed up."""


@dataclass(frozen=True, slots=True)
class Caps:
    """How much one cabin keeps (docs/agents.md); past a cap a new one is refused, saying why."""

    rules: int = 50
    reminders: int = 100
    timers: int = 100
    actions: int = 10
    """Actions in one rule."""
    chars: int = 200
    """Characters of a rule's, reminder's or timer's text."""
    days: int = 7
    """The longest a reminder or timer runs."""

    def of(self, kind: Kind) -> int:
        return {"rule": self.rules, "reminder": self.reminders, "timer": self.timers}[kind]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A condition on one signal."""

    id: str
    signal: str
    condition: Condition
    text: Bilingual

    def holds(self, state: Mapping[str, Value | None]) -> bool:
        return self.condition.holds(state.get(self.signal))

    def world(self) -> dict[str, Value | None]:
        """The signal as it is when the trigger fires ("speed over 100" → 101 km/h), or nothing
        when no one value shows it."""
        value = self.condition.witness()
        return {self.signal: value} if isinstance(value, str | int | float) else {}


@dataclass
class Rule:
    id: int
    text: str
    trigger: Trigger
    calls: tuple[ToolCall, ...]
    origin: Caller
    """Who made the rule: its actions are judged as this caller's whenever it fires."""
    warning: Bilingual | None = None
    covers: frozenset[str] = frozenset()
    """The gate's confirm rules the occupant said yes to when the rule was set (spelled out)."""
    active: bool = False

    @property
    def key(self) -> tuple[object, ...]:
        return _rule_key(self.trigger, self.calls, self.warning is not None, self.origin)


@dataclass
class Scheduled:
    id: int
    kind: Later
    text: str
    due: float
    handle: TimerHandle | None = None
    label: str | None = None
    """The name it was given ("pizza"), if any; ``text`` is that name or its length as said."""
    length: float = 0.0
    """Seconds it was set for."""
    left: float | None = None
    """Seconds left while it is paused (then it does not run and ``due`` means nothing)."""

    @property
    def paused(self) -> bool:
        return self.left is not None


@dataclass(frozen=True, slots=True)
class TimerView:
    """A timer as read: its text and name, the seconds it was set for and has left, paused."""

    id: int
    text: str
    label: str | None
    length: float
    left: float
    paused: bool


@dataclass(frozen=True, slots=True)
class Firing:
    """Something that came due: a rule to carry out, or words to say."""

    rule: Rule | None = None
    say: Bilingual | None = None


@dataclass
class Automations:
    clock: SimClock
    cockpit: CockpitState
    caps: Caps = field(default_factory=Caps)
    rules: list[Rule] = field(default_factory=list)
    scheduled: dict[int, Scheduled] = field(default_factory=dict)
    fired: list[Firing] = field(default_factory=list)
    _due: list[Scheduled] = field(default_factory=list)
    _keys: set[tuple[object, ...]] = field(default_factory=set)
    _later_keys: Counter[tuple[object, ...]] = field(default_factory=Counter)
    """How many reminders and timers hold each later key (rescheduled ones may share one)."""
    _counts: dict[str, int] = field(default_factory=lambda: {"reminder": 0, "timer": 0})
    _stale: set[Kind] = field(default_factory=set)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # -- what a new one would run into ---------------------------------------------------------

    def full(self, kind: Kind) -> Bilingual | None:
        """Why no more of ``kind`` can be added (its cap is reached), or None."""
        cap = self.caps.of(kind)
        count = len(self.rules) if kind == "rule" else self._counts[kind]
        return PHRASES.get(f"full.{kind}", cap=cap) if count >= cap else None

    def same_rule(
        self,
        trigger: str,
        value: float | None,
        calls: Sequence[ToolCall],
        warn: bool,
        origin: Caller,
    ) -> Rule | None:
        """The rule that already does exactly this for the same kind of creator, if any."""
        key = _rule_key(make_trigger(trigger, value), tuple(calls), warn, origin)
        return next((r for r in self.rules if r.key == key), None) if key in self._keys else None

    def same_later(self, kind: Later, text: str, seconds: float) -> bool:
        """Whether the same reminder (or timer) is already due at the same second."""
        if not math.isfinite(seconds):
            return False
        return (kind, text, round(self.clock.now() + max(0.0, seconds))) in self._keys

    # -- adding and cancelling -----------------------------------------------------------------

    def add_rule(
        self,
        trigger: str,
        value: float | None,
        calls: Sequence[ToolCall],
        text: str,
        state: Mapping[str, Value | None],
        *,
        origin: Caller,
        warning: Bilingual | None = None,
        covers: frozenset[str] = frozenset(),
    ) -> Rule | None:
        """Keep a rule made by ``origin``; None (nothing kept) when it exists or the cap is hit."""
        planned = tuple(calls)
        if self.full("rule") or self.same_rule(
            trigger, value, planned, warning is not None, origin
        ):
            return None
        made = make_trigger(trigger, value)
        rule = Rule(next(self._ids), text, made, planned, origin, warning, covers)
        rule.active = made.holds(state)  # "if it starts raining": not while it already is
        self.rules.append(rule)
        self._keys.add(rule.key)
        self._publish("rule")
        return rule

    def add_later(
        self, kind: Later, text: str, seconds: float, *, label: str | None = None
    ) -> Scheduled | None:
        """Start a reminder or timer; None (nothing started) when it exists, the cap is hit or
        ``seconds`` is no length of time."""
        if not math.isfinite(seconds) or self.full(kind) or self.same_later(kind, text, seconds):
            return None
        length = max(0.0, seconds)
        item = Scheduled(next(self._ids), kind, text, 0.0, label=label, length=length)
        self._schedule(item, self.clock.now() + length)
        self.scheduled[item.id] = item
        self._counts[kind] += 1
        self._publish(kind)
        return item

    def cancel(self, kind: Kind | None = None, label: str | None = None) -> str | None:
        """Cancel the newest automation of ``kind`` (any kind when None) that ``label`` names
        (any when None); its text, or None."""
        found = self.matching(kind, label)
        if not found:
            return None
        item = found[-1]
        self._drop(item)
        self._publish("rule" if isinstance(item, Rule) else item.kind)
        return item.text

    def cancel_every(self, kind: Kind | None = None, label: str | None = None) -> list[str]:
        """Cancel every automation of ``kind`` that ``label`` names; their texts."""
        found = self.matching(kind, label)
        for item in found:
            self._drop(item)
        kinds = {"rule" if isinstance(i, Rule) else i.kind for i in found}
        self._publish(*sorted(kinds))  # type: ignore[arg-type]
        return [item.text for item in found]

    def matching(
        self, kind: Kind | None = None, label: str | None = None
    ) -> list[Rule | Scheduled]:
        """The automations of ``kind`` (any when None) that ``label`` names, oldest first."""
        found: list[Rule | Scheduled] = [r for r in self.rules if kind in (None, "rule")]
        found += [s for s in self.scheduled.values() if kind in (None, s.kind)]
        found = [item for item in found if names(label, item.text)]
        return sorted(found, key=lambda item: item.id)

    def _drop(self, item: Rule | Scheduled) -> None:
        if isinstance(item, Rule):
            self.rules.remove(item)
            self._keys.discard(item.key)
        else:
            self._unschedule(item)
            self._forget(item)

    # -- timers: pausing, resuming, more or less time --------------------------------------------

    def timers(self, label: str | None = None) -> list[TimerView]:
        """The pending timers that ``label`` names (all when None), oldest first."""
        found = self.matching("timer", label)
        return [self._view(item) for item in found if isinstance(item, Scheduled)]

    def pause(self, timer_id: int) -> TimerView | None:
        """Stop a running timer where it is: it keeps what is left and does not fire."""
        item = self._timer(timer_id)
        if item is None or item.paused:
            return None
        left = max(0.0, item.due - self.clock.now())
        self._unschedule(item)
        item.left = left
        return self._view(item)

    def resume(self, timer_id: int) -> TimerView | None:
        """Run a paused timer again: due what it had left from now."""
        item = self._timer(timer_id)
        if item is None or item.left is None:
            return None
        left, item.left = item.left, None
        self._schedule(item, self.clock.now() + left)
        return self._view(item)

    def adjust(self, timer_id: int, seconds: float) -> TimerView | None:
        """Give a timer ``seconds`` more (fewer when negative); one left with no time comes due
        now. A paused timer stays paused."""
        item = self._timer(timer_id)
        if item is None or not math.isfinite(seconds):
            return None
        now = self.clock.now()
        left = (item.left if item.left is not None else item.due - now) + seconds
        if left <= 0:
            self._unschedule(item)
            item.left, item.due = None, now
            self._forget(item)
            self._due.append(item)  # said at the next drain, like any timer that came due
            self._publish("timer")
            return self._view(item)
        if item.left is not None:
            item.left = left
        else:
            self._unschedule(item)
            self._schedule(item, now + left)
        return self._view(item)

    def _timer(self, timer_id: int) -> Scheduled | None:
        item = self.scheduled.get(timer_id)
        return item if item is not None and item.kind == "timer" else None

    def _view(self, item: Scheduled) -> TimerView:
        running = max(0.0, item.due - self.clock.now())
        left = item.left if item.left is not None else running
        return TimerView(item.id, item.text, item.label, item.length, left, item.paused)

    def _schedule(self, item: Scheduled, due: float) -> None:
        """Run ``item`` again, due at ``due``."""
        item.due = due
        item.handle = self.clock.call_at(due, lambda: self._came_due(item))
        key = _later_key(item)
        self._later_keys[key] += 1
        self._keys.add(key)

    def _unschedule(self, item: Scheduled) -> None:
        """Stop ``item`` running (cancelling its clock entry) and forget its due key."""
        if item.handle is None:
            return
        item.handle.cancel()
        item.handle = None
        key = _later_key(item)
        self._later_keys[key] -= 1
        if self._later_keys[key] <= 0:
            del self._later_keys[key]
            self._keys.discard(key)

    def pending(self) -> list[str]:
        return [r.text for r in self.rules] + [s.text for s in self.scheduled.values()]

    # -- what fires ----------------------------------------------------------------------------

    def check(self, state: Mapping[str, Value | None]) -> None:
        """Queue every rule whose condition has just become true."""
        for rule in self.rules:
            holds = rule.trigger.holds(state)
            if holds and not rule.active:
                self.fired.append(Firing(rule=rule, say=rule.warning))
            rule.active = holds

    def drain(self) -> list[Firing]:
        """What came due since the last drain: reminders and timers (a few read out, many summed
        up), then the rules that fired."""
        if self._stale:
            self._publish(*self._stale)
        due, self._due = self._due, []
        says = [Firing(say=s) for kind in ("reminder", "timer") for s in _announce(kind, due)]
        fired, self.fired = self.fired, []
        return says + fired

    def _came_due(self, item: Scheduled) -> None:
        if self.scheduled.get(item.id) is item:
            self._unschedule(item)
            self._forget(item)
            self._due.append(item)
            self._stale.add(item.kind)  # published once per drain, not once per item

    def _forget(self, item: Scheduled) -> None:
        """No longer pending (its clock entry already stopped)."""
        del self.scheduled[item.id]
        self._counts[item.kind] -= 1

    def _publish(self, *kinds: Kind) -> None:
        """Show what is pending of ``kinds`` under ``Cockpit.``."""
        self._stale.difference_update(kinds)
        for kind in kinds:
            if kind == "rule":
                texts = [r.text for r in self.rules]
            else:
                texts = [s.text for s in self.scheduled.values() if s.kind == kind]
            self.cockpit.set(_PATHS[kind], texts)


def _announce(kind: Later, due: Iterable[Scheduled]) -> list[Bilingual]:
    """What to say for the items of ``kind`` that came due at once."""
    texts = [item.text for item in due if item.kind == kind]
    if len(texts) <= READ_OUT:
        return [PHRASES.get(f"due.{kind}", text=text) for text in texts]
    first = join([Bilingual(t, t) for t in texts[:2]], PHRASES.get("list.sep"))
    summary = PHRASES.get(f"due.{kind}s", count=len(texts), first=first, rest=len(texts) - 2)
    return [summary]


def _rule_key(
    trigger: Trigger, calls: tuple[ToolCall, ...], warn: bool, origin: Caller
) -> tuple[object, ...]:
    """Rules are the same when they wait for the same thing, do the same and were made by the
    same kind of creator (an occupant's rule and a remote client's are judged differently)."""
    actions = json.dumps([[c.name, dict(c.args)] for c in calls], sort_keys=True, default=str)
    grants = None if origin.grants is None else tuple(sorted(origin.grants))
    condition = (trigger.id, trigger.condition.tests)
    return ("rule", condition, actions, warn, origin.source, grants, origin.tainted)


def _later_key(item: Scheduled) -> tuple[object, ...]:
    return (item.kind, item.text, round(item.due))


def names(label: str | None, text: str) -> bool:
    """Whether ``label`` names an automation with ``text``: no label names every one; else the
    same words, or one holding the other ("pizza" and "the pizza one"), case ignored."""
    if label is None:
        return True
    said, held = " ".join(label.casefold().split()), " ".join(text.casefold().split())
    return bool(said) and bool(held) and (said in held or held in said)


@cache
def _triggers() -> dict[str, dict[str, Any]]:
    res = resources.files("codriver.automation").joinpath("data/triggers.yaml")
    raw: dict[str, dict[str, Any]] = load_yaml(res.read_text(encoding="utf-8"))
    return raw


def trigger_ids() -> list[str]:
    return sorted(_triggers())


def make_trigger(trigger: str, value: float | None) -> Trigger:
    spec = _triggers()[trigger]
    threshold = spec["value"] if value is None else value
    shown = int(threshold) if float(threshold).is_integer() else threshold
    return Trigger(
        trigger,
        spec["signal"],
        Condition.parse({spec["op"]: threshold}, f"trigger {trigger}"),
        Bilingual.from_mapping(spec["text"], trigger).format(value=shown),
    )
