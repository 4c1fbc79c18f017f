"""The in-memory store: cabins live as long as the process (``--store memory``), and the fake
the other stores are measured against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from codriver.server.problems import CabinExists, TooManyCabins, UnknownCabin
from codriver.server.store.base import Commit, Delivery, Hold, StoreConflict
from codriver.server.store.log import Entry, Opening, Summary, Tail


@dataclass
class _Kept:
    opening: Opening
    summary: Summary
    active: float
    log: list[Entry] = field(default_factory=list)
    version: int = 0


class MemoryStore:
    """Every cabin's opening and log in this process."""

    shared = False

    def __init__(self) -> None:
        self._cabins: dict[str, _Kept] = {}
        self._delivery: Delivery | None = None

    async def start(self, delivery: Delivery) -> None:
        self._delivery = delivery

    async def close(self) -> None:
        self._delivery = None

    async def create(self, opening: Opening, summary: Summary, limit: int) -> None:
        if opening.id in self._cabins:
            raise CabinExists(f"cabin {opening.id!r} is already open")
        if len(self._cabins) >= limit:
            raise TooManyCabins(f"this service holds at most {limit} cabins")
        self._cabins[opening.id] = _Kept(opening, summary, opening.created)

    async def hold(self, cabin_id: str, tail: Tail | None) -> Hold:
        kept = self._get(cabin_id)
        if tail is None:
            return Hold(cabin_id, opening=kept.opening, entries=tuple(kept.log))
        return Hold(cabin_id, start=tail)

    async def commit(self, hold: Hold, commit: Commit) -> None:
        kept = self._get(commit.cabin_id)
        if kept.version != commit.expect:
            raise StoreConflict(f"cabin {commit.cabin_id!r} moved on meanwhile")
        if commit.grown is not None:
            kept.log[-1] = commit.grown
        kept.log.extend(commit.added)
        kept.version = commit.version
        kept.summary = commit.summary
        if commit.active is not None:
            kept.active = commit.active
        if self._delivery is not None and commit.events:
            self._delivery.deliver(commit.cabin_id, commit.version, commit.events)

    async def release(self, hold: Hold) -> None:
        return None

    async def delete(self, cabin_id: str, reason: str) -> bool:
        return self._cabins.pop(cabin_id, None) is not None

    async def summaries(self) -> list[Summary]:
        return [k.summary for k in self._cabins.values()]

    async def count(self) -> int:
        return len(self._cabins)

    async def expired(self, before: float) -> list[str]:
        return [cabin_id for cabin_id, k in self._cabins.items() if k.active < before]

    async def keep(self, cabin_ids: Iterable[str], now: float) -> None:
        for cabin_id in cabin_ids:
            if cabin_id in self._cabins:
                self._cabins[cabin_id].active = now

    async def watch(self, cabin_id: str) -> None:
        return None

    async def unwatch(self, cabin_id: str) -> None:
        return None

    def entries(self, cabin_id: str) -> list[Entry]:
        """A cabin's log as stored (for tests and tools)."""
        return list(self._get(cabin_id).log)

    def _get(self, cabin_id: str) -> _Kept:
        kept = self._cabins.get(cabin_id)
        if kept is None:
            raise UnknownCabin(f"no cabin {cabin_id!r}")
        return kept
