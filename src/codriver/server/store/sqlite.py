"""The embedded store: one SQLite file in WAL mode, one process.

A turn is answered only after its entries are committed. With ``synchronous=FULL`` (the
default) the write-ahead log is flushed to the disk at every commit, so an acknowledged turn
survives a crash of the process and a loss of power; with ``normal`` it is written to the file
(the operating system's cache) at every commit and flushed at checkpoints: it survives the
process being killed, not a power loss. The writer thread commits the turns of many cabins
together, so ``full`` costs one flush per batch, not per turn.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

from codriver.errors import ConfigError
from codriver.server.problems import CabinExists, TooManyCabins, UnknownCabin
from codriver.server.store.base import Commit, Delivery, Hold, StoreConflict, StoreError
from codriver.server.store.log import Entry, Opening, Summary, Tail
from codriver.server.store.sqlite_file import (
    FileLock,
    Synchronous,
    Writer,
    connect,
    need_directory,
)

T = TypeVar("T")


def parse(spec: str) -> tuple[Path, Synchronous]:
    """``sqlite:PATH`` or ``sqlite:PATH?synchronous=normal``."""
    parts = urlsplit(spec.removeprefix("sqlite:"))
    level = parse_qs(parts.query).get("synchronous", ["full"])[-1].lower()
    if level not in ("normal", "full"):
        raise ConfigError(f"synchronous={level}: the store takes normal or full")
    if not parts.path:
        raise ConfigError("sqlite: needs a file, as in sqlite:/var/lib/codriver/cabins.db")
    return Path(parts.path).expanduser(), "full" if level == "full" else "normal"


def check(spec: str) -> None:
    """Open the file once, so that a bad path or file is a clear error before the service runs."""
    path, synchronous = parse(spec)
    need_directory(path)
    lock = FileLock(path)
    lock.take()
    try:
        connect(path, synchronous).close()
    finally:
        lock.release()


class SqliteStore:
    """Cabins' openings and logs in one SQLite file, for one process."""

    shared = False

    def __init__(self, spec: str) -> None:
        self.path, self.synchronous = parse(spec)
        self._lock = FileLock(self.path)
        self._writer: Writer | None = None
        self._delivery: Delivery | None = None
        self._ids: set[str] = set()

    async def start(self, delivery: Delivery) -> None:
        need_directory(self.path)
        self._lock.take()
        try:
            self._writer = Writer(connect(self.path, self.synchronous))
        except StoreError:
            self._lock.release()
            raise
        self._delivery = delivery
        rows = await self._run(lambda c: c.execute("SELECT id FROM cabins").fetchall())
        self._ids = {r[0] for r in rows}

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.stop()
            self._writer = None
        self._lock.release()
        self._delivery = None

    async def create(self, opening: Opening, summary: Summary, limit: int) -> None:
        def job(c: sqlite3.Connection) -> None:
            if c.execute("SELECT 1 FROM cabins WHERE id=?", (opening.id,)).fetchone():
                raise CabinExists(f"cabin {opening.id!r} is already open")
            if c.execute("SELECT count(*) FROM cabins").fetchone()[0] >= limit:
                raise TooManyCabins(f"this service holds at most {limit} cabins")
            c.execute(
                "INSERT INTO cabins VALUES (?, ?, ?, ?, ?, 0, 0)",
                (
                    opening.id,
                    opening.to_json(),
                    summary.to_json(),
                    opening.created,
                    opening.created,
                ),
            )

        await self._run(job)
        self._ids.add(opening.id)

    async def hold(self, cabin_id: str, tail: Tail | None) -> Hold:
        if cabin_id not in self._ids:
            raise UnknownCabin(f"no cabin {cabin_id!r}")
        if tail is not None:  # only this process writes: its copy is up to date
            return Hold(cabin_id, start=tail)

        def job(c: sqlite3.Connection) -> Hold:
            row = c.execute("SELECT opening FROM cabins WHERE id=?", (cabin_id,)).fetchone()
            if row is None:
                raise UnknownCabin(f"no cabin {cabin_id!r}")
            bodies = c.execute(
                "SELECT body FROM entries WHERE cabin=? ORDER BY idx", (cabin_id,)
            ).fetchall()
            entries = tuple(Entry.from_json(b[0]) for b in bodies)
            return Hold(cabin_id, opening=Opening.from_json(row[0]), entries=entries)

        return await self._run(job)

    async def commit(self, hold: Hold, commit: Commit) -> None:
        await self._run(lambda c: _write(c, commit))
        if self._delivery is not None and commit.events:
            self._delivery.deliver(commit.cabin_id, commit.version, commit.events)

    async def release(self, hold: Hold) -> None:
        return None

    async def delete(self, cabin_id: str, reason: str) -> bool:
        def job(c: sqlite3.Connection) -> bool:
            c.execute("DELETE FROM entries WHERE cabin=?", (cabin_id,))
            return c.execute("DELETE FROM cabins WHERE id=?", (cabin_id,)).rowcount > 0

        found = await self._run(job)
        self._ids.discard(cabin_id)
        return found

    async def summaries(self) -> list[Summary]:
        query = "SELECT id, summary FROM cabins ORDER BY created, id"
        rows = await self._run(lambda c: c.execute(query).fetchall())
        return [Summary.from_json(r[0], r[1]) for r in rows]

    async def count(self) -> int:
        return len(self._ids)

    async def expired(self, before: float) -> list[str]:
        query = "SELECT id FROM cabins WHERE active < ?"
        rows = await self._run(lambda c: c.execute(query, (before,)).fetchall())
        return [r[0] for r in rows]

    async def keep(self, cabin_ids: Iterable[str], now: float) -> None:
        rows = [(now, cabin_id) for cabin_id in cabin_ids]
        if rows:
            await self._run(lambda c: c.executemany("UPDATE cabins SET active=? WHERE id=?", rows))

    async def watch(self, cabin_id: str) -> None:
        return None

    async def unwatch(self, cabin_id: str) -> None:
        return None

    async def _run(self, job: Callable[[sqlite3.Connection], T]) -> T:
        if self._writer is None:
            raise StoreError("the cabin store is closed")
        return await self._writer.run(job)


def _write(c: sqlite3.Connection, commit: Commit) -> None:
    row = c.execute("SELECT version, entries FROM cabins WHERE id=?", (commit.cabin_id,)).fetchone()
    if row is None:
        raise UnknownCabin(f"no cabin {commit.cabin_id!r}")
    version, count = row
    if version != commit.expect:
        raise StoreConflict(f"cabin {commit.cabin_id!r} moved on meanwhile")
    if commit.grown is not None:
        c.execute(
            "UPDATE entries SET body=? WHERE cabin=? AND idx=?",
            (commit.grown.to_json(), commit.cabin_id, count - 1),
        )
    c.executemany(
        "INSERT INTO entries VALUES (?, ?, ?)",
        [(commit.cabin_id, count + i, e.to_json()) for i, e in enumerate(commit.added)],
    )
    active = "active" if commit.active is None else "?"
    c.execute(
        f"UPDATE cabins SET version=?, entries=?, summary=?, active={active} WHERE id=?",
        (
            commit.version,
            count + len(commit.added),
            commit.summary.to_json(),
            *(() if commit.active is None else (commit.active,)),
            commit.cabin_id,
        ),
    )
