"""HTTP answers from a server read within a size bound: an ``httpx2`` transport whose JSON bodies
stop being read at ``max_bytes`` (at once, when the declared length is over it) with an error the
MCP SDK turns into the request's error, so a 50 MB answer never sits in memory. Server-sent events
are bounded per event by the SDK itself; answers compressed against codriver's wish are refused
(their size would be known only once unpacked)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2

from codriver.mcp.stdio import OVER_LIMIT


class OverLimit(httpx2.StreamError):
    """The answer is larger than codriver reads, or compressed when that was not asked for."""


class CappedTransport(httpx2.AsyncBaseTransport):
    """Wraps a transport; every JSON answer's body is read at most ``max_bytes`` far."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, max_bytes: int) -> None:
        self.inner = inner
        self.max_bytes = max_bytes

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        kind = response.headers.get("content-type", "").lower()
        if not kind.startswith("application/json"):
            return response
        assert isinstance(response.stream, httpx2.AsyncByteStream)
        return httpx2.Response(
            response.status_code,
            headers=response.headers,
            stream=_Capped(response, self.max_bytes),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


class _Capped(httpx2.AsyncByteStream):
    def __init__(self, response: httpx2.Response, max_bytes: int) -> None:
        self.response = response
        self.max_bytes = max_bytes

    async def __aiter__(self) -> AsyncIterator[bytes]:
        headers = self.response.headers
        if headers.get("content-encoding", "identity").lower() not in ("", "identity"):
            raise OverLimit("the answer is compressed, which codriver did not ask for")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise OverLimit(self._over())
        read = 0
        stream = self.response.stream
        assert isinstance(stream, httpx2.AsyncByteStream)
        async for chunk in stream:
            read += len(chunk)
            if read > self.max_bytes:
                raise OverLimit(self._over())
            yield chunk

    def _over(self) -> str:
        return f"the answer is over the {self.max_bytes} {OVER_LIMIT}: it was not read"

    async def aclose(self) -> None:
        await self.response.aclose()
