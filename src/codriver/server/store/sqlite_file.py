"""The SQLite file under the store: opening it (WAL, the synchronous level asked for), checking
it is a codriver store, holding it for one process, and a writer thread that commits the writes
of many turns together (group commit), so the event loop never waits on the disk."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from codriver.errors import CodriverError
from codriver.server.store.base import StoreError

T = TypeVar("T")
Synchronous = Literal["normal", "full"]
SCHEMA = 1
BATCH = 256
"""Jobs committed in one transaction at most."""

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cabins (
  id TEXT PRIMARY KEY, opening TEXT NOT NULL, summary TEXT NOT NULL, created REAL NOT NULL,
  active REAL NOT NULL, version INTEGER NOT NULL, entries INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
  cabin TEXT NOT NULL, idx INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (cabin, idx)
) WITHOUT ROWID;
"""


def default_path() -> Path:
    """Where cabins are kept unless told: ``$XDG_DATA_HOME/codriver/cabins.db``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "codriver" / "cabins.db"


def need_directory(path: Path) -> None:
    if not path.parent.is_dir():
        raise StoreError(
            f"cannot keep cabins in {path}: no directory {path.parent}", retryable=False
        )


def connect(path: Path, synchronous: Synchronous) -> sqlite3.Connection:
    """The file opened and checked; StoreError says plainly what is wrong with it."""
    need_directory(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={synchronous.upper()}")
        conn.execute("PRAGMA busy_timeout=5000")
        _check_schema(conn, path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot keep cabins in {path}: {exc}", retryable=False) from exc
    return conn


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables and "meta" not in tables:
        raise StoreError(f"{path} is an SQLite file but not codriver's store", retryable=False)
    conn.executescript(_TABLES)
    found = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    if found is None:
        conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
    elif found[0] != str(SCHEMA):
        raise StoreError(f"{path} is codriver's store of schema {found[0]}, not {SCHEMA}")


class FileLock:
    """One process keeps a store file at a time (two would interleave cabins' logs)."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".lock")
        self._fd: int | None = None

    def take(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise StoreError(
                f"{self.path.with_suffix('')} is in use by process {holder}: one process per "
                "SQLite store (give this one another --store, or use Redis for several workers)",
                retryable=False,
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # the kernel lets the lock go with the file, or with the process
            self._fd = None


@dataclass(eq=False)
class _Job:
    run: Callable[[sqlite3.Connection], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


class Writer:
    """A thread that owns the connection and runs jobs in batches, one transaction each: a
    job's future is resolved only after its transaction is committed."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="codriver-sqlite", daemon=True)
        self._thread.start()

    async def run(self, job: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(_Job(job, future, loop))
        return await future

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=30)
        self._conn.close()

    def _loop(self) -> None:
        while (first := self._jobs.get()) is not None:
            batch = [first]
            with contextlib.suppress(queue.Empty):
                while len(batch) < BATCH:
                    job = self._jobs.get_nowait()
                    if job is None:
                        self._jobs.put(None)  # stop after this batch
                        break
                    batch.append(job)
            self._commit(batch)

    def _commit(self, batch: list[_Job]) -> None:
        conn = self._conn
        outcomes: list[tuple[bool, Any]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for job in batch:
                outcomes.append(self._one(job))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            failure = StoreError(f"the cabin store failed: {exc}")
            outcomes = [(False, failure)] * len(batch)
        for job, (ok, value) in zip(batch, outcomes, strict=True):
            job.loop.call_soon_threadsafe(_settle, job.future, ok, value)

    def _one(self, job: _Job) -> tuple[bool, Any]:
        """One job in its own savepoint: a refused one (CabinExists, say) undoes only itself."""
        self._conn.execute("SAVEPOINT job")
        try:
            value = job.run(self._conn)
        except (CodriverError, sqlite3.IntegrityError) as exc:
            self._conn.execute("ROLLBACK TO job")
            self._conn.execute("RELEASE job")
            return False, exc
        self._conn.execute("RELEASE job")
        return True, value


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():  # the caller went away; what was committed stays committed
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
