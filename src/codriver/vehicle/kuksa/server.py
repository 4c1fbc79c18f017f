"""The simulated car (or any :class:`~codriver.vehicle.bus.VehicleBus`) as a ``kuksa.val.v2``
broker: KUKSA apps and feeders talk to it as to a databroker, and codriver's own tests run against
a server that speaks the real protocol.

It answers ``GetServerInfo``, ``ListMetadata``, ``GetValue(s)``, ``Subscribe`` (the current values
at once, then every change; the changes of one write or one tick of simulated time come as one
message), ``Actuate`` and ``BatchActuate`` (actuators only, through the car: what they move in
turn is reported too) and ``PublishValue`` (a provider's reading of any signal). Each change is
stamped with the wall-clock time it happened at.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import grpc
from kuksa.val.v2 import val_pb2, val_pb2_grpc

from codriver.vehicle.bus import SignalChange, Subscription, VehicleBus, WriteResult
from codriver.vehicle.catalog import Catalog, Rejection, RejectionCode, Value
from codriver.vehicle.kuksa.convert import datapoint, from_value, metadata, value_field

_STATUS: dict[RejectionCode, Any] = {
    "unknown_signal": grpc.StatusCode.NOT_FOUND,
    "wrong_type": grpc.StatusCode.INVALID_ARGUMENT,
    "out_of_range": grpc.StatusCode.INVALID_ARGUMENT,
    "not_allowed": grpc.StatusCode.INVALID_ARGUMENT,
    "read_only": grpc.StatusCode.INVALID_ARGUMENT,
    "rejected": grpc.StatusCode.INVALID_ARGUMENT,
    "denied": grpc.StatusCode.PERMISSION_DENIED,
    "unavailable": grpc.StatusCode.UNAVAILABLE,
    "unconfirmed": grpc.StatusCode.DATA_LOSS,
}


class _Subscriber:
    """One ``Subscribe`` call: its signals and the messages not yet sent (oldest dropped)."""

    def __init__(self, paths: frozenset[str], buffer_size: int) -> None:
        self.paths = paths
        self.queue: deque[dict[str, Any]] = deque(maxlen=max(1, buffer_size))
        self.ready = asyncio.Event()

    def push(self, entries: Mapping[str, Any]) -> None:
        mine = {p: point for p, point in entries.items() if p in self.paths}
        if mine:
            self.queue.append(mine)
            self.ready.set()


class CarServicer(val_pb2_grpc.VALServicer):  # type: ignore[misc]
    """``kuksa.val.v2`` over a vehicle bus; :meth:`load` puts another car behind it."""

    def __init__(self, car: VehicleBus, token: str | None = None) -> None:
        self._token = token
        self._subscribers: list[_Subscriber] = []
        self._batch: dict[str, SignalChange] = {}
        self._flushing = False
        self._car = car
        self._ids: dict[str, int] = {}
        self._paths: dict[int, str] = {}
        self._stamps: dict[str, float] = {}
        self._points: dict[str, tuple[Value | None, Any]] = {}
        self._watch: Subscription = car.subscribe(self._changed)
        self._index(car.catalog)

    @property
    def car(self) -> VehicleBus:
        return self._car

    @property
    def catalog(self) -> Catalog:
        return self._car.catalog

    async def load(self, car: VehicleBus) -> None:
        """Serve ``car`` from now on; subscribers are sent every value that differs."""
        before = await self._car.snapshot()
        self._watch.cancel()
        self._car = car
        self._index(car.catalog)
        self._watch = car.subscribe(self._changed)
        now = time.time()
        for path, value in (await car.snapshot()).items():
            if before.get(path) != value or type(before.get(path)) is not type(value):
                self._changed(SignalChange(path, before.get(path), value, now, "world"))

    def _index(self, catalog: Catalog) -> None:
        paths = sorted(spec.path for spec in catalog)
        self._ids = {path: number for number, path in enumerate(paths, 1)}
        self._paths = {number: path for path, number in self._ids.items()}
        started = time.time()
        self._stamps = dict.fromkeys(paths, started)
        self._points = {}

    # -- changes out -----------------------------------------------------------------------

    def _changed(self, change: SignalChange) -> None:
        """Gather the changes of one write or tick; they leave as one message."""
        self._batch[change.path] = change
        self._stamps[change.path] = time.time()
        self._points.pop(change.path, None)
        if not self._flushing:
            self._flushing = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        batch, self._batch, self._flushing = self._batch, {}, False
        entries = {
            path: self._point(path, change.new, self._stamps[path])
            for path, change in batch.items()
        }
        for subscriber in list(self._subscribers):
            subscriber.push(entries)

    def _point(self, path: str, value: Value | None, at: float) -> Any:
        return datapoint(self.catalog.spec(path).datatype, value, at)

    async def _current(self, paths: Sequence[str]) -> dict[str, Any]:
        """The datapoints of ``paths`` now; one that has not changed since it was last built is
        built again only when the car's value differs (a car changed behind the servicer)."""
        values = await self._car.snapshot(paths) if len(paths) < 64 else await self._car.snapshot()
        out = {}
        for path in paths:
            value = values.get(path)
            built = self._points.get(path)
            if built is None or not _same(built[0], value):
                built = (value, self._point(path, value, self._stamps[path]))
                self._points[path] = built
            out[path] = built[1]
        return out

    # -- the calls -------------------------------------------------------------------------

    async def GetServerInfo(self, request: Any, context: Any) -> Any:
        await self._auth(context)
        return val_pb2.GetServerInfoResponse(name="codriver", version=_version())

    async def ListMetadata(self, request: Any, context: Any) -> Any:
        await self._auth(context)
        root = request.root or "Vehicle"
        paths = self.catalog.matching(root) if "*" in root else self.catalog.under(root)
        if not paths:
            await context.abort(grpc.StatusCode.NOT_FOUND, f"no signal under {root!r}")
        found = [metadata(self.catalog.spec(p), self._ids[p]) for p in paths]
        return val_pb2.ListMetadataResponse(metadata=found)

    async def GetValue(self, request: Any, context: Any) -> Any:
        await self._auth(context)
        path = await self._path(request.signal_id, context)
        point = (await self._current([path]))[path]
        return val_pb2.GetValueResponse(data_point=point)

    async def GetValues(self, request: Any, context: Any) -> Any:
        await self._auth(context)
        named = [_named(signal, self._paths) for signal in request.signal_ids]
        paths = [p for p in named if p is not None and p in self._ids]
        if len(paths) < len(named):
            await context.abort(grpc.StatusCode.NOT_FOUND, "unknown signal asked for")
        if not paths:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "no signal asked for")
        current = await self._current(paths)
        return val_pb2.GetValuesResponse(data_points=[current[p] for p in paths])

    async def Subscribe(self, request: Any, context: Any) -> AsyncIterator[Any]:
        await self._auth(context)
        paths = list(dict.fromkeys(request.signal_paths))
        for path in paths:
            if path not in self._ids:
                await context.abort(grpc.StatusCode.NOT_FOUND, f"unknown signal {path!r}")
        if not paths:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "no signal to subscribe to")
        subscriber = _Subscriber(frozenset(paths), request.buffer_size)
        self._subscribers.append(subscriber)
        try:
            yield val_pb2.SubscribeResponse(entries=await self._current(paths))
            while True:
                await subscriber.ready.wait()
                subscriber.ready.clear()
                while subscriber.queue:
                    yield val_pb2.SubscribeResponse(entries=subscriber.queue.popleft())
        finally:
            self._subscribers.remove(subscriber)

    async def Actuate(self, request: Any, context: Any) -> Any:
        await self._auth(context)
        await self._actuate([request], context)
        return val_pb2.ActuateResponse()

    async def BatchActuate(self, request: Any, context: Any) -> Any:
        await self._auth(context)
        if not request.actuate_requests:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "nothing to actuate")
        await self._actuate(list(request.actuate_requests), context)
        return val_pb2.BatchActuateResponse()

    async def PublishValue(self, request: Any, context: Any) -> Any:
        await self._auth(context)
        path = await self._path(request.signal_id, context)
        point = request.data_point
        value = await self._value(path, point.value, context) if point.HasField("value") else None
        [result] = await self._car.feed({path: value})
        await self._refused([result], context)
        if point.HasField("timestamp"):  # the provider's own time of the reading
            self._stamps[path] = point.timestamp.seconds + point.timestamp.nanos / 1e9
            self._points.pop(path, None)
        return val_pb2.PublishValueResponse()

    async def _actuate(self, requests: list[Any], context: Any) -> None:
        """Every request checked (an actuator, a value of its type) before any is carried out."""
        writes: list[tuple[str, Value]] = []
        for request in requests:
            path = await self._path(request.signal_id, context)
            if self.catalog.spec(path).kind != "actuator":
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"{path} is no actuator")
            value = await self._value(path, request.value, context)
            if value is None:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"no value for {path}")
            writes.append((path, value))  # type: ignore[arg-type]
        await self._refused(await self._car.set_many(writes), context)

    # -- checks ----------------------------------------------------------------------------

    async def _auth(self, context: Any) -> None:
        if self._token is None:
            return
        given = dict(context.invocation_metadata() or ()).get("authorization")
        if given != f"Bearer {self._token}":
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, "a valid bearer token is needed")

    async def _path(self, signal: Any, context: Any) -> str:
        which = signal.WhichOneof("signal")
        path = self._paths.get(signal.id) if which == "id" else signal.path
        if path is None or path not in self._ids:
            shown = signal.id if which == "id" else signal.path
            await context.abort(grpc.StatusCode.NOT_FOUND, f"unknown signal {shown!r}")
        return str(path)

    async def _value(self, path: str, message: Any, context: Any) -> Value | None:
        """The value in the field of ``path``'s datatype; another field is the wrong type."""
        field = message.WhichOneof("typed_value")
        expected = value_field(self.catalog.spec(path).datatype)
        if field is not None and field != expected:
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT, f"{path} takes {expected}, not {field}"
            )
        return from_value(message)

    async def _refused(self, results: Sequence[WriteResult], context: Any) -> None:
        for result in results:
            if isinstance(result, Rejection):
                await context.abort(_STATUS[result.code], result.message)


class KuksaServer:
    """A gRPC server for a :class:`CarServicer` on ``host:port`` (0: any free port)."""

    def __init__(self, car: VehicleBus, *, token: str | None = None) -> None:
        self.servicer = CarServicer(car, token)
        self._server: Any = None
        self.port = 0

    async def start(self, port: int = 0, host: str = "127.0.0.1") -> int:
        self._server = grpc.aio.server(
            options=[
                ("grpc.keepalive_permit_without_calls", 1),
                ("grpc.http2.min_recv_ping_interval_without_data_ms", 1_000),
                ("grpc.http2.max_ping_strikes", 0),
                ("grpc.so_reuseport", 0),
            ]
        )
        val_pb2_grpc.add_VALServicer_to_server(self.servicer, self._server)
        self.port = self._server.add_insecure_port(f"{host}:{port}")
        if self.port == 0:
            raise OSError(f"cannot listen on {host}:{port}")
        await self._server.start()
        return self.port

    async def stop(self, grace: float | None = None) -> None:
        """Stop listening; ``None`` ends every call at once (as a broker that dies)."""
        if self._server is not None:
            await self._server.stop(grace)
            self._server = None

    async def wait(self) -> None:
        if self._server is not None:
            await self._server.wait_for_termination()


def _named(signal: Any, paths: Mapping[int, str]) -> str | None:
    """The path a ``SignalID`` names, by path or by id."""
    return paths.get(signal.id) if signal.WhichOneof("signal") == "id" else str(signal.path)


def _same(a: Value | None, b: Value | None) -> bool:
    return a == b and type(a) is type(b)


def _version() -> str:
    try:
        return version("codriver")
    except PackageNotFoundError:
        return "unknown"


__all__ = ["CarServicer", "KuksaServer"]
