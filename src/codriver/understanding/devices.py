"""Device specs (``data/devices.yaml``): how the tools drive each device the lexicon names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from codriver.errors import ConfigError
from codriver.yamlfile import load_yaml

KINDS = (
    "switch", "level", "position", "mode", "sunroof", "wipers", "media", "navigation", "phone",
    "gear", "status", "automation", "trip", "profile", "nearby", "absent", "cruise", "source",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ToolRef:
    tool: str
    arg: str
    args: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DeviceSpec:
    name: str
    kind: str
    tool: str | None = None
    arg: str | None = None
    args: Mapping[str, object] = field(default_factory=dict)
    set: ToolRef | None = None
    adjust: ToolRef | None = None
    switch: ToolRef | None = None
    color: ToolRef | None = None
    on: ToolRef | None = None
    off: ToolRef | None = None
    step: float = 10
    lot: float = 30
    range: tuple[float, float] = (0, 100)
    unit: str | None = None
    on_level: float | None = None
    off_level: float | None = None
    little_open: float = 20
    zone_arg: str | None = None
    invert: bool = False
    negative: bool = False
    up_closes: bool = False
    up_opens: bool = False
    redirect: str | None = None
    modes: str | None = None
    order: tuple[str, ...] = ()
    path: str | None = None
    on_value: str | None = None
    off_value: str | None = None
    topic: str | None = None
    status: str | None = None
    close_all: bool = False
    zoned_device: str | None = None
    part_of: str | None = None
    zones: tuple[str, ...] = ()
    down_reclines: bool = False
    needs_verb: bool = False
    """Named alone ("the trunk"), it is asked about, not opened: guessing could be the opposite."""


def _ref(raw: object, where: str) -> ToolRef | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "tool" not in raw:
        raise ConfigError(f"{where}: a tool reference needs 'tool'")
    return ToolRef(str(raw["tool"]), str(raw.get("arg", "")), dict(raw.get("args") or {}))


@cache
def load_devices() -> dict[str, DeviceSpec]:
    text = (
        resources.files("codriver.understanding").joinpath("data/devices.yaml").read_text("utf-8")
    )
    raw: dict[str, Any] = load_yaml(text)
    specs = {}
    for name, item in raw.items():
        where = f"devices.yaml: {name}"
        if item.get("kind") not in KINDS:
            raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}")
        refs = {
            k: _ref(item.get(k), f"{where}.{k}")
            for k in ("set", "adjust", "switch", "color", "on", "off")
        }
        plain = {k: v for k, v in item.items() if k not in refs}
        if "range" in plain:
            plain["range"] = tuple(plain["range"])
        for key in ("order", "zones"):
            if key in plain:
                plain[key] = tuple(plain[key])
        try:
            specs[name] = DeviceSpec(name=name, **plain, **refs)  # type: ignore[arg-type]
        except TypeError as exc:
            raise ConfigError(f"{where}: {exc}") from exc
    return specs
