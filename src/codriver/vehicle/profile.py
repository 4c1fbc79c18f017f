"""A vehicle profile: the car's name, its limits on the VSS catalog and its default state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from codriver.errors import ConfigError
from codriver.vehicle.catalog import Catalog, Limit, Rejection, Value
from codriver.yamlfile import YAMLError, load_yaml


@dataclass(frozen=True, slots=True)
class VehicleProfile:
    """What a particular car is: its catalog (narrowed by its limits) and its default state."""

    name: str
    catalog: Catalog
    defaults: Mapping[str, Value]
    battery_capacity_kwh: float = 75.0
    consumption_kwh_per_100km: float = 15.0

    @classmethod
    def load(cls, path: Path | None = None, catalog: Catalog | None = None) -> VehicleProfile:
        """The shipped simulated sedan (read once: every simulated car shares it), or a profile
        file in the same format."""
        if path is None and catalog is None:
            return _packaged()
        return cls._read(path, catalog)

    @classmethod
    def _read(cls, path: Path | None, catalog: Catalog | None) -> VehicleProfile:
        try:
            if path is None:
                res = resources.files("codriver.vehicle").joinpath("data/sedan.yaml")
                raw = load_yaml(res.read_text(encoding="utf-8"))
            else:
                raw = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, YAMLError) as exc:
            raise ConfigError(f"cannot read vehicle profile {path or '(packaged)'}: {exc}") from exc
        if not isinstance(raw, dict):
            raise ConfigError(f"vehicle profile {path or '(packaged)'} is not a mapping")
        base = catalog or Catalog.load()
        narrowed = base.narrowed(_limits(raw.get("limits") or {}))
        return cls(
            name=str(raw.get("name", "vehicle")),
            catalog=narrowed,
            defaults=MappingProxyType(_defaults(narrowed, raw.get("defaults") or {})),
            battery_capacity_kwh=float(raw.get("battery_capacity_kwh", 75.0)),
            consumption_kwh_per_100km=float(raw.get("consumption_kwh_per_100km", 15.0)),
        )


@cache
def _packaged() -> VehicleProfile:
    return VehicleProfile._read(None, None)


def _limits(raw: Mapping[str, Any]) -> list[Limit]:
    limits = []
    for pattern, spec in raw.items():
        if not isinstance(spec, dict):
            raise ConfigError(f"limit {pattern!r} must be a mapping")
        allowed = spec.get("allowed")
        limits.append(
            Limit(
                pattern=str(pattern),
                min=spec.get("min"),
                max=spec.get("max"),
                allowed=tuple(allowed) if allowed is not None else None,
                text_pattern=spec.get("text_pattern"),
            )
        )
    return limits


def _defaults(catalog: Catalog, raw: Mapping[str, Any]) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for pattern, value in raw.items():
        paths = catalog.matching(str(pattern))
        if not paths:
            raise ConfigError(f"default {pattern!r} matches no signal in the catalog")
        for path in paths:
            checked = catalog.validate(path, value)
            if isinstance(checked, Rejection):
                raise ConfigError(f"default for {path}: {checked.message}")
            values[path] = checked
    return values
