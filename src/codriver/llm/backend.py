"""One chat-model backend over the ``openai`` SDK: any OpenAI-compatible endpoint (DashScope,
vLLM, Ollama, llama.cpp). It returns what the model said and the tool calls it asked for, raw:
checking them is the caller's job."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from codriver.errors import CodriverError
from codriver.llm.settings import LLMSettings

Message = Mapping[str, Any]


class ModelUnavailable(CodriverError):
    """The model could not answer: unreachable, too slow, an HTTP error, a reply out of protocol."""


@dataclass(frozen=True, slots=True)
class ModelCall:
    """A tool call as the model wrote it: the arguments are still JSON text, maybe malformed."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class Completion:
    text: str
    calls: tuple[ModelCall, ...]
    ms: float


class ChatModel(Protocol):
    """What the LLM brain needs from a model."""

    name: str

    async def complete(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[Mapping[str, Any]] = (),
        response_format: Mapping[str, Any] | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Completion: ...


class OpenAIChat:
    """A chat model behind an OpenAI-compatible endpoint. ``on_text`` streams the reply."""

    def __init__(self, settings: LLMSettings) -> None:
        try:
            import openai
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelUnavailable(
                "the LLM brain needs the [llm] extra: pip install 'codriver[llm]'"
            ) from exc
        self.settings = settings
        self.name = settings.model
        self._errors: tuple[type[BaseException], ...] = (openai.OpenAIError,)
        self._openai = openai
        self._clients: list[tuple[asyncio.AbstractEventLoop, Any]] = []

    @property
    def _client(self) -> Any:
        """One client per event loop: its connection pool belongs to the loop that opened it
        (callers such as tests and one-shot commands may run several loops in turn). Earlier
        loops and their clients stay referenced, so that a loop id is never reused for a new
        loop and no finaliser closes a client on the wrong loop."""
        loop = asyncio.get_running_loop()
        for known, client in self._clients:
            if known is loop:
                return client
        client = self._openai.AsyncOpenAI(
            base_url=self.settings.base_url,
            api_key=self.settings.api_key or "none",
            timeout=self.settings.timeout_s,
            max_retries=0,
        )
        self._clients.append((loop, client))
        return client

    async def complete(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[Mapping[str, Any]] = (),
        response_format: Mapping[str, Any] | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Completion:
        started = time.perf_counter()
        request: dict[str, Any] = {
            "model": self.settings.model,
            "messages": list(messages),
            "temperature": self.settings.temperature,
        }
        if tools:
            request["tools"] = list(tools)
        if response_format is not None:
            request["response_format"] = dict(response_format)
        limit = self.settings.timeout_s
        try:
            async with asyncio.timeout(limit):  # the whole answer, however it trickles in
                if on_text is None:
                    text, calls = await self._whole(request)
                else:
                    text, calls = await self._streamed(request, on_text)
        except TimeoutError as exc:
            raise ModelUnavailable(f"no complete answer within {limit:g} s") from exc
        except self._errors as exc:
            raise ModelUnavailable(f"{type(exc).__name__}: {exc}") from exc
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ModelUnavailable(f"reply out of protocol: {exc}") from exc
        return Completion(text, calls, (time.perf_counter() - started) * 1000)

    async def _whole(self, request: dict[str, Any]) -> tuple[str, tuple[ModelCall, ...]]:
        response = await self._client.chat.completions.create(**request)
        if not response.choices:
            raise ValueError("no choices in the reply")
        message = response.choices[0].message
        calls = tuple(
            ModelCall(c.id, c.function.name, c.function.arguments or "")
            for c in message.tool_calls or ()
            if getattr(c, "function", None) is not None
        )
        return message.content or "", calls

    async def _streamed(
        self, request: dict[str, Any], on_text: Callable[[str], None]
    ) -> tuple[str, tuple[ModelCall, ...]]:
        stream = await self._client.chat.completions.create(**request, stream=True)
        text: list[str] = []
        parts: dict[int, dict[str, str]] = {}
        async for chunk in stream:
            if not chunk.choices:
                continue
            delta = chunk.choices[0].delta
            if delta.content:
                text.append(delta.content)
                on_text(delta.content)
            for piece in delta.tool_calls or ():
                slot = parts.setdefault(piece.index, {"id": "", "name": "", "arguments": ""})
                if piece.id:
                    slot["id"] = piece.id
                if piece.function is not None:
                    slot["name"] += piece.function.name or ""
                    slot["arguments"] += piece.function.arguments or ""
        calls = tuple(
            ModelCall(p["id"] or f"call_{i}", p["name"], p["arguments"])
            for i, p in sorted(parts.items())
        )
        return "".join(text), calls
