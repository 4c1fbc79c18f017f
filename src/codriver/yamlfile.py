"""Reading YAML: one place that picks PyYAML's C loader when it is built with libyaml.

codriver's language, device and place data are YAML; parsing them with the pure-Python loader is
most of a cold start. The C loaders (``CSafeLoader``, ``CBaseLoader``) build the same values an
order of magnitude faster; PyYAML without libyaml falls back to the pure-Python ones.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

YAMLError = yaml.YAMLError
"""What a malformed document raises (PyYAML's own error, whichever loader read it)."""

_SAFE: type[yaml.SafeLoader] | type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN: type[yaml.BaseLoader] | type[Any] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
C_LOADER = _SAFE is not yaml.SafeLoader and _PLAIN is not yaml.BaseLoader
"""Whether documents are read by libyaml (the start-up benchmark reports it)."""


def load_yaml(text: str, *, plain: bool = False) -> Any:
    """The document in ``text``: typed scalars (as ``yaml.safe_load``), or with ``plain`` every
    scalar a string (as ``yaml.BaseLoader``: "on", "no" and "1" stay words)."""
    return yaml.load(text, Loader=_PLAIN if plain else _SAFE)


def read_yaml(package: str, resource: str, *, plain: bool = False) -> Any:
    """The YAML file ``resource`` shipped in ``package`` (e.g. ``data/sedan.yaml``)."""
    text = resources.files(package).joinpath(resource).read_text(encoding="utf-8")
    return load_yaml(text, plain=plain)
