"""A client of the car's MCP server over real Streamable HTTP, for the tests of that server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult


@asynccontextmanager
async def session(url: str, token: str | None) -> AsyncIterator[Client]:
    """One MCP session with the bearer ``token`` (none: unauthenticated)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        httpx2.AsyncClient(headers=headers) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client


def call(loop: asyncio.Runner, url: str, token: str, tool: str, **args: Any) -> CallToolResult:
    """Call ``tool`` in a session of its own."""

    async def go() -> CallToolResult:
        async with session(url, token) as client:
            return await client.call_tool(tool, args)

    return loop.run(go())
