"""An MCP server as a subprocess, spoken to over its stdin and stdout (one JSON-RPC message a
line), with every message read within a size bound: a line longer than ``max_bytes`` is never
held in memory — it is read and dropped as it arrives — and the request it answers gets an error
at once ("over the … byte limit") instead of a 50 MB string.

The server runs in a session of its own with only a few safe environment variables (and its
manifest's); closing stops it: stdin closed, then its process group terminated, then killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
from collections.abc import AsyncIterator
from typing import TextIO

import anyio
from anyio.abc import ByteReceiveStream, Process
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp import StdioServerParameters, types
from mcp.client.stdio import get_default_environment
from mcp.shared.message import SessionMessage

OVER_LIMIT = "byte limit"
"""In the error a request gets when its answer was too large to read (stdio and HTTP alike)."""
GRACE_S = 2.0
"""How long a server may take to exit after its stdin closed, and after it was asked to end."""

_HEAD = 512
_TAIL = 512
_ID = r'"id"\s*:\s*(-?\d{1,18}|"(?:[^"\\]|\\.){0,200}")'
_ID_FIRST = re.compile(r"^\s*\{[^{}\[\]]*?" + _ID)
"""The top-level id of a message that starts ``{"jsonrpc": "2.0", "id": 7, …``."""
_ID_LAST = re.compile(_ID + r"\s*\}\s*$")
"""… or ends ``…, "id": 7}``."""

Received = SessionMessage | Exception


@contextlib.asynccontextmanager
async def bounded_stdio(
    server: StdioServerParameters, errlog: TextIO, max_bytes: int
) -> AsyncIterator[
    tuple[MemoryObjectReceiveStream[Received], MemoryObjectSendStream[SessionMessage]]
]:
    """Start ``server`` and yield the session's read and write streams (an MCP transport)."""
    process = await anyio.open_process(
        [server.command, *server.args],
        env=get_default_environment() | (server.env or {}),
        stderr=errlog,
        cwd=server.cwd,
        start_new_session=True,
    )
    inbound_send, inbound = anyio.create_memory_object_stream[Received](0)
    outbound, outbound_receive = anyio.create_memory_object_stream[SessionMessage](0)
    pending: list[types.RequestId] = []
    try:
        async with anyio.create_task_group() as tasks:
            assert process.stdout is not None
            tasks.start_soon(_read, process.stdout, inbound_send, pending, max_bytes)
            tasks.start_soon(_write, process, outbound_receive, pending)
            try:
                yield inbound, outbound
            finally:
                with anyio.CancelScope(shield=True):
                    outbound.close()
                    inbound.close()
                    await _stop(process)
                tasks.cancel_scope.cancel()
    finally:
        for stream in (inbound_send, inbound, outbound, outbound_receive):
            stream.close()


async def _write(
    process: Process,
    outbound: MemoryObjectReceiveStream[SessionMessage],
    pending: list[types.RequestId],
) -> None:
    """Send the session's messages, one a line, noting the requests that await an answer."""
    assert process.stdin is not None
    with contextlib.suppress(anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
        async with outbound:
            async for item in outbound:
                if isinstance(item.message, types.JSONRPCRequest):
                    pending.append(item.message.id)
                line = item.message.model_dump_json(by_alias=True, exclude_unset=True) + "\n"
                await process.stdin.send(line.encode())


async def _read(
    stdout: ByteReceiveStream,
    inbound: MemoryObjectSendStream[Received],
    pending: list[types.RequestId],
    max_bytes: int,
) -> None:
    """Hand the session one message a line; an over-long line becomes an error for the request
    it answers. At the end of the output the session is told the connection closed."""
    lines = Lines(pending, max_bytes)
    async with inbound:
        with contextlib.suppress(anyio.EndOfStream, anyio.ClosedResourceError, OSError):
            async for chunk in stdout:
                for item in lines.feed(chunk):
                    await _hand_over(inbound, item)


class Lines:
    """The server's output split into messages, one a line, holding at most ``max_bytes`` of a
    line: of a longer one only its first and last few hundred bytes are kept, to tell which
    request it answered (``pending``: the requests sent and not yet answered)."""

    def __init__(self, pending: list[types.RequestId], max_bytes: int) -> None:
        self.pending = pending
        self.max_bytes = max_bytes
        self._line = bytearray()
        self._over: tuple[bytes, bytes] | None = None
        """Head and tail of a line over the limit."""

    def feed(self, chunk: bytes) -> list[Received]:
        """The messages whose lines end in ``chunk``."""
        items: list[Received] = []
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            self._take(chunk[start:] if end < 0 else chunk[start:end])
            if end < 0:
                return items
            item = self._ended()
            if item is not None:
                items.append(item)
            start = end + 1

    def _take(self, piece: bytes) -> None:
        if self._over is None and len(self._line) + len(piece) > self.max_bytes:
            self._over = ((bytes(self._line[:_HEAD]) + piece[:_HEAD])[:_HEAD], b"")
            self._line.clear()
        if self._over is not None:
            head, tail = self._over
            self._over = (head, (tail + piece[-_TAIL:])[-_TAIL:])
        else:
            self._line += piece

    def _ended(self) -> Received | None:
        over, self._over = self._over, None
        if over is None:
            line = bytes(self._line)
            self._line.clear()
            return _parsed(line, self.pending)
        return self._refused(*over)

    def _refused(self, head: bytes, tail: bytes) -> Received | None:
        """An error answer to the request an over-long line answered, when that can be told:
        its id at the start or the end of the line, else the one request awaiting an answer."""
        found = _ID_FIRST.search(head.decode("utf-8", "replace")) or _ID_LAST.search(
            tail.decode("utf-8", "replace")
        )
        ids = [_id(found.group(1))] if found else []
        known = [i for i in ids if i in self.pending]
        if not known and len(self.pending) == 1:
            known = self.pending[:1]
        if not known:
            return None  # nobody to tell: the call it belongs to times out
        self.pending.remove(known[0])
        error = types.ErrorData(
            code=types.INTERNAL_ERROR,
            message=f"the answer is over the {self.max_bytes} {OVER_LIMIT}: it was not read",
        )
        return SessionMessage(types.JSONRPCError(jsonrpc="2.0", id=known[0], error=error))


def _id(text: str) -> types.RequestId:
    value = json.loads(text)
    return value if isinstance(value, int) else str(value)


def _parsed(line: bytes, pending: list[types.RequestId]) -> Received | None:
    if not line.strip():
        return None
    try:
        message = types.jsonrpc_message_adapter.validate_json(line, by_name=False)
    except ValueError as exc:
        return exc
    if isinstance(message, types.JSONRPCResponse | types.JSONRPCError) and message.id in pending:
        pending.remove(message.id)
    return SessionMessage(message)


async def _hand_over(inbound: MemoryObjectSendStream[Received], item: Received) -> None:
    """Give the session ``item``; once the session is gone, the output is only drained."""
    with contextlib.suppress(anyio.ClosedResourceError, anyio.BrokenResourceError):
        await inbound.send(item)


async def _stop(process: Process) -> None:
    """Close stdin and wait; then terminate the server's process group and wait; then kill."""
    if process.stdin is not None:
        with contextlib.suppress(OSError, anyio.BrokenResourceError, anyio.ClosedResourceError):
            await process.stdin.aclose()
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
                os.killpg(process.pid, sig)
        with anyio.move_on_after(GRACE_S):
            while process.returncode is None:
                await anyio.sleep(0.02)
        if process.returncode is not None:
            break
    with anyio.move_on_after(GRACE_S), contextlib.suppress(OSError):
        await process.aclose()
