"""Expectation matchers of drive scenarios (FORMAT.md v1.1): a plain value is equality; a mapping
combines ``min``, ``max``, ``up``, ``down``, ``in``, ``contains``, ``match``, ``count`` and ``not``,
all of which must hold."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

KEYS = ("min", "max", "up", "down", "in", "contains", "match", "count", "not")
TOLERANCE = 0.01


def equal(expected: object, actual: object) -> bool:
    """FORMAT.md equality: numbers within 0.01, strings case-insensitive, lists element-wise."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return abs(expected - actual) <= TOLERANCE
    if isinstance(expected, str) and isinstance(actual, str):
        return expected.casefold() == actual.casefold()
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(equal, expected, actual))
    return expected is None and actual is None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


Check = Callable[[object, object], bool]


@dataclass(frozen=True, slots=True)
class Matcher:
    """A compiled matcher: ``describe`` says what it wants, ``holds(actual, before)`` checks it."""

    describe: str
    checks: tuple[Check, ...]

    def holds(self, actual: object, before: object = None) -> bool:
        return all(check(actual, before) for check in self.checks)


def compile_matcher(raw: object) -> Matcher:
    """A matcher from its YAML form; ``ValueError`` names what is wrong with it."""
    if not isinstance(raw, Mapping):
        return Matcher(_show(raw), (lambda actual, _before: equal(raw, actual),))
    unknown = [k for k in raw if k not in KEYS]
    if unknown or not raw:
        raise ValueError(f"unknown matcher keys {unknown} (use a plain value or {', '.join(KEYS)})")
    checks = tuple(_check(str(key), value) for key, value in raw.items())
    describe = ", ".join(f"{key}: {_show(value)}" for key, value in raw.items())
    return Matcher("{" + describe + "}", checks)


def _check(key: str, operand: object) -> Check:
    if key in ("min", "max"):
        bound = _number(operand)
        if bound is None:
            raise ValueError(f"{key} needs a number, not {operand!r}")
        if key == "min":
            return lambda a, _b: (n := _number(a)) is not None and n >= bound - 1e-9
        return lambda a, _b: (n := _number(a)) is not None and n <= bound + 1e-9
    if key in ("up", "down"):
        if operand is not True:
            raise ValueError(f"{key} takes only true")
        sign = 1 if key == "up" else -1

        def moved(actual: object, before: object) -> bool:
            now, then = _number(actual), _number(before)
            return now is not None and then is not None and sign * (now - then) > 0

        return moved
    if key == "in":
        if not isinstance(operand, list):
            raise ValueError("in needs a list")
        return lambda a, _b: any(equal(option, a) for option in operand)
    if key == "contains":
        if not isinstance(operand, str):
            raise ValueError("contains needs text")
        needle = operand.casefold()
        return lambda a, _b: any(needle in text.casefold() for text in _texts(a))
    if key == "match":
        if not isinstance(operand, str):
            raise ValueError("match needs a regular expression")
        try:
            pattern = re.compile(operand, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"match: bad regular expression {operand!r}: {exc}") from None
        return lambda a, _b: any(pattern.search(text) for text in _texts(a))
    if key == "count":
        if isinstance(operand, bool) or not isinstance(operand, int) or operand < 0:
            raise ValueError("count needs a whole number")
        return lambda a, _b: isinstance(a, list) and len(a) == operand
    inner = compile_matcher(operand)
    return lambda a, b: not inner.holds(a, b)


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
