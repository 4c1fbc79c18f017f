"""The bounded stdio transport's line reader: messages split across reads, and a line over the
limit never held — the request it answered gets an error at once, found by the id at the start
or the end of the line, else as the one request awaiting an answer."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("mcp", reason="the [mcp] extra is not installed")

from mcp import types
from mcp.shared.message import SessionMessage

from codriver.mcp.stdio import OVER_LIMIT, Lines

LIMIT = 1000


def answer(request: int | str, text: str, *, id_last: bool = False) -> bytes:
    result = {"content": [{"type": "text", "text": text}]}
    body = (
        {"result": result, "jsonrpc": "2.0", "id": request}
        if id_last
        else {
            "jsonrpc": "2.0",
            "id": request,
            "result": result,
        }
    )
    return json.dumps(body).encode() + b"\n"


def fed(lines: Lines, data: bytes, size: int = 64) -> list[object]:
    """``data`` fed in pieces of ``size`` bytes, as a pipe delivers it."""
    items: list[object] = []
    for start in range(0, len(data), size):
        items.extend(lines.feed(data[start : start + size]))
    return items


def refused(item: object) -> types.RequestId:
    assert isinstance(item, SessionMessage)
    assert isinstance(item.message, types.JSONRPCError)
    assert OVER_LIMIT in item.message.error.message
    return item.message.id


def test_messages_split_across_reads_arrive_whole() -> None:
    pending: list[types.RequestId] = [1, 2]
    items = fed(Lines(pending, LIMIT), answer(1, "first") + answer(2, "second"), size=7)
    assert [i.message.id for i in items if isinstance(i, SessionMessage)] == [1, 2]
    assert pending == []


@pytest.mark.parametrize(
    ("request_id", "id_last"),
    [(7, False), (7, True), ("abc-1", False), ("abc-1", True)],
    ids=["number-first", "number-last", "string-first", "string-last"],
)
def test_an_over_long_answer_is_refused_for_its_own_request(
    request_id: int | str, id_last: bool
) -> None:
    pending: list[types.RequestId] = [3, request_id, 9]
    lines = Lines(pending, LIMIT)
    items = fed(lines, answer(request_id, "x" * 50_000, id_last=id_last) + answer(3, "ok"))
    assert [refused(items[0]), items[1].message.id] == [request_id, 3]  # type: ignore[union-attr]
    assert pending == [9]
    assert len(lines._line) == 0


def test_without_an_id_the_one_awaiting_request_gets_the_error() -> None:
    pending: list[types.RequestId] = [5]
    [item] = fed(Lines(pending, LIMIT), b'{"result": "' + b"y" * 5000 + b'"}\n')
    assert refused(item) == 5


def test_without_an_id_and_several_awaiting_nobody_is_told() -> None:
    pending: list[types.RequestId] = [5, 6]
    assert fed(Lines(pending, LIMIT), b'{"result": "' + b"y" * 5000 + b'"}\n') == []
    assert pending == [5, 6]


def test_a_nested_id_is_not_taken_for_the_messages() -> None:
    inner = json.dumps({"result": {"content": [{"id": 6, "text": "z" * 5000}]}})
    pending: list[types.RequestId] = [5, 6]
    assert fed(Lines(pending, LIMIT), inner.encode() + b"\n") == []
