"""The fleet's store on a real Redis, with two workers in one process (each its own client and
copies): one cabin's turns alternate between them in order, each copy catching up on the other's
entries; a worker whose lock expired cannot write; events reach a listener on the other worker;
a reminder fires once while both workers watch and tick."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the [server] extra is not installed")

from test_store import Wall, english, portrait, service

from codriver.server.cabins import Cabins
from codriver.server.store.base import Commit, StoreConflict
from codriver.server.store.log import Entry, Summary

TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"


def redis_store(url: str) -> Any:
    from codriver.server.store.redis import RedisStore

    return RedisStore(url)


async def workers(url: str, wall: Wall, **settings: Any) -> tuple[Cabins, Cabins]:
    pair = (
        service(redis_store(url), wall, **settings),
        service(redis_store(url), wall, **settings),
    )
    for worker in pair:
        await worker.start()
    return pair[0], pair[1]


async def stop(*cabins: Cabins) -> None:
    for worker in cabins:
        await worker.shutdown()


def test_a_cabin_from_redis_is_the_cabin_it_was(redis_url: str) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        wall = Wall()
        a, b = await workers(redis_url, wall)
        await a.open("c", lang="en")
        await english(a, wall)
        seen = await portrait(a, "c"), await portrait(b, "c")
        await stop(a, b)
        return seen

    original, copy = asyncio.run(scenario())
    assert copy == original


def test_turns_alternating_between_workers_apply_in_order(redis_url: str) -> None:
    async def scenario() -> tuple[list[Any], list[str], int, int]:
        a, b = await workers(redis_url, Wall(), tick_seconds=None)
        await a.open("c")
        replies = []
        for n in range(8):
            worker = (a, b)[n % 2]
            turn = await worker.say("c", f"set the temperature to {18 + n}", "driver", None)
            replies.append([c.new for c in turn.changes if c.path == TEMPERATURE])
        async with a.reading("c") as on_a:
            heard = [str(line["input"]["text"]) for line in on_a.transcript]  # type: ignore[index]
            turns_a = on_a.turns
        async with b.reading("c") as on_b:
            turns_b = on_b.turns
        await stop(a, b)
        return replies, heard, turns_a, turns_b

    replies, heard, turns_a, turns_b = asyncio.run(scenario())
    assert replies == [[18 + n] for n in range(8)]  # each turn saw the one before it
    assert heard == [f"set the temperature to {18 + n}" for n in range(8)]
    assert turns_a == turns_b == 8


def test_a_worker_whose_lock_expired_cannot_write(redis_url: str) -> None:
    async def scenario() -> tuple[bool, int]:
        import redis.asyncio as aioredis

        a, b = await workers(redis_url, Wall(), tick_seconds=None)
        await a.open("c")
        late = await a.store.hold("c", None)
        async with aioredis.from_url(redis_url) as raw:
            await raw.delete("codriver:{c}:lock")  # as if A froze past its lock's life
        await b.say("c", "open the sunroof", "driver", None)
        entry = Entry("say", {"text": "close the sunroof", "seat": "driver", "gaze": None})
        commit = Commit("c", 0, 1, None, (entry,), Summary("c", "c", 1, 0.0, 0.0), 1.0)
        refused = False
        try:
            await a.store.commit(late, commit)
        except StoreConflict:
            refused = True
        async with a.reading("c") as cabin:
            version = cabin.tail.version
        await stop(a, b)
        return refused, version

    refused, version = asyncio.run(scenario())
    assert refused
    assert version == 1  # B's turn only


def test_a_lock_that_expired_untaken_still_commits_in_order(redis_url: str) -> None:
    """A worker that fell behind its renewals (a busy machine) but whose cabin no one else took
    meanwhile stores its turn: the log's version is the fence, not the lock alone."""

    async def scenario() -> tuple[int, int]:
        import redis.asyncio as aioredis

        a, b = await workers(redis_url, Wall(), tick_seconds=None)
        await a.open("c")
        async with aioredis.from_url(redis_url) as raw:
            late = await a.store.hold("c", None)
            await raw.delete("codriver:{c}:lock")  # its life ran out, no one took it
            entry = Entry("say", {"text": "open the sunroof", "seat": "driver", "gaze": None})
            commit = Commit("c", 0, 1, None, (entry,), Summary("c", "c", 1, 0.0, 0.0), 1.0)
            await a.store.commit(late, commit)
            held = await raw.exists("codriver:{c}:lock")
        async with b.reading("c") as cabin:
            version = cabin.tail.version
        await stop(a, b)
        return version, held

    version, held = asyncio.run(scenario())
    assert version == 1  # A's turn is in the log, and B's copy has it
    assert held == 0


def test_events_reach_a_listener_on_the_other_worker(redis_url: str) -> None:
    async def scenario() -> tuple[dict[str, Any], list[dict[str, Any]]]:
        a, b = await workers(redis_url, Wall(), tick_seconds=None)
        await a.open("c")
        first, subscriber, _ = await b.watch("c")
        await a.say("c", "打开座椅加热", "passenger", None)
        events = [json.loads(await asyncio.wait_for(subscriber.queue.get(), 5)) for _ in range(2)]
        await stop(a, b)
        return json.loads(first), events

    hello, (turn, changes) = asyncio.run(scenario())
    assert hello["type"] == "hello"
    assert turn["type"] == "turn" and turn["input"]["text"] == "打开座椅加热"
    assert turn["seq"] == hello["seq"] + 1 and changes["seq"] == turn["seq"] + 1
    assert changes["type"] == "changes"


def test_a_reminder_fires_once_while_both_workers_tick(redis_url: str) -> None:
    async def scenario() -> tuple[list[str], list[str], list[tuple[str, int]]]:
        wall = Wall()
        a, b = await workers(redis_url, wall)
        await a.open("c", lang="en")
        await a.say("c", "remind me to drink water in 1 minute", "driver", None)
        await a.set_scale("c", 10)
        seen = []
        for worker in (a, b):
            _, subscriber, _ = await worker.watch("c")
            seen.append(subscriber)
        for _ in range(8):  # 80 s of the cabin's time
            wall.now += 1
            await asyncio.gather(a.clockwork.tick(), b.clockwork.tick())
        await asyncio.sleep(0.2)  # the last events on their way through Redis
        notices = [[], []]
        for n, subscriber in enumerate(seen):
            while not subscriber.queue.empty():
                event = json.loads(subscriber.queue.get_nowait() or "{}")
                if event.get("type") == "notice":
                    notices[n].append(event["text"])
        log = await raw_log(redis_url, "c")
        await stop(a, b)
        return notices[0], notices[1], log

    on_a, on_b, log = asyncio.run(scenario())
    assert len(on_a) == 1 and "drink water" in on_a[0]
    assert on_b == on_a
    assert log[-1] == ("tick", 8)  # eight one-second steps, each applied once


async def raw_log(url: str, cabin_id: str) -> list[tuple[str, int]]:
    import redis.asyncio as aioredis

    async with aioredis.from_url(url) as raw:
        found = await raw.lrange(f"codriver:{{{cabin_id}}}:log", 0, -1)
    return [(json.loads(e)["op"], json.loads(e).get("n", 1)) for e in found]
