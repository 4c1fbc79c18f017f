"""The scripted OpenAI-compatible server, driven through the official ``openai`` SDK."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

openai = pytest.importorskip("openai", reason="the [llm] extra (openai) is not installed")

from openai import AsyncOpenAI, OpenAI  # noqa: E402

from codriver.testing.openai_server import (  # noqa: E402
    Reply,
    Request,
    ScriptedOpenAI,
    ToolCallReply,
    after_tool_result,
    last_user_says,
    replies,
    rules,
)

USER = [{"role": "user", "content": "把空调调到二十三度"}]


Serve = Callable[..., ScriptedOpenAI]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Starts a server answering with the given replies in order; closes each after the test."""
    started: list[ScriptedOpenAI] = []

    def start(*script: Reply) -> ScriptedOpenAI:
        started.append(ScriptedOpenAI(replies(script), model="qwen-plus", api_key="test"))
        return started[-1]

    yield start
    for server in started:
        server.close()


def client(server: ScriptedOpenAI, **options: object) -> OpenAI:
    options = {"api_key": "test", "max_retries": 0, **options}
    return OpenAI(base_url=server.base_url, **options)


def test_plain_text_reply_and_usage(serve: Serve) -> None:
    server = serve(Reply("好的，已调到23度。"))
    answer = client(server).chat.completions.create(model="qwen-plus", messages=USER)
    choice = answer.choices[0]
    assert choice.message.content == "好的，已调到23度。"
    assert choice.message.tool_calls is None
    assert choice.finish_reason == "stop"
    assert answer.model == "qwen-plus"
    assert answer.usage is not None
    assert answer.usage.total_tokens == answer.usage.prompt_tokens + answer.usage.completion_tokens
    assert answer.usage.prompt_tokens > 0
    assert server.requests == [{"model": "qwen-plus", "messages": USER}]


def test_parallel_tool_calls_with_dict_and_raw_string_arguments(
    serve: Serve,
) -> None:
    calls = (
        ToolCallReply("set_temperature", {"seat": "driver", "celsius": 23}, id="call_a"),
        ToolCallReply("play_music", '{"artist": "周杰伦"}'),
    )
    server = serve(Reply(tool_calls=calls))
    answer = client(server).chat.completions.create(model="qwen-plus", messages=USER)
    choice = answer.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    got = choice.message.tool_calls or []
    assert [(c.id, c.type, c.function.name) for c in got] == [
        ("call_a", "function", "set_temperature"),
        ("call_1_1", "function", "play_music"),
    ]
    assert json.loads(got[0].function.arguments) == {"seat": "driver", "celsius": 23}
    assert got[1].function.arguments == '{"artist": "周杰伦"}'


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_malformed_arguments_pass_through_verbatim(serve: Serve, stream: bool) -> None:
    broken = '{"celsius": 23,'
    server = serve(Reply(tool_calls=(ToolCallReply("set_temperature", broken),)))
    api = client(server)
    if stream:
        events = api.chat.completions.create(model="qwen-plus", messages=USER, stream=True)
        fragments = [
            call.function.arguments
            for event in events
            for call in event.choices[0].delta.tool_calls or []
            if call.function and call.function.arguments
        ]
        assert "".join(fragments) == broken
    else:
        answer = api.chat.completions.create(model="qwen-plus", messages=USER)
        assert answer.choices[0].message.tool_calls[0].function.arguments == broken


def test_streamed_text_arrives_in_pieces_and_reassembles(serve: Serve) -> None:
    text = "Driver's side set to 24°C and playing some jazz."
    server = serve(Reply(text))
    events = list(
        client(server).chat.completions.create(
            model="qwen-plus",
            messages=USER,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    pieces = [
        e.choices[0].delta.content for e in events if e.choices and e.choices[0].delta.content
    ]
    assert len(pieces) > 1
    assert "".join(pieces) == text
    assert events[0].choices[0].delta.role == "assistant"
    assert [e.choices[0].finish_reason for e in events if e.choices][-1] == "stop"
    assert events[-1].choices == []
    assert events[-1].usage is not None and events[-1].usage.completion_tokens > 0
    assert server.requests[0]["stream"] is True


def test_streamed_tool_calls_are_reassembled_by_the_sdk(serve: Serve) -> None:
    calls = (
        ToolCallReply("set_temperature", {"seat": "passenger", "celsius": 22.5}),
        ToolCallReply("set_ambient_light", {"color": "蓝色"}),
    )
    server = serve(Reply("Working on it.", tool_calls=calls))
    with client(server).chat.completions.stream(model="qwen-plus", messages=USER) as stream:
        final = stream.get_final_completion()
    choice = final.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content == "Working on it."
    got = [
        (c.id, c.function.name, json.loads(c.function.arguments))
        for c in choice.message.tool_calls or []
    ]
    assert got == [
        ("call_1_0", "set_temperature", {"seat": "passenger", "celsius": 22.5}),
        ("call_1_1", "set_ambient_light", {"color": "蓝色"}),
    ]


def test_async_client_streams_tool_call_fragments_by_index(serve: Serve) -> None:
    arguments = '{"destination": "首都机场 T3", "avoid_tolls": true}'
    server = serve(Reply(tool_calls=(ToolCallReply("navigate", arguments, id="call_nav"),)))

    async def collect() -> tuple[dict[int, list[str]], list[str | None], list[str | None]]:
        api = AsyncOpenAI(base_url=server.base_url, api_key="test", max_retries=0)
        fragments: dict[int, list[str]] = {}
        ids: list[str | None] = []
        finishes: list[str | None] = []
        events = await api.chat.completions.create(
            model="qwen-plus",
            messages=USER,
            stream=True,
        )
        async for event in events:
            finishes.append(event.choices[0].finish_reason)
            for call in event.choices[0].delta.tool_calls or []:
                ids.append(call.id)
                fragments.setdefault(call.index, []).append(call.function.arguments or "")
        await api.close()
        return fragments, ids, finishes

    fragments, ids, finishes = asyncio.run(collect())
    assert list(fragments) == [0]
    assert len(fragments[0]) > 2
    assert "".join(fragments[0]) == arguments
    assert ids[0] == "call_nav" and set(ids[1:]) == {None}
    assert finishes[-1] == "tool_calls"


def test_response_format_and_tools_reach_the_server_intact(serve: Serve) -> None:
    schema = {
        "name": "plan",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"intent": {"type": "string", "enum": ["act", "answer"]}},
            "required": ["intent"],
            "additionalProperties": False,
        },
    }
    tools = [{"type": "function", "function": {"name": "honk", "parameters": {"type": "object"}}}]
    server = serve(Reply('{"intent": "act"}'))
    answer = client(server).chat.completions.create(
        model="qwen-plus",
        messages=USER,
        response_format={"type": "json_schema", "json_schema": schema},
        tools=tools,
        temperature=0,
    )
    assert json.loads(answer.choices[0].message.content or "") == {"intent": "act"}
    request = server.requests[0]
    assert request["response_format"] == {"type": "json_schema", "json_schema": schema}
    assert request["tools"] == tools
    assert request["temperature"] == 0


def test_rules_pick_the_first_matching_reply_and_fall_back_to_the_default() -> None:
    call = Reply(tool_calls=(ToolCallReply("open_window", {"which": "all"}),))
    responder = rules(
        (after_tool_result, Reply("Windows are open.")),
        (last_user_says("WINDOW"), call),
        default=Reply("Sorry?"),
    )
    with ScriptedOpenAI(responder) as server:
        api = client(server)
        first = [{"role": "user", "content": "open the windows please"}]
        answers = [api.chat.completions.create(model="qwen-plus", messages=first)]
        tool_id = answers[0].choices[0].message.tool_calls[0].id
        second = [
            *first,
            answers[0].choices[0].message.model_dump(exclude_none=True),
            {"role": "tool", "tool_call_id": tool_id, "content": '{"ok": true}'},
        ]
        answers.append(api.chat.completions.create(model="qwen-plus", messages=second))
        other = [{"role": "user", "content": [{"type": "text", "text": "sing"}]}]
        answers.append(api.chat.completions.create(model="qwen-plus", messages=other))
    assert answers[0].choices[0].message.tool_calls[0].function.name == "open_window"
    assert [a.choices[0].message.content for a in answers[1:]] == ["Windows are open.", "Sorry?"]
    assert server.requests[1]["messages"][-1]["role"] == "tool"


def test_no_matching_rule_without_default_is_a_500_and_recorded() -> None:
    responder = rules((last_user_says("trunk"), Reply("ok")))
    with (
        ScriptedOpenAI(responder) as server,
        pytest.raises(openai.InternalServerError, match="no rule matched"),
    ):
        client(server).chat.completions.create(model="qwen-plus", messages=USER)
    assert [str(e) for e in server.errors] == [
        "no rule matched the request and there is no default reply"
    ]


def test_exhausted_script_answers_a_500_the_sdk_does_not_retry(
    serve: Serve,
) -> None:
    server = serve(Reply("one"))
    api = client(server, max_retries=2)
    assert (
        api.chat.completions.create(model="qwen-plus", messages=USER).choices[0].message.content
        == "one"
    )
    with pytest.raises(openai.InternalServerError, match="script exhausted") as raised:
        api.chat.completions.create(model="qwen-plus", messages=USER)
    assert raised.value.status_code == 500
    assert len(server.requests) == 2
    assert [type(e).__name__ for e in server.errors] == ["InputError"]


def test_a_scripted_server_error_is_retried_and_consumes_the_next_reply(
    serve: Serve,
) -> None:
    server = serve(Reply("overloaded", status=503), Reply("recovered"))
    answer = client(server, max_retries=1).chat.completions.create(model="qwen-plus", messages=USER)
    assert answer.choices[0].message.content == "recovered"
    assert len(server.requests) == 2
    assert server.errors == []


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (500, openai.InternalServerError),
        (503, openai.InternalServerError),
        (429, openai.RateLimitError),
        (400, openai.BadRequestError),
    ],
    ids=["500", "503", "429", "400"],
)
def test_scripted_error_status_raises_the_sdk_error(
    serve: Serve, status: int, error: type[openai.APIStatusError]
) -> None:
    server = serve(Reply("model overloaded", status=status))
    with pytest.raises(error) as raised:
        client(server).chat.completions.create(model="qwen-plus", messages=USER)
    assert raised.value.status_code == status
    assert isinstance(raised.value.body, dict)
    assert raised.value.body["message"] == "model overloaded"


def test_raw_body_is_sent_verbatim(serve: Serve) -> None:
    broken = '{"choices": [ oops'
    server = serve(Reply(raw_body=broken), Reply(raw_body=broken, status=502))
    api = client(server)
    with pytest.raises(json.JSONDecodeError):
        api.chat.completions.create(model="qwen-plus", messages=USER)
    raw = api.chat.completions.with_raw_response
    with pytest.raises(openai.InternalServerError) as raised:
        raw.create(model="qwen-plus", messages=USER)
    assert raised.value.response.text == broken
    assert raised.value.status_code == 502


def test_raw_body_in_a_stream_reaches_the_sdk_as_is(serve: Serve) -> None:
    chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "qwen-plus"}
    chunk |= {"choices": [{"index": 0, "delta": {"content": "半"}, "finish_reason": None}]}
    server = serve(Reply(raw_body=f"data: {json.dumps(chunk)}\n\ndata: {{broken\n\n"))
    events = client(server).chat.completions.create(model="qwen-plus", messages=USER, stream=True)
    first = next(iter(events))
    assert first.choices[0].delta.content == "半"
    with pytest.raises(json.JSONDecodeError):
        next(iter(events))


def test_delay_beyond_the_client_timeout_is_an_api_timeout(serve: Serve) -> None:
    server = serve(Reply("too late", delay_s=30), Reply("quick"))
    with pytest.raises(openai.APITimeoutError):
        client(server, timeout=0.3).chat.completions.create(model="qwen-plus", messages=USER)
    # The first handler is still sleeping; the next request is answered regardless.
    answer = client(server, timeout=5).chat.completions.create(model="qwen-plus", messages=USER)
    assert answer.choices[0].message.content == "quick"


def test_close_returns_while_a_handler_is_still_delaying() -> None:
    server = ScriptedOpenAI(replies([Reply("never", delay_s=60)]))
    with pytest.raises(openai.APITimeoutError):
        client(server, timeout=0.2).chat.completions.create(model="qwen-plus", messages=USER)
    began = time.monotonic()
    server.close()
    assert time.monotonic() - began < 5  # a hang would be the full 60 s delay
    with pytest.raises(openai.APIConnectionError):
        client(server, timeout=1).chat.completions.create(model="qwen-plus", messages=USER)


def test_wrong_bearer_is_an_authentication_error(serve: Serve) -> None:
    server = serve(Reply("secret"))
    api = OpenAI(base_url=server.base_url, api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as raised:
        api.chat.completions.create(model="qwen-plus", messages=USER)
    assert raised.value.code == "invalid_api_key"
    assert server.requests == []


def post(server: ScriptedOpenAI, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    """Posts ``body`` as-is (no SDK), returning the status and the parsed JSON answer."""
    url = f"{server.base_url}/chat/completions"
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_missing_bearer_is_a_401(serve: Serve) -> None:
    server = serve(Reply("secret"))
    body = json.dumps({"model": "qwen-plus", "messages": USER}).encode()
    status, answer = post(server, body, {"Content-Type": "application/json"})
    assert status == 401
    assert answer["error"]["code"] == "invalid_api_key"
    assert server.requests == []


def test_without_an_api_key_any_bearer_is_accepted() -> None:
    with ScriptedOpenAI(replies([Reply("open")]), api_key=None) as server:
        api = OpenAI(base_url=server.base_url, api_key="anything", max_retries=0)
        answer = api.chat.completions.create(model="qwen-plus", messages=USER)
    assert answer.choices[0].message.content == "open"


def test_models_lists_the_configured_model_and_others_are_not_found() -> None:
    with ScriptedOpenAI(replies([]), model="qwen-max") as server:
        api = client(server)
        assert [m.id for m in api.models.list()] == ["qwen-max"]
        with pytest.raises(openai.NotFoundError, match="qwen-plus"):
            api.chat.completions.create(model="qwen-plus", messages=USER)
    assert server.requests == []


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"{not json", "not JSON"), (b"[1, 2]", "JSON object")],
    ids=["malformed", "not-an-object"],
)
def test_bad_request_body_is_a_400_with_an_openai_error(body: bytes, message: str) -> None:
    with ScriptedOpenAI(replies([])) as server:
        headers = {"Authorization": "Bearer test", "Content-Type": "application/json"}
        status, answer = post(server, body, headers)
    assert status == 400
    error = answer["error"]
    assert message in error["message"]
    assert (error["type"], error["code"]) == ("invalid_request_error", "invalid_json")
    assert server.requests == []


def test_a_responder_sees_the_parsed_request() -> None:
    def echo(request: Request) -> Reply:
        return Reply(
            f"{len(request['messages'])} messages, last: {request['messages'][-1]['content']}"
        )

    with ScriptedOpenAI(echo) as server:
        answer = client(server).chat.completions.create(model="qwen-plus", messages=USER)
    assert answer.choices[0].message.content == "1 messages, last: 把空调调到二十三度"
