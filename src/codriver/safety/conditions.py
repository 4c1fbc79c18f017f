"""Conditions the safety rules are written in: a plain value, or a comparison."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Op = Literal["eq", "ne", "gt", "ge", "lt", "le", "in", "not_in"]
_OPS: tuple[Op, ...] = ("eq", "ne", "gt", "ge", "lt", "le", "in", "not_in")
_UNKNOWN = "or_unknown"
"""``{lt: 20, or_unknown: true}``: also holds when the value is unknown (None): fail closed."""


@dataclass(frozen=True, slots=True)
class Condition:
    """All of ``tests`` hold for a value, e.g. ``((gt, 0), (lt, 50))``."""

    tests: tuple[tuple[Op, object], ...]
    or_unknown: bool = False

    @classmethod
    def parse(cls, raw: object, where: str) -> Condition:
        if not isinstance(raw, Mapping):
            return cls((("eq", raw),))
        tests = []
        or_unknown = raw.get(_UNKNOWN, False)
        if not isinstance(or_unknown, bool):
            raise ValueError(f"{where}: {_UNKNOWN!r} is true or false")
        for key, operand in raw.items():
            if key == _UNKNOWN:
                continue
            if key not in _OPS:
                raise ValueError(f"{where}: unknown comparison {key!r} (use {', '.join(_OPS)})")
            if key in ("in", "not_in") and not isinstance(operand, list):
                raise ValueError(f"{where}: {key!r} needs a list")
            tests.append((key, operand))
        if not tests:
            raise ValueError(f"{where}: empty condition")
        return cls(tuple(tests), or_unknown)

    def witness(self) -> object:
        """A value for which the condition holds, when a plain one does ("over 100" → 101):
        the world a rule on it fires in. None when none is obvious (``ne``, ``not_in``, a range
        that needs both ends)."""
        if len(self.tests) != 1:
            return None
        op, operand = self.tests[0]
        if op in ("eq", "ge", "le"):
            return operand
        if op == "in" and isinstance(operand, list) and operand:
            return operand[0]
        number = isinstance(operand, int | float) and not isinstance(operand, bool)
        if op in ("gt", "lt") and number:
            return operand + (1 if op == "gt" else -1)  # type: ignore[operator]
        return None

    def holds(self, value: object) -> bool:
        if value is None and self.or_unknown:
            return True
        return all(_test(op, value, operand) for op, operand in self.tests)


def _test(op: Op, value: object, operand: object) -> bool:
    if op == "eq":
        return _same(value, operand)
    if op == "ne":
        return not _same(value, operand)
    if op in ("in", "not_in"):
        inside = any(_same(value, item) for item in operand)  # type: ignore[attr-defined]
        return inside if op == "in" else not inside
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(operand, bool) or not isinstance(operand, int | float):
        return False
    return {
        "gt": value > operand,
        "ge": value >= operand,
        "lt": value < operand,
        "le": value <= operand,
    }[op]


def _same(a: object, b: object) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b
