"""The VSS signal catalog: what each signal is, and which values it accepts.

The catalog is generated from COVESA VSS by ``scripts/gen_vss_catalog.py``; a vehicle profile may
narrow it (a car's climate accepts 16-32 °C where VSS sets no bounds). Validation returns values,
never raises: a write outside the accepted values is a :class:`Rejection` that says why and what is
accepted.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path
from typing import Literal, TypeAlias

from codriver.errors import CatalogError

Value: TypeAlias = bool | int | float | str | list[str]
"""A signal value: VSS booleans, integers, floats, strings and string arrays."""

SignalKind = Literal["sensor", "actuator", "attribute"]
RejectionCode = Literal["unknown_signal", "wrong_type", "out_of_range", "not_allowed", "read_only"]

_INT_RANGES = {
    "uint8": (0, 2**8 - 1),
    "int8": (-(2**7), 2**7 - 1),
    "uint16": (0, 2**16 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "uint32": (0, 2**32 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "uint64": (0, 2**64 - 1),
    "int64": (-(2**63), 2**63 - 1),
}
_FLOATS = {"float", "double"}


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a value was not accepted for a signal, and what would be."""

    path: str
    code: RejectionCode
    message: str
    accepted: str | None = None


@dataclass(frozen=True, slots=True)
class SignalSpec:
    """One VSS signal: its kind, datatype, unit and accepted values."""

    path: str
    kind: SignalKind
    datatype: str
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    description: str = ""

    @property
    def writable(self) -> bool:
        return self.kind == "actuator"

    def accepted(self) -> str | None:
        """The accepted values in words, e.g. ``16–32 Celsius`` or ``OFF, SLOW, FAST``."""
        if self.allowed:
            return ", ".join(self.allowed)
        low, high = self.bounds()
        unit = f" {self.unit}" if self.unit else ""
        if low is not None and high is not None and self.datatype in _FLOATS | set(_INT_RANGES):
            return f"{_fmt(low)}–{_fmt(high)}{unit}"
        return None

    def bounds(self) -> tuple[float | None, float | None]:
        """The effective numeric bounds: the spec's min/max within the datatype's own range."""
        low: float | None
        high: float | None
        low, high = _INT_RANGES.get(self.datatype, (None, None))
        if self.min is not None:
            low = self.min if low is None else max(low, self.min)
        if self.max is not None:
            high = self.max if high is None else min(high, self.max)
        return low, high

    def coerce(self, value: object) -> Value | Rejection:
        """``value`` in this signal's datatype, or why it cannot be."""
        if self.datatype == "boolean":
            if isinstance(value, bool):
                return value
            return self._reject("wrong_type", f"expects true or false, not {value!r}")
        if self.datatype in _INT_RANGES or self.datatype in _FLOATS:
            return self._coerce_number(value)
        if self.datatype == "string":
            return self._coerce_string(value)
        if self.datatype.endswith("[]"):
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                return list(value)
            return self._reject("wrong_type", f"expects a list of strings, not {value!r}")
        return self._reject("wrong_type", f"has an unsupported datatype {self.datatype}")

    def _coerce_number(self, value: object) -> Value | Rejection:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return self._reject("wrong_type", f"expects a number, not {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            return self._reject("wrong_type", f"expects a finite number, not {value!r}")
        number: int | float = value
        if self.datatype in _INT_RANGES:
            if isinstance(value, float) and not value.is_integer():
                return self._reject("wrong_type", f"expects a whole number, not {value!r}")
            number = int(value)
        elif isinstance(value, int):
            number = float(value)
        low, high = self.bounds()
        if (low is not None and number < low) or (high is not None and number > high):
            return self._reject("out_of_range", f"accepts {self.accepted()}, not {_fmt(number)}")
        return number

    def _coerce_string(self, value: object) -> Value | Rejection:
        if not isinstance(value, str):
            return self._reject("wrong_type", f"expects text, not {value!r}")
        if self.allowed is not None:
            for option in self.allowed:
                if option.casefold() == value.casefold():
                    return option
            return self._reject("not_allowed", f"accepts {self.accepted()}, not {value!r}")
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            return self._reject("not_allowed", f"expects text like {self.pattern}, not {value!r}")
        return value

    def _reject(self, code: RejectionCode, detail: str) -> Rejection:
        return Rejection(self.path, code, f"{self.path} {detail}", self.accepted())


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


@dataclass(frozen=True, slots=True)
class Limit:
    """A vehicle's own narrowing of signals matched by a glob (its accepted range or format)."""

    pattern: str
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] | None = None
    text_pattern: str | None = None


class Catalog:
    """The signals a vehicle has, by VSS path."""

    def __init__(self, signals: Iterable[SignalSpec], origin: Mapping[str, str] | None = None):
        self._signals = {spec.path: spec for spec in signals}
        self.origin = dict(origin or {})

    @classmethod
    def load(cls, path: Path | None = None) -> Catalog:
        """The catalog shipped with codriver, or one in the same JSON format."""
        try:
            if path is None:
                text = resources.files("codriver.vehicle").joinpath("data/vss_catalog.json")
                raw = json.loads(text.read_text(encoding="utf-8"))
            else:
                raw = json.loads(path.read_text(encoding="utf-8"))
            specs = [_spec_from_json(item) for item in raw["signals"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CatalogError(
                f"cannot read the signal catalog {path or '(packaged)'}: {exc}"
            ) from exc
        return cls(specs, raw.get("origin"))

    def narrowed(self, limits: Iterable[Limit]) -> Catalog:
        """A copy with a vehicle's limits applied to every signal each limit's glob matches."""
        specs = dict(self._signals)
        for limit in limits:
            matched = [p for p in specs if fnmatchcase(p, limit.pattern)]
            if not matched:
                raise CatalogError(f"limit {limit.pattern!r} matches no signal in the catalog")
            for path in matched:
                spec = specs[path]
                specs[path] = replace(
                    spec,
                    min=limit.min if limit.min is not None else spec.min,
                    max=limit.max if limit.max is not None else spec.max,
                    allowed=limit.allowed if limit.allowed is not None else spec.allowed,
                    pattern=limit.text_pattern or spec.pattern,
                )
        return Catalog(specs.values(), self.origin)

    def __contains__(self, path: object) -> bool:
        return path in self._signals

    def __iter__(self) -> Iterator[SignalSpec]:
        return iter(self._signals.values())

    def __len__(self) -> int:
        return len(self._signals)

    def get(self, path: str) -> SignalSpec | None:
        return self._signals.get(path)

    def spec(self, path: str) -> SignalSpec:
        """The spec of ``path``; raises :class:`CatalogError` naming close matches if unknown."""
        spec = self._signals.get(path)
        if spec is None:
            raise CatalogError(_unknown(path, self._signals))
        return spec

    def under(self, prefix: str) -> list[str]:
        """Paths equal to ``prefix`` or below it (``Vehicle.Cabin.HVAC`` → all HVAC signals)."""
        return [p for p in self._signals if p == prefix or p.startswith(prefix + ".")]

    def matching(self, pattern: str) -> list[str]:
        return [p for p in self._signals if fnmatchcase(p, pattern)]

    def validate(self, path: str, value: object, *, write: bool = False) -> Value | Rejection:
        """``value`` coerced to ``path``'s datatype, or a rejection (``write``: by a command)."""
        spec = self._signals.get(path)
        if spec is None:
            return Rejection(path, "unknown_signal", _unknown(path, self._signals))
        if write and not spec.writable:
            return Rejection(path, "read_only", f"{path} is a {spec.kind}: it cannot be set")
        return spec.coerce(value)


def _unknown(path: str, known: Mapping[str, SignalSpec]) -> str:
    near = difflib.get_close_matches(path, list(known), n=3, cutoff=0.8)
    hint = f" (did you mean {', '.join(near)}?)" if near else ""
    return f"unknown signal {path!r}{hint}"


def _spec_from_json(item: Mapping[str, object]) -> SignalSpec:
    allowed = item.get("allowed")
    kind = str(item["type"])
    if kind not in ("sensor", "actuator", "attribute"):
        raise ValueError(f"{item['path']}: unknown signal type {kind!r}")
    return SignalSpec(
        path=str(item["path"]),
        kind=kind,  # type: ignore[arg-type]
        datatype=str(item["datatype"]),
        unit=_opt_str(item.get("unit")),
        min=_opt_num(item.get("min")),
        max=_opt_num(item.get("max")),
        allowed=tuple(str(a) for a in allowed) if isinstance(allowed, list) else None,
        description=str(item.get("description") or ""),
    )


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_num(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {value!r}")
    return value
