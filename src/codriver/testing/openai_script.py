"""What a scripted OpenAI-compatible model says, and how it looks in the chat-completions format.

A :data:`Responder` turns a request body into a :class:`Reply`; :func:`replies` (a queue) and
:func:`rules` (first matching predicate) build the usual ones. The body and stream builders render a
reply exactly as OpenAI does, for :class:`~codriver.testing.openai_server.ScriptedOpenAI` to serve.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from codriver.errors import InputError

Request = Mapping[str, Any]
"""A chat-completions request body, parsed, as the client sent it."""


@dataclass(frozen=True, slots=True)
class ToolCallReply:
    """One function call; ``arguments`` as a mapping is JSON-encoded, a string is sent verbatim."""

    name: str
    arguments: str | Mapping[str, object] = field(default_factory=dict)
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """What the server answers to one request.

    ``status >= 400`` sends an OpenAI error whose message is ``content``; ``raw_body`` is sent
    verbatim (with ``status``) instead of a well-formed answer; ``delay_s`` waits before answering;
    ``trickle_s`` pauses before each piece of the answer (a JSON body a few bytes at a time, a
    stream event by event): a server that is alive but all but stalled.
    """

    content: str | None = None
    tool_calls: tuple[ToolCallReply, ...] = ()
    status: int = 200
    delay_s: float = 0.0
    trickle_s: float = 0.0
    raw_body: str | None = None


Responder = Callable[[Request], Reply]
Predicate = Callable[[Request], bool]


def replies(script: Iterable[Reply]) -> Responder:
    """Answers each request with the next reply in ``script``; one request too many is an error."""
    queue = list(script)
    total = len(queue)

    def respond(request: Request) -> Reply:
        if not queue:
            raise InputError(f"script exhausted: all {total} scripted replies were already sent")
        return queue.pop(0)

    return respond


def rules(*table: tuple[Predicate, Reply], default: Reply | None = None) -> Responder:
    """Answers with the reply of the first rule whose predicate holds, else ``default``."""

    def respond(request: Request) -> Reply:
        for predicate, reply in table:
            if predicate(request):
                return reply
        if default is None:
            raise InputError("no rule matched the request and there is no default reply")
        return default

    return respond


def last_user_says(substring: str) -> Predicate:
    """Holds when the last user message contains ``substring`` (ignoring case)."""

    def holds(request: Request) -> bool:
        users = [m for m in request.get("messages", []) if m.get("role") == "user"]
        return bool(users) and substring.casefold() in _text(users[-1]).casefold()

    return holds


def after_tool_result(request: Request) -> bool:
    """Holds when the last message is a tool result (the model's step after calling tools)."""
    messages = request.get("messages", [])
    return bool(messages) and messages[-1].get("role") == "tool"


def _text(message: Mapping[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):  # content parts: [{"type": "text", "text": ...}, ...]
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else ""


_ERROR_TYPES = {401: "invalid_request_error", 404: "not_found_error", 429: "rate_limit_exceeded"}


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    """An OpenAI error answer: ``{"error": {"message", "type", "param", "code"}}``."""
    kind = _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def completion_body(reply: Reply, number: int, request: Request) -> dict[str, Any]:
    """The ``chat.completion`` answer to the ``number``-th request."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.content}
    if reply.tool_calls:
        message["tool_calls"] = _tool_calls(reply, number)
    choice = {"index": 0, "message": message, "finish_reason": _finish(reply), "logprobs": None}
    head = _envelope(number, request, "chat.completion")
    return {**head, "choices": [choice], "usage": _usage(request, message)}


def stream_chunks(
    reply: Reply, number: int, request: Request, chunk_chars: int
) -> Iterator[dict[str, Any]]:
    """The ``chat.completion.chunk`` events, split as OpenAI splits them.

    In order: the role, the content, each tool call's opening (index, id, name) then its argument
    fragments, the finish reason, and the usage when ``stream_options.include_usage`` asks for it.
    """
    head = _envelope(number, request, "chat.completion.chunk")

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    yield chunk({"role": "assistant", "content": ""})
    for piece in _pieces(reply.content or "", chunk_chars):
        yield chunk({"content": piece})
    calls = _tool_calls(reply, number)
    for index, call in enumerate(calls):
        function = call["function"]
        yield chunk(
            {"tool_calls": [{**call, "index": index, "function": {**function, "arguments": ""}}]}
        )
        for piece in _pieces(function["arguments"], chunk_chars):
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
    yield chunk({}, _finish(reply))
    if (request.get("stream_options") or {}).get("include_usage"):
        message = {"content": reply.content, "tool_calls": calls}
        yield {**head, "choices": [], "usage": _usage(request, message)}


def _tool_calls(reply: Reply, number: int) -> list[dict[str, Any]]:
    return [
        {
            "id": call.id or f"call_{number}_{index}",
            "type": "function",
            "function": {
                "name": call.name,
                "arguments": call.arguments
                if isinstance(call.arguments, str)
                else json.dumps(dict(call.arguments), ensure_ascii=False),
            },
        }
        for index, call in enumerate(reply.tool_calls)
    ]


def _envelope(number: int, request: Request, kind: str) -> dict[str, Any]:
    return {"id": f"chatcmpl-{number}", "object": kind, "created": 0, "model": request["model"]}


def _usage(request: Request, message: Mapping[str, Any]) -> dict[str, int]:
    """Token counts at four characters a token: deterministic, not exact."""
    prompt = len(json.dumps(request.get("messages", []), ensure_ascii=False)) // 4
    completion = len(json.dumps(message, ensure_ascii=False)) // 4
    total = prompt + completion
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": total}


def _finish(reply: Reply) -> str:
    return "tool_calls" if reply.tool_calls else "stop"


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]
