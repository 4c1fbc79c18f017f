"""The fleet's store: every cabin's opening and log in Redis, shared by any number of workers on
any number of machines (extra ``[fleet]``).

A turn takes the cabin's lock (``SET NX PX`` with a token), reads the entries its copy has not
seen in the same script, applies the input, and commits with a script that checks the token and
the log's version before it appends — so a worker whose lock expired cannot write out of order —
publishes the turn's events on the cabin's channel and lets the lock go, all at once. A lock
held longer than a turn (a long replay) is renewed while its holder is alive. Every worker
subscribed to a cabin's channel (it has listeners) hands the events to its listeners.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import socket
from collections.abc import Iterable, Sequence
from typing import Any, cast

from codriver.errors import MissingExtraError
from codriver.server.events import Event
from codriver.server.problems import CabinExists, TooManyCabins, UnknownCabin
from codriver.server.store import redis_scripts as lua
from codriver.server.store.base import Commit, Delivery, Hold, StoreConflict, StoreError
from codriver.server.store.log import Entry, Opening, Summary, Tail
from codriver.server.store.redis_check import shown

try:
    import redis.asyncio as aioredis
    from redis.exceptions import RedisError
except ImportError as exc:  # pragma: no cover - the extra is missing
    raise MissingExtraError("a Redis store", "fleet") from exc

log = logging.getLogger("uvicorn.error")
PREFIX = "codriver:"
LOCK_MS = 3_000
"""A lock's life: a holder that stops (killed, frozen) blocks its cabin this long at most; a
live holder renews it every second while its turn lasts (a long replay)."""
RENEW_S = LOCK_MS / 3000
WAIT_S = 10.0
"""How long a turn waits for a cabin another worker holds before it gives up (503)."""


def _keys(cabin_id: str) -> tuple[str, str, str, str]:
    base = f"{PREFIX}{{{cabin_id}}}:"
    return base + "meta", base + "log", base + "lock", base + "events"


CABINS, ACTIVE = PREFIX + "cabins", PREFIX + "active"
Arg = str | int | float


class RedisStore:
    """Cabins in Redis; the events of every worker's turns reach this worker's listeners."""

    shared = True

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.client: Any = aioredis.from_url(spec, socket_connect_timeout=5)
        self._worker = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._count = itertools.count()
        self._scripts = {
            name: self.client.register_script(getattr(lua, name))
            for name in ("HOLD", "COMMIT", "RELEASE", "RENEW", "CREATE", "DELETE")
        }
        self._renewals: dict[str, asyncio.TimerHandle] = {}
        self._channels = _Channels(self)

    async def _call(self, script: str, keys: Sequence[str], args: Sequence[Arg]) -> Any:
        try:
            return await self._scripts[script](keys=list(keys), args=list(args))
        except RedisError as exc:
            raise StoreError(f"the cabin store {shown(self.spec)} failed: {exc}") from exc

    async def start(self, delivery: Delivery) -> None:
        try:
            await self.client.ping()
        except RedisError as exc:
            raise StoreError(f"cannot reach the store {shown(self.spec)}: {exc}") from exc
        await self._channels.start(delivery)

    async def close(self) -> None:
        for handle in self._renewals.values():
            handle.cancel()
        self._renewals.clear()
        await self._channels.stop()
        await self.client.aclose()

    async def create(self, opening: Opening, summary: Summary, limit: int) -> None:
        meta = _keys(opening.id)[0]
        args: list[Arg] = [opening.id, opening.to_json(), summary.to_json(), opening.created, limit]
        done = await self._call("CREATE", [meta, CABINS, ACTIVE], args)
        if done == -1:
            raise CabinExists(f"cabin {opening.id!r} is already open")
        if done == -2:
            raise TooManyCabins(f"this service holds at most {limit} cabins")

    async def hold(self, cabin_id: str, tail: Tail | None) -> Hold:
        token = f"{self._worker}:{next(self._count)}"
        start = tail or Tail()
        read_from = max(0, start.entries - 1)
        args: list[Arg] = [token, LOCK_MS, 0 if tail is None else 1, start.version, read_from]
        waited, pause = 0.0, 0.001
        while True:
            found = await self._call("HOLD", _keys(cabin_id), args)
            if found[0] == -1:
                raise UnknownCabin(f"no cabin {cabin_id!r}")
            if found[0] == 1:
                break
            if waited >= WAIT_S:
                raise StoreError(f"cabin {cabin_id!r} stayed busy on another worker")
            await asyncio.sleep(pause)
            waited, pause = waited + pause, min(pause * 2, 0.05)
        self._renew_later(cabin_id, token)
        _, watchers, _, opening, raw = found
        entries = tuple(Entry.from_json(e) for e in raw)
        if tail is None:
            return Hold(cabin_id, token, Opening.from_json(opening), entries, Tail(), watchers > 0)
        return Hold(cabin_id, token, None, entries, start, watchers > 0)

    async def commit(self, hold: Hold, commit: Commit) -> None:
        self._stop_renewing(hold.token)
        events = json.dumps({"v": commit.version, "e": commit.events}, ensure_ascii=False)
        args: list[Arg] = [
            hold.token,
            commit.expect,
            commit.version,
            commit.cabin_id,
            "" if commit.grown is None else commit.grown.to_json(),
            commit.summary.to_json(),
            "" if commit.active is None else commit.active,
            events if commit.events else "",
            *(e.to_json() for e in commit.added),
        ]
        done = await self._call("COMMIT", [*_keys(commit.cabin_id), ACTIVE], args)
        if done == -2:
            raise UnknownCabin(f"no cabin {commit.cabin_id!r}")
        if done != 1:
            why = "its lock expired" if done == -1 else "another worker wrote meanwhile"
            raise StoreConflict(f"cabin {commit.cabin_id!r}: the turn was not stored ({why})")

    async def release(self, hold: Hold) -> None:
        self._stop_renewing(hold.token)
        with contextlib.suppress(StoreError):  # the lock expires by itself anyway
            await self._call("RELEASE", [_keys(hold.cabin_id)[2]], [hold.token])

    async def delete(self, cabin_id: str, reason: str) -> bool:
        token = f"{self._worker}:{next(self._count)}"
        closing = json.dumps({"closed": reason})
        waited = 0.0
        while (done := await self._delete(cabin_id, token, closing)) == 0 and waited < WAIT_S:
            await asyncio.sleep(0.005)
            waited += 0.005
        if done == 0:
            raise StoreError(f"cabin {cabin_id!r} stayed busy on another worker")
        return bool(done == 1)

    async def _delete(self, cabin_id: str, token: str, closing: str) -> int:
        keys = [*_keys(cabin_id), CABINS, ACTIVE]
        return int(await self._call("DELETE", keys, [cabin_id, token, closing]))

    async def summaries(self) -> list[Summary]:
        try:
            ids = [i.decode() for i in await self.client.zrange(CABINS, 0, -1)]
            async with self.client.pipeline(transaction=False) as pipe:
                for cabin_id in ids:
                    pipe.hget(_keys(cabin_id)[0], "summary")
                found = await pipe.execute()
        except RedisError as exc:
            raise StoreError(f"the cabin store {shown(self.spec)} failed: {exc}") from exc
        return [Summary.from_json(i, s) for i, s in zip(ids, found, strict=True) if s is not None]

    async def count(self) -> int:
        try:
            return int(await self.client.zcard(CABINS))
        except RedisError as exc:
            raise StoreError(f"the cabin store {shown(self.spec)} failed: {exc}") from exc

    async def expired(self, before: float) -> list[str]:
        try:
            found = await self.client.zrangebyscore(ACTIVE, "-inf", f"({before}")
        except RedisError as exc:
            raise StoreError(f"the cabin store {shown(self.spec)} failed: {exc}") from exc
        return [i.decode() for i in found]

    async def keep(self, cabin_ids: Iterable[str], now: float) -> None:
        mapping = {cabin_id: now for cabin_id in cabin_ids}
        if mapping:
            try:
                await self.client.zadd(ACTIVE, mapping, xx=True)
            except RedisError as exc:
                raise StoreError(f"the cabin store {shown(self.spec)} failed: {exc}") from exc

    async def watch(self, cabin_id: str) -> None:
        await self._channels.join(_keys(cabin_id)[3])

    async def unwatch(self, cabin_id: str) -> None:
        await self._channels.leave(_keys(cabin_id)[3])

    def _renew_later(self, cabin_id: str, token: str) -> None:
        loop = asyncio.get_running_loop()
        self._renewals[token] = loop.call_later(RENEW_S, self._renew, cabin_id, token)

    def _renew(self, cabin_id: str, token: str) -> None:
        if token not in self._renewals:
            return

        async def renew() -> None:
            with contextlib.suppress(StoreError):
                await self._call("RENEW", [_keys(cabin_id)[2]], [token, LOCK_MS])

        task = asyncio.get_running_loop().create_task(renew())
        task.add_done_callback(lambda t: t.exception() if not t.cancelled() else None)
        self._renew_later(cabin_id, token)

    def _stop_renewing(self, token: str) -> None:
        handle = self._renewals.pop(token, None)
        if handle is not None:
            handle.cancel()


class _Channels:
    """This worker's subscriptions to cabins' event channels, and the task that reads them."""

    def __init__(self, store: RedisStore) -> None:
        self.store = store
        self.pubsub: Any = store.client.pubsub()
        self._joined: dict[str, asyncio.Event] = {}
        self._reader: asyncio.Task[None] | None = None
        self._delivery: Delivery | None = None

    async def start(self, delivery: Delivery) -> None:
        self._delivery = delivery
        await self.join(PREFIX + "workers")  # the connection stays subscribed to something
        self._reader = asyncio.create_task(self._read())

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        with contextlib.suppress(RedisError):
            await self.pubsub.aclose()

    async def join(self, channel: str) -> None:
        """Subscribe, and return once Redis confirmed it (events published after are ours)."""
        if channel in self._joined:
            await self._joined[channel].wait()
            return
        confirmed = self._joined[channel] = asyncio.Event()
        try:
            await self.pubsub.subscribe(channel)
            if self._reader is None:  # before start: the confirmation is read right here
                await self.pubsub.get_message(timeout=5)
                confirmed.set()
            await asyncio.wait_for(confirmed.wait(), timeout=5)
        except (RedisError, TimeoutError) as exc:
            self._joined.pop(channel, None)
            raise StoreError(f"cannot follow the events of {channel}: {exc}") from exc

    async def leave(self, channel: str) -> None:
        if self._joined.pop(channel, None) is not None:
            with contextlib.suppress(RedisError):
                await self.pubsub.unsubscribe(channel)

    async def _read(self) -> None:
        while True:
            try:
                message = await self.pubsub.get_message(timeout=1.0)
            except RedisError as exc:
                log.warning("the cabins' events are not coming through: %s", exc)
                await asyncio.sleep(1.0)
                continue
            if message is not None:
                self._hand_over(message)

    def _hand_over(self, message: dict[str, Any]) -> None:
        channel = message["channel"].decode()
        if message["type"] == "subscribe" and channel in self._joined:
            self._joined[channel].set()
        if message["type"] != "message" or self._delivery is None:
            return
        cabin_id = channel[len(PREFIX) + 1 : channel.index("}")]
        body = json.loads(message["data"])
        if "closed" in body:
            self._delivery.closed(cabin_id, body["closed"])
        else:
            events = [cast(Event, tuple(e)) for e in body["e"]]
            self._delivery.deliver(cabin_id, body["v"], events)
