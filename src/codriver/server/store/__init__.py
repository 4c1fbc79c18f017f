"""Where the service keeps its cabins: in memory, in an SQLite file (the embedded default), or
in Redis shared by every worker of a fleet. See ``docs/server.md`` ("State that survives")."""

from __future__ import annotations

from codriver.errors import ConfigError
from codriver.server.store.base import (
    Commit,
    Delivery,
    Hold,
    Store,
    StoreConflict,
    StoreError,
)
from codriver.server.store.memory import MemoryStore


def open_store(spec: str) -> Store:
    """The store ``spec`` names: ``memory``, ``sqlite:PATH`` or ``redis://HOST:PORT/DB``."""
    if spec == "memory":
        return MemoryStore()
    if spec.startswith("sqlite:"):
        from codriver.server.store.sqlite import SqliteStore

        return SqliteStore(spec)
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from codriver.server.store.redis import RedisStore

        return RedisStore(spec)
    raise ConfigError(f"unknown store {spec!r}: memory, sqlite:PATH or redis://HOST:PORT/DB")


__all__ = [
    "Commit",
    "Delivery",
    "Hold",
    "MemoryStore",
    "Store",
    "StoreConflict",
    "StoreError",
    "open_store",
]
