"""Judging a rule's actions when it is made, as its creator's: the safety gate tries each one for
the creator in the car as it will be when the rule fires (a refused one refuses the rule, with the
gate's reason), and a rule with a risky
action — one that lets people in or opens the car up (``data/risky.yaml``), reaches people, uses a
third-party service, or that the gate would ask about — is set only after the occupant's yes to a
question that spells every action out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from importlib import resources
from typing import Any

import yaml

from codriver.assistant.plan import ToolCall
from codriver.safety.action import Verdict, Write
from codriver.safety.conditions import Condition
from codriver.text import Bilingual, PhraseBook
from codriver.tools.base import Trial
from codriver.vehicle.catalog import Value

PHRASES = PhraseBook.load("codriver.automation", "data/phrases.yaml")
NESTED = ("create_rule",)
"""Tools a rule may not hold: a rule that makes rules would grow without the occupant."""


@dataclass(frozen=True, slots=True)
class Vetting:
    """The verdict on a rule's actions: refused (the gate's verdict, its reason to speak), or the
    question the occupant must say yes to first (with the gate's rules that yes covers), or
    neither: the rule may be set as it is."""

    refused: Verdict | None = None
    failed: Bilingual | None = None
    question: Bilingual | None = None
    covers: frozenset[str] = frozenset()


def vet(
    calls: Sequence[ToolCall],
    trigger: Bilingual,
    trial: Callable[[ToolCall, Mapping[str, Value | None]], Trial],
    *,
    then: Mapping[str, Value | None] | None = None,
    tainted: bool = False,
) -> Vetting:
    """Try every action for the creator now, and in the car as ``then`` (the trigger) makes it:
    refused either way refuses the rule ("over 100 km/h, open the door": the gate never opens a
    door at speed, so the rule could never act). The occupant's yes covers only the gate's
    questions of now; one the gate would ask only then (unlocking at speed) is asked then.
    ``tainted``: its creator may have been steered, so the occupant is asked about any rule."""
    risky = tainted
    covers: set[str] = set()
    for call in calls:
        if call.name in NESTED:
            return Vetting(failed=PHRASES.get("rule.refused", reason=PHRASES.get("rule.nested")))
        tried = trial(call, {})
        later = trial(call, then) if then else tried
        if tried.decision == "failed":
            reason = tried.reason or PHRASES.get("rule.unknown_action", tool=call.name)
            return Vetting(failed=PHRASES.get("rule.refused", reason=reason))
        for verdict in (tried, later):
            if verdict.decision == "refuse":
                reason = PHRASES.get("rule.refused", reason=verdict.reason or Bilingual("", ""))
                return Vetting(refused=Verdict("refuse", verdict.rule, reason))
        if tried.decision == "confirm" and tried.rule is not None:
            covers.add(tried.rule)
        asks = "confirm" in (tried.decision, later.decision)
        risky = risky or asks or tried.third_party or _risky(tried.writes)
    if not risky:
        return Vetting()
    actions = join([describe(call) for call in calls], PHRASES.get("list.and"))
    question = PHRASES.get("rule.question", trigger=trigger, actions=actions)
    return Vetting(question=question, covers=frozenset(covers))


def describe(call: ToolCall) -> Bilingual:
    """``call`` as an action said in both languages: "unlock the doors", "拨打10086"."""
    table = _actions()
    params = {k: _shown(v, table.names) for k, v in call.args.items()}
    for condition, text in table.tools.get(call.name, ()):
        if all(cond.holds(call.args.get(arg)) for arg, cond in condition):
            return _fill(text, params)
    return table.fallback.format(tool=call.name)


def described() -> frozenset[str]:
    """The tools ``data/actions.yaml`` spells out."""
    return frozenset(_actions().tools)


def join(items: Sequence[Bilingual], last: Bilingual) -> Bilingual:
    """ "a, b and c" / "a、b并c" (``last`` is the word before the last item)."""
    sep = PHRASES.get("list.sep")
    if len(items) <= 1:
        return items[0] if items else Bilingual("", "")
    head = items[:-1]
    return Bilingual(
        sep.en.join(i.en for i in head) + last.en + items[-1].en,
        sep.zh.join(i.zh for i in head) + last.zh + items[-1].zh,
    )


def _risky(writes: Sequence[Write]) -> bool:
    return any(
        fnmatchcase(write.path, glob) and cond.holds(write.value)
        for write in writes
        for glob, cond in _risky_writes()
    )


def _fill(text: Bilingual, params: Mapping[str, Bilingual]) -> Bilingual:
    try:
        return Bilingual(
            text.en.format(**{k: v.en for k, v in params.items()}),
            text.zh.format(**{k: v.zh for k, v in params.items()}),
        )
    except (KeyError, IndexError, ValueError):  # a placeholder the call does not fill
        return text


def _shown(value: object, names: Mapping[str, Bilingual]) -> Bilingual:
    if isinstance(value, str) and value in names:
        return names[value]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return Bilingual(str(value), str(value))


Variant = tuple[tuple[tuple[str, Condition], ...], Bilingual]


@dataclass(frozen=True, slots=True)
class _Actions:
    tools: Mapping[str, tuple[Variant, ...]]
    names: Mapping[str, Bilingual]
    fallback: Bilingual


@cache
def _actions() -> _Actions:
    raw = _load("actions.yaml")
    tools: dict[str, tuple[Variant, ...]] = {}
    for name, spec in raw["tools"].items():
        variants = spec if isinstance(spec, list) else [spec]
        tools[name] = tuple(_variant(v, f"actions.yaml: {name}") for v in variants)
    names = {k: Bilingual.from_mapping(v, f"actions.yaml: {k}") for k, v in raw["names"].items()}
    return _Actions(tools, names, Bilingual.from_mapping(raw["fallback"], "actions.yaml"))


def _variant(raw: Mapping[str, Any], where: str) -> Variant:
    conditions = tuple(
        (str(arg), Condition.parse(cond, f"{where}, {arg}"))
        for arg, cond in (raw.get("if") or {}).items()
    )
    return conditions, Bilingual.from_mapping(raw, where)


@cache
def _risky_writes() -> tuple[tuple[str, Condition], ...]:
    raw = _load("risky.yaml")
    return tuple((str(k), Condition.parse(v, f"risky.yaml: {k}")) for k, v in raw["writes"].items())


def _load(name: str) -> Any:
    text = resources.files("codriver.automation").joinpath(f"data/{name}").read_text("utf-8")
    return yaml.safe_load(text)
