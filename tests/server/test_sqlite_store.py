"""The SQLite store: a cabin comes back from the file as it was; one process holds a file; a
file that is not a codriver store is refused; concurrent turns of many cabins are all kept."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the [server] extra is not installed")

from test_store import Wall, chinese, english, portrait, service

from codriver.server.cabins import Cabins
from codriver.server.store.base import StoreError
from codriver.server.store.sqlite import SqliteStore, check


def test_a_cabin_comes_back_from_the_file_as_it_was(tmp_path: Path) -> None:
    spec = f"sqlite:{tmp_path / 'cabins.db'}"

    async def scenario() -> tuple[dict[str, Any], dict[str, Any], int]:
        wall = Wall()
        first = service(SqliteStore(spec), wall)
        await first.start()
        await first.open("c", lang="en")
        await english(first, wall)
        await first.open("d", lang="zh")
        before = await portrait(first, "c")
        await first.shutdown()
        second = service(SqliteStore(spec), wall)
        await second.start()
        after = await portrait(second, "c")
        listed = len(await second.listing())
        await second.shutdown()
        return before, after, listed

    before, after, listed = asyncio.run(scenario())
    assert after == before
    assert listed == 2


def test_one_process_holds_a_file(tmp_path: Path) -> None:
    spec = f"sqlite:{tmp_path / 'cabins.db'}"

    async def scenario() -> str:
        first = service(SqliteStore(spec), Wall())
        await first.start()
        try:
            with pytest.raises(StoreError) as refused:
                await service(SqliteStore(spec), Wall()).start()
        finally:
            await first.shutdown()
        third = service(SqliteStore(spec), Wall())
        await third.start()  # free again once the first stopped
        await third.shutdown()
        return str(refused.value)

    assert "in use by process" in asyncio.run(scenario())


def test_a_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(StoreError, match="not codriver's store"):
        check(f"sqlite:{path}")
    with sqlite3.connect(path) as other:  # and it was left as it was
        tables = [r[0] for r in other.execute("SELECT name FROM sqlite_master")]
    assert tables == ["notes"]


def test_concurrent_turns_of_many_cabins_are_all_kept(tmp_path: Path) -> None:
    spec = f"sqlite:{tmp_path / 'cabins.db'}?synchronous=normal"
    names = [f"c{n}" for n in range(12)]

    async def drive(cabins: Cabins, name: str, n: int) -> None:
        for turn in range(6):
            await cabins.say(name, f"set the temperature to {16 + (n + turn) % 14}", "driver", None)

    async def scenario() -> tuple[list[int], list[Any]]:
        first = service(SqliteStore(spec), Wall(), tick_seconds=None)
        await first.start()
        for name in names:
            await first.open(name)
        await asyncio.gather(*(drive(first, name, n) for n, name in enumerate(names)))
        await first.shutdown()
        second = service(SqliteStore(spec), Wall(), tick_seconds=None)
        await second.start()
        listed = await second.listing()
        temperatures = []
        for name in names:
            async with second.reading(name) as cabin:
                path = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"
                temperatures.append(await cabin.assistant.read(path))
        await second.shutdown()
        return [c["turns"] for c in listed], temperatures

    turns, temperatures = asyncio.run(scenario())
    assert turns == [6] * len(names)
    assert temperatures == [16 + (n + 5) % 14 for n in range(len(names))]


@pytest.mark.parametrize("script", [chinese], ids=["zh"])
def test_the_log_holds_one_entry_per_input(tmp_path: Path, script: Any) -> None:
    spec = f"sqlite:{tmp_path / 'cabins.db'}"

    async def scenario() -> list[tuple[str, int]]:
        wall = Wall()
        cabins = service(SqliteStore(spec), wall)
        await cabins.start()
        await cabins.open("c", lang="zh")
        await script(cabins, wall)
        await cabins.shutdown()
        with sqlite3.connect(tmp_path / "cabins.db") as db:
            rows = db.execute("SELECT body FROM entries WHERE cabin='c' ORDER BY idx").fetchall()
        return [(json.loads(r[0])["op"], json.loads(r[0]).get("n", 1)) for r in rows]

    ops = asyncio.run(scenario())
    assert ops == [
        ("say", 1),
        ("say", 1),
        ("say", 1),
        ("say", 1),
        ("advance", 1),
        ("profile", 1),
        ("feed", 1),
        ("see", 1),
        ("tick", 5),
        ("say", 1),
        ("scale", 1),
        ("jump", 1),
        ("say", 1),
    ]
