"""The broker's metadata against codriver's catalog, at start: what the broker has, what it lacks,
and where the two disagree — reported before the first turn, never discovered during one.

A signal whose meaning differs (another unit, a datatype of another kind: text for a number) is
not used: it reads as unknown and cannot be set, so a rule on it fails closed. Where the broker only
accepts less (a narrower range, fewer allowed values, a sensor where codriver expects an actuator)
codriver's catalog is narrowed to match, so the gate refuses up front and says what is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from codriver.vehicle.catalog import Catalog, SignalKind, SignalSpec

Effect = Literal["unused", "narrowed", "converted"]
_NUMBERS = frozenset(
    ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float", "double")
)
SHOWN = 12
"""Mismatches listed one by one in the report; the rest are counted."""


@dataclass(frozen=True, slots=True)
class BrokerSignal:
    """What the broker says of one signal (read from ``ListMetadata``)."""

    path: str
    datatype: str | None
    kind: SignalKind | None
    unit: str = ""
    min: float | None = None
    max: float | None = None
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One disagreement, and what codriver does about it."""

    path: str
    field: str
    ours: str
    theirs: str
    effect: Effect

    def line(self) -> str:
        here, there = f"{self.field} {self.ours} here", f"{self.theirs} on the broker"
        return f"{self.path}: {here}, {there} ({self.effect})"


@dataclass(frozen=True, slots=True)
class Reconciled:
    """codriver's catalog as this broker allows it, and the signals it can use there."""

    catalog: Catalog
    usable: dict[str, BrokerSignal]
    missing: tuple[str, ...]
    extra: int
    mismatches: tuple[Mismatch, ...]

    def report(self) -> list[str]:
        """Lines for the occupant's operator at start: coverage, then every mismatch."""
        total = len(self.catalog)
        lines = [
            f"{len(self.usable)} of {total} codriver signals usable on the broker "
            f"({len(self.missing)} missing there, {self.extra} of its own not used)"
        ]
        lines.extend(m.line() for m in self.mismatches[:SHOWN])
        if len(self.mismatches) > SHOWN:
            lines.append(f"… and {len(self.mismatches) - SHOWN} more mismatches")
        return lines


def reconcile(catalog: Catalog, broker: Iterable[BrokerSignal]) -> Reconciled:
    """Compare every signal of ``catalog`` with the broker's own description of it."""
    theirs = {signal.path: signal for signal in broker}
    specs: list[SignalSpec] = []
    usable: dict[str, BrokerSignal] = {}
    mismatches: list[Mismatch] = []
    for spec in catalog:
        signal = theirs.get(spec.path)
        if signal is None:
            specs.append(spec)
            continue
        found = _compare(spec, signal)
        mismatches.extend(found)
        if not any(m.effect == "unused" for m in found):
            usable[spec.path] = signal
        specs.append(_narrow(spec, signal))
    missing = tuple(s.path for s in catalog if s.path not in theirs)
    extra = sum(1 for path in theirs if path not in catalog)
    return Reconciled(Catalog(specs, catalog.origin), usable, missing, extra, tuple(mismatches))


def _compare(spec: SignalSpec, signal: BrokerSignal) -> list[Mismatch]:
    out: list[Mismatch] = []
    if signal.datatype is not None and signal.datatype != spec.datatype:
        both_numbers = spec.datatype in _NUMBERS and signal.datatype in _NUMBERS
        effect: Effect = "converted" if both_numbers else "unused"
        out.append(Mismatch(spec.path, "datatype", spec.datatype, signal.datatype, effect))
    if spec.unit and signal.unit and spec.unit != signal.unit:
        out.append(Mismatch(spec.path, "unit", spec.unit, signal.unit, "unused"))
    if spec.kind == "actuator" and signal.kind in ("sensor", "attribute"):
        out.append(Mismatch(spec.path, "kind", spec.kind, signal.kind, "narrowed"))
    out.extend(_bounds(spec, signal))
    if signal.allowed and spec.allowed is not None and set(signal.allowed) != set(spec.allowed):
        common = [a for a in spec.allowed if a in signal.allowed]
        effect = "narrowed" if common else "unused"
        ours, there = ", ".join(spec.allowed), ", ".join(signal.allowed)
        out.append(Mismatch(spec.path, "allowed values", ours, there, effect))
    return out


def _bounds(spec: SignalSpec, signal: BrokerSignal) -> list[Mismatch]:
    low, high = spec.bounds()
    out = []
    if signal.min is not None and (low is None or signal.min > low):
        out.append(Mismatch(spec.path, "minimum", _num(low), _num(signal.min), "narrowed"))
    if signal.max is not None and (high is None or signal.max < high):
        out.append(Mismatch(spec.path, "maximum", _num(high), _num(signal.max), "narrowed"))
    return out


def _narrow(spec: SignalSpec, signal: BrokerSignal) -> SignalSpec:
    """``spec`` accepting no more than the broker does."""
    low, high = spec.bounds()
    kind: SignalKind = spec.kind
    if spec.kind == "actuator" and signal.kind in ("sensor", "attribute"):
        kind = "sensor"
    allowed = spec.allowed
    if signal.allowed and allowed is not None:
        allowed = tuple(a for a in allowed if a in signal.allowed)
    return replace(
        spec,
        kind=kind,
        min=_tighter(spec.min, low, signal.min, higher=True),
        max=_tighter(spec.max, high, signal.max, higher=False),
        allowed=allowed,
    )


def _tighter(
    own: float | None, effective: float | None, theirs: float | None, *, higher: bool
) -> float | None:
    """The bound that accepts less: the higher minimum, the lower maximum."""
    if theirs is None:
        return own
    if effective is None:
        return theirs
    return max(effective, theirs) if higher else min(effective, theirs)


def _num(number: float | None) -> str:
    if number is None:
        return "none"
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def broker_signals(messages: Iterable[Any]) -> list[BrokerSignal]:
    """``ListMetadata``'s entries as :class:`BrokerSignal` values."""
    from codriver.vehicle.kuksa.convert import datatype_name, from_value, kind_name

    out = []
    for meta in messages:
        low = from_value(meta.min) if meta.HasField("min") else None
        high = from_value(meta.max) if meta.HasField("max") else None
        allowed = from_value(meta.allowed_values) if meta.HasField("allowed_values") else None
        out.append(
            BrokerSignal(
                path=str(meta.path),
                datatype=datatype_name(int(meta.data_type)),
                kind=kind_name(int(meta.entry_type)),
                unit=str(meta.unit),
                min=_number(low),
                max=_number(high),
                allowed=tuple(str(a) for a in allowed) if isinstance(allowed, list) else (),
            )
        )
    return out


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
