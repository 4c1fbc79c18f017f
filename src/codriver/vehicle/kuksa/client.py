"""codriver as a KUKSA app: a :class:`~codriver.vehicle.bus.VehicleBus` over ``kuksa.val.v2``.

- Reads go to the broker when they are made (``GetValues``, one call for a whole snapshot): the
  safety gate judges on what the broker holds at decision time, never on a cached copy. A signal the
  broker lacks, has no value for, or whose value is older than its maximum age reads as None, and so
  does everything when the broker does not answer within the deadline: the gate fails closed.
- Writes to actuators go through ``Actuate`` (``BatchActuate`` for several: all sent or none), then
  wait for the car to report the new value on the subscription; a write the broker refuses, that
  times out, or that the car does not confirm is a :class:`Rejection`, never an :class:`Applied`.
- ``Subscribe`` over every usable signal keeps :class:`Mirror` up to date: it feeds change
  notifications to listeners (care and automations react to real updates) and confirms writes. When
  it breaks, it is taken up again with backoff; the link's ups and downs go to
  :meth:`KuksaBus.on_link`. Nothing sent while it was down is queued: such a write fails at once.
- Sensor readings codriver itself reports (``feed``: a scenario's world, the cabin camera's driver
  state) are published with ``PublishValue``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import grpc
from kuksa.val.v2 import types_pb2, val_pb2, val_pb2_grpc

from codriver.errors import VehicleUnavailable
from codriver.vehicle.bus import Applied, ChangeListener, ChangeSource, Subscription, WriteResult
from codriver.vehicle.catalog import Catalog, Rejection, RejectionCode, Value
from codriver.vehicle.kuksa.channel import call_metadata, open_channel
from codriver.vehicle.kuksa.convert import datapoint, from_datapoint, to_value
from codriver.vehicle.kuksa.mirror import Awaited, LinkLost, Mirror, Reading
from codriver.vehicle.kuksa.options import KuksaOptions
from codriver.vehicle.kuksa.reconcile import Reconciled, broker_signals, reconcile
from codriver.vehicle.profile import VehicleProfile

BUFFER = 1000
"""Subscription messages the broker may hold for codriver before it drops the oldest."""


@dataclass(frozen=True, slots=True)
class LinkEvent:
    """The subscription to the broker came up or went down (``reason`` says why)."""

    up: bool
    reason: str
    at: float


LinkListener = Callable[[LinkEvent], None]


class KuksaBus:
    """A vehicle behind a KUKSA databroker. Build it with :meth:`connect`; :meth:`close` it."""

    def __init__(self, options: KuksaOptions, reconciled: Reconciled, channel: Any) -> None:
        self.options = options
        self.reconciled = reconciled
        self.server: str = ""
        """The broker's name and version, as it gave them."""
        self._channel = channel
        self._stub = val_pb2_grpc.VALStub(channel)
        self._meta = call_metadata(options.token)
        self._mirror = Mirror(self._unprompted)
        self._link_listeners: list[LinkListener] = []
        self._up = asyncio.Event()
        self._follower: asyncio.Task[None] | None = None
        self._requests: dict[tuple[str, ...], Any] = {}

    # -- connecting ------------------------------------------------------------------------

    @classmethod
    async def connect(
        cls, options: KuksaOptions, profile: VehicleProfile | None = None
    ) -> KuksaBus:
        """Reach the broker, read and reconcile its metadata, and subscribe; a broker that does
        not answer raises :class:`VehicleUnavailable` (retryable)."""
        channel = open_channel(options)
        try:
            stub = val_pb2_grpc.VALStub(channel)
            meta, deadline = call_metadata(options.token), options.timeout_s
            info = await stub.GetServerInfo(
                val_pb2.GetServerInfoRequest(), timeout=deadline, metadata=meta
            )
            listed = await stub.ListMetadata(
                val_pb2.ListMetadataRequest(root="Vehicle"), timeout=deadline * 5, metadata=meta
            )
        except grpc.aio.AioRpcError as exc:
            await channel.close()
            raise _unreachable(options, exc) from exc
        car = profile or VehicleProfile.load()
        bus = cls(options, reconcile(car.catalog, broker_signals(listed.metadata)), channel)
        bus.server = f"{info.name} {info.version}".strip()
        await bus._start()
        return bus

    async def _start(self) -> None:
        self._follower = asyncio.create_task(self._follow(), name="kuksa-subscription")
        waiting = asyncio.create_task(self._up.wait())
        await asyncio.wait(
            {waiting, self._follower},
            timeout=self.options.timeout_s * 5,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if not self._up.is_set():
            waiting.cancel()
            await self.close()
            raise VehicleUnavailable(
                f"the KUKSA broker at {self.options.address} did not start the subscription",
                retryable=True,
            )

    async def close(self) -> None:
        if self._follower is not None:
            self._follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._follower
            self._follower = None
        await self._channel.close()

    @property
    def catalog(self) -> Catalog:
        """codriver's catalog as this broker allows it (see :mod:`.reconcile`)."""
        return self.reconciled.catalog

    @property
    def connected(self) -> bool:
        return self._up.is_set()

    def on_link(self, listener: LinkListener) -> Callable[[], None]:
        """Call ``listener`` when the link goes down (once per outage) and when it is back."""
        self._link_listeners.append(listener)
        return lambda: self._link_listeners.remove(listener)

    # -- reading ---------------------------------------------------------------------------

    async def get(self, path: str) -> Value | None:
        if path not in self.catalog:
            self.catalog.spec(path)  # raises, naming close matches
        return (await self._read((path,)))[path]

    async def snapshot(self, prefixes: Iterable[str] = ()) -> dict[str, Value | None]:
        wanted = tuple(prefixes)
        if wanted:
            paths = sorted({p for prefix in wanted for p in self.catalog.under(prefix)})
        else:
            paths = [spec.path for spec in self.catalog]
        return await self._read(tuple(paths))

    async def _read(self, paths: tuple[str, ...]) -> dict[str, Value | None]:
        """The broker's current values of ``paths``, read now; unknown where it cannot say."""
        out: dict[str, Value | None] = dict.fromkeys(paths)
        asked = tuple(p for p in paths if p in self.reconciled.usable)
        if not asked:
            return out
        try:
            answer = await self._stub.GetValues(
                self._request(asked), timeout=self.options.timeout_s, metadata=self._meta
            )
        except grpc.aio.AioRpcError:
            return out  # not answered in time or not reachable: nothing is known
        readings = self._readings(asked, answer.data_points)
        now = time.time()
        for path, reading in readings.items():
            out[path] = None if self._stale(path, reading, now) else reading.value
        return out

    def _readings(self, paths: Sequence[str], points: Sequence[Any]) -> dict[str, Reading]:
        """The datapoints as readings; those the mirror lacks (the subscription has not brought
        them yet) go into it. A datapoint stamped as the mirror's reading is that reading."""
        out: dict[str, Reading] = {}
        fresh: dict[str, Reading] = {}
        for path, point in zip(paths, points, strict=False):
            held = self._mirror.reading(path)
            if held is not None and held.at is not None and point.HasField("timestamp"):
                stamp = point.timestamp
                if held.at == stamp.seconds + stamp.nanos / 1e9:
                    out[path] = held
                    continue
            out[path] = fresh[path] = Reading(*from_datapoint(point))
        if fresh:
            self._mirror.apply(fresh)
        return out

    def _request(self, paths: tuple[str, ...]) -> Any:
        request = self._requests.get(paths)
        if request is None:
            ids = [types_pb2.SignalID(path=p) for p in paths]
            request = val_pb2.GetValuesRequest(signal_ids=ids)
            if len(self._requests) < 64:  # the whole tree, a turn's few prefixes
                self._requests[paths] = request
        return request

    def _stale(self, path: str, reading: Reading, now: float) -> bool:
        limit = self.options.age_limit(path)
        return limit is not None and reading.at is not None and now - reading.at > limit

    # -- writing ---------------------------------------------------------------------------

    async def set(self, path: str, value: Value) -> WriteResult:
        [result] = await self.set_many([(path, value)])
        return result

    async def set_many(self, writes: Sequence[tuple[str, Value]]) -> list[WriteResult]:
        checked = [self._check(path, value, write=True) for path, value in writes]
        refused = next((c for c in checked if isinstance(c, Rejection)), None)
        if refused is not None:
            return [
                c if isinstance(c, Rejection) else _alike(path, refused)
                for (path, _), c in zip(writes, checked, strict=True)
            ]
        targets = [(path, c) for (path, _), c in zip(writes, checked, strict=True)]
        awaited = self._await(targets, "command")
        try:
            await self._actuate(targets)
        except grpc.aio.AioRpcError as exc:
            self._give_up(awaited)
            failed = self._failure(targets[0][0], exc)
            return [_alike(path, failed) for path, _ in targets]
        return await self._confirmed(targets, awaited)

    async def _actuate(self, targets: Sequence[tuple[str, Value | Rejection]]) -> None:
        """One ``Actuate``, or one ``BatchActuate`` for several (the broker sends all or none)."""
        requests = [
            val_pb2.ActuateRequest(signal_id=types_pb2.SignalID(path=p), value=self._value(p, v))
            for p, v in targets
            if not isinstance(v, Rejection)
        ]
        deadline, meta = self.options.timeout_s, self._meta
        if len(requests) == 1:
            await self._stub.Actuate(requests[0], timeout=deadline, metadata=meta)
        else:
            batch = val_pb2.BatchActuateRequest(actuate_requests=requests)
            await self._stub.BatchActuate(batch, timeout=deadline, metadata=meta)

    async def feed(self, values: Mapping[str, Value | None]) -> list[WriteResult]:
        """Readings codriver reports as a provider, each published and then seen on the
        subscription; None publishes a datapoint without a value (the signal is not known)."""
        return list(await asyncio.gather(*(self._publish(p, v) for p, v in values.items())))

    async def _publish(self, path: str, value: Value | None) -> WriteResult:
        checked = None if value is None else self._check(path, value, write=False)
        if isinstance(checked, Rejection):
            return checked
        if path not in self.reconciled.usable:
            return self._absent(path)
        try:
            point = datapoint(self._datatype(path), checked, time.time())
        except (TypeError, ValueError) as exc:
            return Rejection(path, "rejected", f"the broker's {path} cannot hold {value!r}: {exc}")
        [awaited] = self._await([(path, checked)], "world")
        request = val_pb2.PublishValueRequest(
            signal_id=types_pb2.SignalID(path=path), data_point=point
        )
        try:
            await self._stub.PublishValue(
                request, timeout=self.options.timeout_s, metadata=self._meta
            )
        except grpc.aio.AioRpcError as exc:
            self._give_up([awaited])
            return self._failure(path, exc)
        [result] = await self._confirmed([(path, checked)], [awaited])
        return result

    def _check(self, path: str, value: Value, *, write: bool) -> Value | Rejection:
        checked = self.catalog.validate(path, value, write=write)
        if isinstance(checked, Rejection):
            return checked
        if path not in self.reconciled.usable:
            return self._absent(path)
        if not self._up.is_set():
            return Rejection(path, "unavailable", f"no link to the broker: {path} was not sent")
        return checked

    def _absent(self, path: str) -> Rejection:
        return Rejection(path, "unavailable", f"the broker has no usable signal {path}")

    def _value(self, path: str, value: Value) -> Any:
        return to_value(self._datatype(path), value)

    def _datatype(self, path: str) -> str:
        return self.reconciled.usable[path].datatype or self.catalog.spec(path).datatype

    def _await(
        self, targets: Sequence[tuple[str, Value | Rejection | None]], source: ChangeSource
    ) -> list[Awaited | None]:
        """A waiter for each write whose value the mirror does not already hold."""
        return [
            None if self._mirror.holds(p, v) else self._mirror.expect(p, v, source)  # type: ignore[arg-type]
            for p, v in targets
        ]

    def _give_up(self, awaited: Iterable[Awaited | None]) -> None:
        for waiter in awaited:
            if waiter is not None:
                self._mirror.forget(waiter)

    async def _confirmed(
        self,
        targets: Sequence[tuple[str, Value | Rejection | None]],
        awaited: Sequence[Awaited | None],
    ) -> list[WriteResult]:
        """Each write once the car reports it, or unconfirmed when it does not in time."""
        pending = {w.done for w in awaited if w is not None}
        if pending:
            await asyncio.wait(pending, timeout=self.options.confirm_s)
        self._give_up(awaited)
        results: list[WriteResult] = []
        for (path, value), waiter in zip(targets, awaited, strict=True):
            value = None if isinstance(value, Rejection) else value
            if waiter is None:
                results.append(Applied(path, value, ()))
            elif waiter.done.done() and waiter.done.exception() is None:
                results.append(Applied(path, value, waiter.done.result()))
            else:
                lost = waiter.done.done() and isinstance(waiter.done.exception(), LinkLost)
                why = (
                    "the link to the broker broke"
                    if lost
                    else (f"the car did not report it within {self.options.confirm_s:g} s")
                )
                results.append(
                    Rejection(path, "unconfirmed", f"{path} = {value!r} sent, but {why}")
                )
        return results

    def _failure(self, path: str, exc: grpc.aio.AioRpcError) -> Rejection:
        """What a refused or failed call means for the write."""
        code, detail = exc.code(), exc.details() or exc.code().name
        kinds: dict[Any, RejectionCode] = {
            grpc.StatusCode.INVALID_ARGUMENT: "rejected",
            grpc.StatusCode.NOT_FOUND: "unavailable",
            grpc.StatusCode.PERMISSION_DENIED: "denied",
            grpc.StatusCode.UNAUTHENTICATED: "denied",
            grpc.StatusCode.FAILED_PRECONDITION: "rejected",
            grpc.StatusCode.OUT_OF_RANGE: "rejected",
        }
        kind = kinds.get(code)
        if kind is None and code == grpc.StatusCode.UNAVAILABLE and self._up.is_set():
            kind = "unavailable"  # the broker answered: no provider for that actuator
        return Rejection(path, kind or "unconfirmed", f"{path}: {code.name.lower()}: {detail}")

    # -- the subscription ------------------------------------------------------------------

    def subscribe(self, listener: ChangeListener, prefixes: Iterable[str] = ()) -> Subscription:
        return self._mirror.subscribe(listener, prefixes)

    def _unprompted(self, path: str) -> ChangeSource:
        spec = self.catalog.get(path)
        return "vehicle" if spec is not None and spec.kind == "actuator" else "world"

    async def _follow(self) -> None:
        """Keep the subscription up, taking it up again with backoff when it breaks."""
        first, longest = self.options.backoff_s
        delay = first
        paths = sorted(self.reconciled.usable)
        while True:
            reason = "the broker ended the subscription"
            try:
                call = self._stub.Subscribe(
                    val_pb2.SubscribeRequest(signal_paths=paths, buffer_size=BUFFER),
                    metadata=self._meta,
                )
                async for response in call:
                    self._take(response.entries)
                    delay = first
            except grpc.aio.AioRpcError as exc:
                reason = f"{exc.code().name.lower()}: {exc.details() or ''}".strip(": ")
            self._link(False, reason)
            await asyncio.sleep(delay)
            delay = min(longest, delay * 2)

    def _take(self, entries: Mapping[str, Any]) -> None:
        readings = {path: Reading(*from_datapoint(point)) for path, point in entries.items()}
        self._mirror.apply(readings)
        if not self._up.is_set():
            self._link(True, "subscribed")

    def _link(self, up: bool, reason: str) -> None:
        if up == self._up.is_set():
            return
        if up:
            self._up.set()
        else:
            self._up.clear()
            self._mirror.lose_link()
        event = LinkEvent(up, reason, time.time())
        for listener in list(self._link_listeners):
            listener(event)


def _alike(path: str, refused: Rejection) -> Rejection:
    """A write left unsent, or failed with the others of its request."""
    if refused.path == path:
        return refused
    return Rejection(path, refused.code, f"not done with {refused.path}: {refused.message}")


def _unreachable(options: KuksaOptions, exc: grpc.aio.AioRpcError) -> VehicleUnavailable:
    code = exc.code()
    detail = (exc.details() or code.name).splitlines()[0]
    if code in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED):
        return VehicleUnavailable(
            f"the KUKSA broker at {options.address} refused codriver ({detail}): check --token",
            retryable=False,
        )
    return VehicleUnavailable(
        f"cannot reach the KUKSA broker at {options.address}: {detail}", retryable=True
    )


__all__ = ["KuksaBus", "LinkEvent", "LinkListener"]
