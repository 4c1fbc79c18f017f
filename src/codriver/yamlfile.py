"""Reading YAML: one place that picks PyYAML's C loader and keeps parsed documents in a cache.

codriver's language, device and place data are YAML; parsing them was most of a cold start. The
C loaders (``CSafeLoader``, ``CBaseLoader``) parse an order of magnitude faster than the
pure-Python ones (PyYAML without libyaml falls back to those), but still build every value in
Python. So a document of some size is also kept, once parsed, in the user's cache folder in
:mod:`marshal` form, keyed by a hash of its text, the loader and the Python and PyYAML versions:
the next process reads it back several times faster. A changed file has a new key; a cache that
cannot be written or read is skipped. ``CODRIVER_CACHE_DIR`` moves the cache, ``off`` turns it
off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

YAMLError = yaml.YAMLError
"""What a malformed document raises (PyYAML's own error, whichever loader read it)."""

_SAFE: type[yaml.SafeLoader] | type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN: type[yaml.BaseLoader] | type[Any] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
C_LOADER = _SAFE is not yaml.SafeLoader and _PLAIN is not yaml.BaseLoader
"""Whether documents are read by libyaml (the start-up benchmark reports it)."""

CACHE_MIN_CHARS = 2048
"""Smaller documents are parsed every time (a cache read would cost about as much)."""
CACHE_MAX_FILES = 256
"""When a write makes the cache hold more files than this, the older half is removed."""
_VERSION = f"1 {sys.version_info[:2]} {yaml.__version__} {_SAFE.__name__} {_PLAIN.__name__}"


def load_yaml(text: str, *, plain: bool = False) -> Any:
    """The document in ``text``: typed scalars (as ``yaml.safe_load``), or with ``plain`` every
    scalar a string (as ``yaml.BaseLoader``: "on", "no" and "1" stay words)."""
    folder = cache_dir() if len(text) >= CACHE_MIN_CHARS else None
    if folder is None:
        return _parse(text, plain)
    key = hashlib.blake2b(f"{_VERSION} {plain}\n{text}".encode(), digest_size=16).hexdigest()
    cached = folder / f"{key}.marshal"
    try:
        return marshal.loads(cached.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass  # not cached yet, or unreadable: parse it
    value = _parse(text, plain)
    _store(cached, value)
    return value


def read_yaml(package: str, resource: str, *, plain: bool = False) -> Any:
    """The YAML file ``resource`` shipped in ``package`` (e.g. ``data/sedan.yaml``)."""
    text = resources.files(package).joinpath(resource).read_text(encoding="utf-8")
    return load_yaml(text, plain=plain)


def cache_dir() -> Path | None:
    """Where parsed documents are kept: ``CODRIVER_CACHE_DIR``, else ``$XDG_CACHE_HOME`` or
    ``~/.cache``, then ``codriver/yaml``; None when the cache is off."""
    chosen = os.environ.get("CODRIVER_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "codriver" / "yaml"


def _parse(text: str, plain: bool) -> Any:
    return yaml.load(text, Loader=_PLAIN if plain else _SAFE)  # only the safe or base loader


def _store(file: Path, value: Any) -> None:
    """Write the parsed document atomically; values marshal cannot hold (dates) stay uncached."""
    try:
        data = marshal.dumps(value)
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f"{file.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, file)
        _prune(file.parent)
    except (OSError, ValueError):
        return


def _prune(folder: Path) -> None:
    files = list(folder.glob("*.marshal"))
    if len(files) <= CACHE_MAX_FILES:
        return
    files.sort(key=lambda f: f.stat().st_mtime)
    for old in files[: len(files) // 2]:
        old.unlink(missing_ok=True)
