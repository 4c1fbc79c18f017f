"""The line to one third-party MCP server (stdio subprocess or Streamable HTTP): connect and list
its tools within a time budget, call them with a timeout and a payload cap, and switch the server
off for a while when it keeps failing (a circuit breaker). Outcomes are values, never exceptions.

The SDK's client is an async context manager; it is held open by a task of its own, so calls can
come from any task of the loop and closing never cancels someone else's scope.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any, Literal

import httpx2
from mcp import Client, StdioServerParameters
from mcp import types as mcp_types
from mcp.client.streamable_http import streamable_http_client

from codriver.mcp.bounded import CappedTransport
from codriver.mcp.breaker import Breaker
from codriver.mcp.config import ServerManifest, token_from_env
from codriver.mcp.payload import as_text, clean
from codriver.mcp.stdio import OVER_LIMIT, bounded_stdio

MAX_TOOLS = 64
"""Tools taken from one server; the rest are left out."""
MAX_PAGES = 8
MAX_MESSAGE_BYTES = 256 * 1024
"""The largest message read from a server (a stdio line, an HTTP body, a server-sent event): a
larger answer is cut off at the transport while it is read — never held in memory — and the
call it answers ends as ``too_large``."""

logging.getLogger("mcp").addHandler(logging.NullHandler())
"""The SDK logs an answer cut off at the transport (and other failures) as errors with a
traceback; each is an outcome codriver reports as a value, so with no logging set up by the
application nothing is printed (with logging set up, the records still reach its handlers)."""

CallStatus = Literal[
    "answered", "tool_error", "timed_out", "too_large", "unavailable", "switched_off"
]


@dataclass(frozen=True, slots=True)
class Listed:
    """A tool as its server lists it, before codriver's checks."""

    name: str
    description: str
    schema: Mapping[str, Any]
    read_only_hint: bool | None
    claimed_scopes: tuple[str, ...] | None
    """What the server says the tool touches (``_meta["codriver/scopes"]``), if it says."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a call ended: the service's answer (cleaned and cut), its own error, or why not."""

    status: CallStatus
    text: str = ""


class ServerDown(Exception):
    """The server could not be reached or listed within its time (an outcome for the caller of
    :meth:`Connection.open`, which turns it into a reason to report)."""


class Connection:
    """One configured server."""

    def __init__(self, manifest: ServerManifest, clock: Callable[[], float] = time.monotonic):
        self.manifest = manifest
        self.breaker = Breaker(manifest.failures_to_open, manifest.cooldown_s, clock)
        self.problem: str | None = None
        """Why the server is not connected now, when it is not."""
        self._client: Client | None = None
        self._runner: asyncio.Task[None] | None = None
        self._ending: set[asyncio.Task[None]] = set()
        self._stop = asyncio.Event()
        self._errlog: IO[str] | None = None
        self._http_error: str | None = None

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def connected(self) -> bool:
        return self._client is not None

    async def open(self, budget_s: float) -> list[Listed]:
        """Connect and list the tools, all within ``budget_s``; raises :class:`ServerDown`."""
        started = time.monotonic()
        await self._connect(min(budget_s, self.manifest.connect_timeout_s))
        left = budget_s - (time.monotonic() - started)
        try:
            return await asyncio.wait_for(self._list(), max(left, 0.01))
        except TimeoutError:
            down = self._down(f"listing its tools took longer than {budget_s:g} s")
        except Exception as exc:  # whatever the SDK raises for a broken or lying server
            down = self._down(f"listing its tools failed: {_say(exc)}")
        self._abandon()
        raise down

    async def call(self, tool: str, args: Mapping[str, Any]) -> Outcome:
        """Call ``tool`` (its name on the server) within the call timeout."""
        if not self.breaker.allow():
            return Outcome("switched_off")
        timeout = self.manifest.call_timeout_s
        try:
            if self._client is None:
                await self._connect(self.manifest.connect_timeout_s)
            client = self._client
            assert client is not None
            result = await asyncio.wait_for(
                client.call_tool(tool, dict(args), read_timeout_seconds=timeout), timeout + 0.5
            )
        except TimeoutError:
            self.breaker.failed()
            return Outcome("timed_out")
        except ServerDown:
            self.breaker.failed()
            return Outcome("unavailable")
        except Exception as exc:  # the SDK's error for a timeout, a closed pipe, a bad reply
            self.breaker.failed()
            if "timed out" in str(exc):
                return Outcome("timed_out")
            if OVER_LIMIT in str(exc):
                return Outcome("too_large")  # cut off at the transport; the session goes on
            self.problem = _say(exc)
            self._abandon()  # the session may be gone: the next allowed call reconnects
            return Outcome("unavailable")
        self.breaker.succeeded()
        limit = self.manifest.max_result_chars
        texts = [b.text for b in result.content if isinstance(b, mcp_types.TextContent)]
        text = as_text(texts, result.structured_content, limit)
        return Outcome("tool_error" if result.is_error else "answered", text)

    async def close(self) -> None:
        """Stop the server (stdio) or end the session (HTTP), and wait until it is gone."""
        self._abandon()
        ending, self._ending = self._ending, set()
        if ending:
            _, late = await asyncio.wait(ending, timeout=10.0)
            for task in late:
                task.cancel()

    def _abandon(self) -> None:
        """Let go of the session now: a connected one closes gracefully (stdin closed, the
        server exits), a half-open one is cancelled; either finishes in the background."""
        runner, self._runner = self._runner, None
        connected, self._client = self._client is not None, None
        if runner is None or runner.done():
            return
        if connected:
            self._stop.set()
        else:
            runner.cancel()
        self._ending.add(runner)

    # -- connecting ----------------------------------------------------------------------

    async def _connect(self, timeout: float) -> None:
        self._abandon()
        self._stop = asyncio.Event()
        ready: asyncio.Future[Client] = asyncio.get_running_loop().create_future()
        self._runner = asyncio.create_task(self._hold(ready), name=f"mcp:{self.name}")
        try:
            self._client = await asyncio.wait_for(asyncio.shield(ready), timeout)
        except TimeoutError:
            down = self._down(f"it did not answer within {timeout:g} s")
        except Exception as exc:
            down = self._down(_say(exc))
        else:
            self.problem = None
            return
        self._abandon()
        raise down

    async def _hold(self, ready: asyncio.Future[Client]) -> None:
        """Open the session, hand it over, and keep it open until asked to stop."""
        stop = self._stop
        try:
            async with contextlib.AsyncExitStack() as stack:
                client = Client(await self._transport(stack), read_timeout_seconds=None)
                await stack.enter_async_context(client)
                ready.set_result(client)
                await stop.wait()
        except Exception as exc:
            if not ready.done():
                ready.set_exception(exc)
            else:
                self.problem = _say(exc)
        finally:
            mine = ready.done() and not ready.cancelled() and not ready.exception()
            if mine and ready.result() is self._client:
                self._client = None
            if not ready.done():
                ready.cancel()

    async def _transport(self, stack: contextlib.AsyncExitStack) -> Any:
        manifest = self.manifest
        if manifest.stdio is not None:
            # the exit stack closes it once the server has stopped
            errlog = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))  # noqa: SIM115
            self._errlog = errlog
            params = StdioServerParameters(
                command=manifest.stdio.program,
                args=list(manifest.stdio.args),
                env=dict(manifest.stdio.env) or None,
                cwd=manifest.stdio.cwd,
            )
            return bounded_stdio(params, errlog, MAX_MESSAGE_BYTES)
        assert manifest.url is not None
        token = token_from_env(manifest)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http_error = None

        async def note(response: httpx2.Response) -> None:
            if response.status_code >= 400:
                self._http_error = f"HTTP {response.status_code}"

        http = await stack.enter_async_context(
            httpx2.AsyncClient(
                headers={**headers, "Accept-Encoding": "identity"},
                timeout=httpx2.Timeout(manifest.call_timeout_s + 5, read=300),
                event_hooks={"response": [note]},
                transport=CappedTransport(httpx2.AsyncHTTPTransport(), MAX_MESSAGE_BYTES),
            )
        )
        return streamable_http_client(
            manifest.url, http_client=http, max_sse_event_size=MAX_MESSAGE_BYTES
        )

    async def _list(self) -> list[Listed]:
        client = self._client
        assert client is not None
        listed: list[Listed] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            page = await client.list_tools(cursor=cursor)
            listed.extend(_listed(tool) for tool in page.tools)
            cursor = page.next_cursor
            if cursor is None or len(listed) >= MAX_TOOLS:
                break
        return listed[:MAX_TOOLS]

    def _down(self, why: str) -> ServerDown:
        said = self._stderr_tail() or self._http_error
        self.problem = f"{why} ({said})" if said else why
        return ServerDown(self.problem)

    def _stderr_tail(self) -> str:
        """The last line the server wrote to stderr (stdio), as a hint at why it failed."""
        if self._errlog is None or self._errlog.closed:
            return ""
        try:
            self._errlog.seek(0)
            lines = [line for line in self._errlog.read()[-4000:].splitlines() if line.strip()]
        except (OSError, ValueError):
            return ""
        return clean(lines[-1], 200) if lines else ""


def _listed(tool: mcp_types.Tool) -> Listed:
    annotations = tool.annotations
    hint = annotations.read_only_hint if annotations is not None else None
    claimed = (tool.meta or {}).get("codriver/scopes")
    scopes = tuple(str(s) for s in claimed) if isinstance(claimed, list) else None
    return Listed(tool.name, tool.description or "", dict(tool.input_schema), hint, scopes)


def _say(exc: BaseException) -> str:
    """An exception (or the first of a group) as a short line."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return clean(f"{type(exc).__name__}: {exc}", 200)
