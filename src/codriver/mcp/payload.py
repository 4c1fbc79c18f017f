"""What a third-party service says becomes data: its text, or its JSON read as values ("temp: 21;
summary: Sunny"), bounded in size; :func:`~codriver.assistant.speakable.speakable` makes it fit to
speak. Nothing in it is ever read as an instruction."""

from __future__ import annotations

import json
from collections.abc import Iterable

from codriver.assistant.speakable import WINDOW, plain

MAX_ITEMS = 60
"""Values of a JSON answer that are read; the rest are left out."""
MAX_DEPTH = 6


def clean(text: str, limit: int) -> str:
    """``text`` on one line: control characters, zero-width and bidirectional marks and tag
    characters dropped, whitespace collapsed, at most ``limit`` characters (``…`` when cut)."""
    return plain(text, limit)


def as_text(parts: Iterable[str], structured: object, limit: int) -> str:
    """A tool result's text blocks (else its structured content): at most what
    :func:`~codriver.assistant.speakable.speakable` looks at for ``limit``, and JSON — a text
    that is JSON, or the structured content — as its values, never as JSON."""
    room = limit * WINDOW
    texts = [p[:room] for p in parts if p.strip()]
    if len(texts) == 1 and texts[0].lstrip()[:1] in ("{", "["):
        try:
            return values(json.loads(texts[0]), room)
        except (ValueError, RecursionError):
            pass  # not JSON after all (or cut): the text as it is
    if not texts and structured is not None:
        return values(structured, room)
    return "\n".join(texts)[:room]


def values(data: object, room: int) -> str:
    """JSON data as "key: value" items joined by "; " (keys as words), at most ``room``
    characters and :data:`MAX_ITEMS` items."""
    items: list[str] = []
    _walk(data, "", items, 0)
    return "; ".join(items)[:room]


def _walk(data: object, key: str, items: list[str], depth: int) -> None:
    if len(items) >= MAX_ITEMS or depth > MAX_DEPTH or data is None:
        return
    if isinstance(data, dict):
        for name, value in data.items():
            _walk(value, str(name).replace("_", " ").replace("-", " ").strip(), items, depth + 1)
    elif isinstance(data, list):
        for value in data:
            _walk(value, key, items, depth + 1)
    else:
        said = ("yes" if data else "no") if isinstance(data, bool) else str(data)
        items.append(f"{key}: {said}" if key else said)
