"""The store's seam: where cabins' openings and logs live, how a turn holds a cabin, and how
the events of a stored turn reach every listener.

A turn on a cabin: :meth:`Store.hold` it (on a shared store: take its lock and read the entries
this copy has not seen), apply the input, then :meth:`Store.commit` the new entries — the turn is
answered only after that returns — or :meth:`Store.release` it when nothing was logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from codriver.errors import BackendError
from codriver.server.events import Event
from codriver.server.store.log import Entry, Opening, Summary, Tail


class StoreError(BackendError):
    """The store cannot be used: unreachable, unreadable, or not a codriver store (503 for a
    request; a clear error at start)."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message, retryable=retryable)


class StoreConflict(StoreError):
    """This copy of a cabin fell behind while it held it (its lock expired and another worker
    wrote): the turn is not stored; the copy is dropped and rebuilt from the log."""


class Delivery(Protocol):
    """Who hears of stored turns and closed cabins (the service's cabins)."""

    def deliver(self, cabin_id: str, version: int, events: Sequence[Event]) -> None: ...

    def closed(self, cabin_id: str, reason: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Hold:
    """One turn's hold on a cabin, and what its copy must read first."""

    cabin_id: str
    token: str = ""
    opening: Opening | None = None
    """Set when the caller has no copy: build one from here, then apply ``entries``."""
    entries: tuple[Entry, ...] = ()
    """Entries from ``start.entries - 1`` on: the first may be the copy's last entry, grown."""
    start: Tail = field(default_factory=Tail)
    watched: bool = False
    """Someone streams this cabin's events on another worker (build them)."""


@dataclass(frozen=True, slots=True)
class Commit:
    """What one turn adds to a cabin's log, checked against the version it was applied to."""

    cabin_id: str
    expect: int
    version: int
    grown: Entry | None
    """The log's last entry grown by the turn's first entries (a longer run of ticks)."""
    added: tuple[Entry, ...]
    summary: Summary
    active: float | None
    """Real time of the turn when a client caused it (None: time passing alone)."""
    events: tuple[Event, ...] = ()


class Store(Protocol):
    """Cabins' openings and logs: in memory, in SQLite, or in Redis shared by many workers."""

    shared: bool
    """Other processes write to it too, so a copy must catch up before each turn."""

    async def start(self, delivery: Delivery) -> None: ...

    async def close(self) -> None: ...

    async def create(self, opening: Opening, summary: Summary, limit: int) -> None:
        """Store a new cabin; CabinExists, or TooManyCabins when ``limit`` are stored."""

    async def hold(self, cabin_id: str, tail: Tail | None) -> Hold:
        """Hold the cabin for one turn (UnknownCabin when there is none); ``tail`` is how far the
        caller's copy has read, None without a copy."""

    async def commit(self, hold: Hold, commit: Commit) -> None:
        """Store the turn's entries, durably, then let the hold go; StoreConflict when the log
        is not at ``commit.expect`` any more. Its events are delivered after."""

    async def release(self, hold: Hold) -> None: ...

    async def delete(self, cabin_id: str, reason: str) -> bool:
        """Forget a cabin; listeners on other workers are told with ``reason``."""

    async def summaries(self) -> list[Summary]: ...

    async def count(self) -> int: ...

    async def expired(self, before: float) -> list[str]:
        """Cabins no client acted on since ``before`` (real time)."""

    async def keep(self, cabin_ids: Iterable[str], now: float) -> None:
        """Clients are watching these cabins: they are active at ``now``."""

    async def watch(self, cabin_id: str) -> None:
        """This process streams the cabin's events: deliver them here (from any worker)."""

    async def unwatch(self, cabin_id: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Written:
    """A turn's entries laid onto a log: what the store writes, and the copy's new tail."""

    grown: Entry | None
    added: tuple[Entry, ...]
    tail: Tail
    last: Entry | None


def lay(tail: Tail, last: Entry | None, entries: Sequence[Entry]) -> Written:
    """Lay ``entries`` after a log read up to ``tail`` (whose last entry is ``last``): a tick
    that repeats the one before only grows its run."""
    grown: Entry | None = None
    added: list[Entry] = []
    for entry in entries:
        before = added[-1] if added else grown or last
        if before is not None and before.joins(entry):
            if added:
                added[-1] = before.grown(entry.n)
            else:
                grown = before.grown(entry.n)
        else:
            added.append(entry)
    final = added[-1] if added else grown or last
    version = tail.version + sum(e.n for e in entries)
    count = tail.entries + len(added)
    return Written(grown, tuple(added), Tail(count, final.n if final else 0, version), final)
